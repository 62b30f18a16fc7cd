#include "json_body.hpp"

#include "answer_json.hpp"
#include "api_error.hpp"

namespace sumisura::service {

Json parse_json_body(const std::string& text) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) return Json::object();
  // Linear in the body's size (Json::parse is quadratic in an object's members: a 1 MB body of
  // 70,000 keys held a worker for 5 s), and refused as soon as the parser goes too deep, before
  // anything that deep is built.
  frontend::LinearJsonBuilder builder(kMaxJsonDepth);
  if (Json::sax_parse(text, &builder)) return builder.take();
  if (builder.too_deep())
    throw ApiError(400, "bad_json",
                   "the body nests deeper than " + std::to_string(kMaxJsonDepth) + " levels");
  throw ApiError(400, "bad_json", "the body is not valid JSON: " + builder.error());
}

}  // namespace sumisura::service
