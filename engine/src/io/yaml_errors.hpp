// Plain-language explanations of YAML syntax errors, for catalog designers who are not
// programmers: yaml-cpp says "illegal block entry" where the cause is a tab.
#pragma once

#include <yaml-cpp/yaml.h>
#include <optional>
#include <string>

#include "sumisura/error.hpp"

namespace sumisura::detail {

/// Where a text stops being readable as UTF-8 text: the 0-based offset of the first NUL byte or
/// invalid UTF-8 sequence, or std::string::npos when the whole text is fine.
size_t first_non_text_byte(const std::string& text);

/// The one document of a YAML text (yaml-cpp's Load would drop every document after the first).
/// When the text holds a second document that is not empty, `second` is set to where it begins.
/// Throws what YAML::LoadAll throws on malformed text.
YAML::Node load_one_document(const std::string& text, std::optional<Position>& second);

/// Line and column (1-based) of byte `offset` of `text`.
Position position_of(const std::string& text, size_t offset);

/// The message for a YAML syntax error that yaml-cpp reported as `message` at (0-based) `line`:
/// what it means and how to fix it, looking at that line of `text` (e.g. for tabs).
std::string explain_yaml_error(const std::string& text, int line, const std::string& message);

}  // namespace sumisura::detail
