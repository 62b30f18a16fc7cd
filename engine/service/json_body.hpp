// Request bodies as JSON, parsed with a nesting bound so that no body can exhaust the stack.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace sumisura::service {

using Json = nlohmann::ordered_json;  // frontend::Json (answer_json.hpp)

/// The deepest body the service reads: requests are shallow objects; the deepest is a resume
/// token's saved session (four levels).
constexpr int kMaxJsonDepth = 32;

/// Parses `text` (an empty body is an empty object). Throws ApiError(400, "bad_json") for text
/// that is not JSON or nests deeper than kMaxJsonDepth.
Json parse_json_body(const std::string& text);

}  // namespace sumisura::service
