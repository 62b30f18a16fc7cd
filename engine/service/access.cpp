#include "access.hpp"

#include <fstream>

#include "sumisura/error.hpp"

namespace sumisura::service {
namespace {

std::string trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r\n");
  if (a == std::string::npos) return {};
  size_t b = s.find_last_not_of(" \t\r\n");
  return s.substr(a, b - a + 1);
}

bool same(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace

KeyRing KeyRing::from_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw Error(ErrorKind::io, path + ": cannot read the key file");
  KeyRing ring;
  ring.enabled_ = true;
  std::string line;
  while (std::getline(in, line)) {
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    ring.keys_.push_back(line);
  }
  if (ring.keys_.empty())
    throw Error(ErrorKind::io, path + ": the key file holds no key (one key per line)");
  return ring;
}

bool KeyRing::accepts(const std::string& key) const {
  if (!enabled_) return true;
  bool found = false;
  for (const auto& k : keys_) found |= same(k, key);
  return found && !key.empty();
}

std::string request_key(const std::string& authorization, const std::string& x_api_key) {
  const std::string bearer = "Bearer ";
  if (authorization.compare(0, bearer.size(), bearer) == 0)
    return trim(authorization.substr(bearer.size()));
  return trim(x_api_key);
}

CorsPolicy::CorsPolicy(std::vector<std::string> origins) {
  for (auto& o : origins) {
    if (o == "*")
      any_ = true;
    else
      origins_.insert(std::move(o));
  }
}

std::string CorsPolicy::allow(const std::string& origin) const {
  if (origin.empty()) return {};
  if (any_) return "*";
  return origins_.count(origin) ? origin : std::string();
}

}  // namespace sumisura::service
