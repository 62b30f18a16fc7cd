// Catalog values as JSON, the same way in every command: booleans, integers and decimals as JSON
// numbers, text as strings.
#pragma once

#include <nlohmann/json.hpp>

#include "sumisura/value.hpp"

namespace sumisura::cli {

using Json = nlohmann::ordered_json;

inline Json value_json(const Value& v) {
  if (v.is_boolean()) return v.as_boolean();
  if (v.is_number()) {
    if (v.as_number().is_integer()) return v.as_number().integer_part();
    return v.as_number().to_double();
  }
  return v.to_string();
}

}  // namespace sumisura::cli
