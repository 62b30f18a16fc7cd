#include "json_body.hpp"

#include "api_error.hpp"

namespace sumisura::service {

Json parse_json_body(const std::string& text) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) return Json::object();
  // Refused as soon as the parser goes too deep, before anything that deep is built.
  auto bounded = [](int depth, Json::parse_event_t, Json&) {
    if (depth > kMaxJsonDepth)
      throw ApiError(400, "bad_json",
                     "the body nests deeper than " + std::to_string(kMaxJsonDepth) + " levels");
    return true;
  };
  Json j;
  try {
    j = Json::parse(text, bounded, false);
  } catch (const Json::exception& e) {
    throw ApiError(400, "bad_json", std::string("the body is not valid JSON: ") + e.what());
  }
  if (j.is_discarded()) throw ApiError(400, "bad_json", "the body is not valid JSON");
  return j;
}

}  // namespace sumisura::service
