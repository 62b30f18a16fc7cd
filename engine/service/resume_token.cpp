#include "resume_token.hpp"

#include <array>
#include <nlohmann/json.hpp>

#include "api_error.hpp"
#include "json_body.hpp"

namespace sumisura::service {
namespace {

const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string base64url(const std::string& bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(acc >> bits) & 63]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(acc << (6 - bits)) & 63]);
  return out;
}

std::string unbase64url(const std::string& text) {
  static const auto table = [] {
    std::array<int, 256> t;
    t.fill(-1);
    for (int i = 0; i < 64; ++i) t[static_cast<unsigned char>(kAlphabet[i])] = i;
    return t;
  }();
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : text) {
    if (c == '=') break;  // tolerate padding
    int v = table[c];
    if (v < 0) throw ApiError(400, "bad_token", "the resume token is not base64url text");
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return out;
}

}  // namespace

std::string make_resume_token(const std::string& catalog, const std::string& session_json) {
  // Spliced rather than parsed and dumped again: this runs on every session answer, and
  // `session_json` is already JSON (Session::to_json).
  return base64url("{\"catalog\":" + Json(catalog).dump() + ",\"session\":" + session_json + "}");
}

ResumeState read_resume_token(const std::string& token) {
  Json j;
  try {
    j = parse_json_body(unbase64url(token));
  } catch (const ApiError&) {
    throw ApiError(400, "bad_token", "the resume token is not one this service made");
  }
  if (!j.is_object() || !j.contains("catalog") || !j["catalog"].is_string() ||
      !j.contains("session") || !j["session"].is_object())
    throw ApiError(400, "bad_token", "the resume token is not one this service made");
  return {j["catalog"].get<std::string>(), j["session"].dump()};
}

}  // namespace sumisura::service
