// JSON from files a customer or a shop wrote (orders, profiles, preference models): parsed with a
// bound on nesting, errors named by file, line and column.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "sumisura/error.hpp"

namespace sumisura::detail {

/// Parses `text`, which starts at line `first_line` of `source`. Throws Error(kind spec) with
/// the line and column of a syntax error, or when input nests deeper than `max_depth`.
nlohmann::json parse_json_input(const std::string& text, const std::string& source,
                                int first_line = 1, int max_depth = 32);

/// Throws Error(kind spec) naming `source` and `line`: "WHAT: WHY".
[[noreturn]] void bad_input(const std::string& source, int line, const std::string& why);

}  // namespace sumisura::detail
