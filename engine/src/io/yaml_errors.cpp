// Plain-language YAML syntax errors (see yaml_errors.hpp).
#include "io/yaml_errors.hpp"

#include <yaml-cpp/eventhandler.h>
#include <algorithm>
#include <array>
#include <sstream>
#include <utility>

namespace sumisura::detail {

size_t first_non_text_byte(const std::string& text) {
  size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c == 0) return i;
    if (c < 0x80) {
      ++i;
      continue;
    }
    // A UTF-8 lead byte and the number of continuation bytes it announces. Overlong forms,
    // surrogates and code points past U+10FFFF are refused too: JSON writers refuse them, so a
    // name that holds one could be read but never answered.
    size_t extra = (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : 0;
    if (extra == 0 || c == 0xC0 || c == 0xC1 || c > 0xF4) return i;
    for (size_t k = 1; k <= extra; ++k) {
      if (i + k >= text.size() || (static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80)
        return i;
    }
    auto second = static_cast<unsigned char>(text[i + 1]);
    if ((c == 0xE0 && second < 0xA0) || (c == 0xED && second > 0x9F) ||  // overlong, surrogate
        (c == 0xF0 && second < 0x90) || (c == 0xF4 && second > 0x8F))    // overlong, > U+10FFFF
      return i;
    i += extra + 1;
  }
  return std::string::npos;
}

namespace {

// Notes where a document's first node is, and whether it has any (an empty document is null).
class FirstNode : public YAML::EventHandler {
 public:
  std::optional<Position> where;
  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark& m, YAML::anchor_t) override { note(m); }
  void OnScalar(const YAML::Mark& m, const std::string&, YAML::anchor_t,
                const std::string&) override {
    note(m);
  }
  void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    note(m);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    note(m);
  }
  void OnMapEnd() override {}

 private:
  void note(const YAML::Mark& m) {
    if (!where) where = Position{m.line + 1, m.column + 1};
  }
};

// A `---` or `...` line after the first content line: only then can a second document follow.
// (A leading `---` opens the first document; most catalogs have none after it, and are parsed
// once.)
bool has_later_document_marker(const std::string& text) {
  bool content = false;
  for (size_t at = 0; at < text.size();) {
    bool marker = text.compare(at, 3, "---") == 0 || text.compare(at, 3, "...") == 0;
    if (marker && content) return true;
    size_t end = text.find('\n', at);
    size_t first = text.find_first_not_of(" \t\r", at);
    if (!marker && first != std::string::npos && first < std::min(end, text.size()) &&
        text[first] != '#')
      content = true;
    if (end == std::string::npos) break;
    at = end + 1;
  }
  return false;
}

}  // namespace

YAML::Node load_one_document(const std::string& text, std::optional<Position>& second) {
  YAML::Node root = YAML::Load(text);
  second.reset();
  // yaml-cpp 0.7's LoadAll loops for ever on some malformed input (fixed upstream in 0.8.1):
  // the second document is looked for by hand, one document at a time, where markers say there
  // may be one.
  if (!has_later_document_marker(text)) return root;
  std::istringstream in(text);
  YAML::Parser parser(in);
  FirstNode first, next;
  if (parser.HandleNextDocument(first) && parser.HandleNextDocument(next)) second = next.where;
  return root;
}

Position position_of(const std::string& text, size_t offset) {
  Position p{1, 1};
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++p.line;
      p.column = 1;
    } else {
      ++p.column;
    }
  }
  return p;
}

namespace {

std::string line_of(const std::string& text, int line) {
  size_t start = 0;
  for (int l = 0; l < line && start != std::string::npos; ++l) {
    start = text.find('\n', start);
    if (start != std::string::npos) ++start;
  }
  if (start == std::string::npos || start > text.size()) return "";
  size_t end = text.find('\n', start);
  return text.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

}  // namespace

std::string explain_yaml_error(const std::string& text, int line, const std::string& message) {
  std::string here = line_of(text, line);
  size_t indent_end = here.find_first_not_of(" \t");
  if (here.substr(0, indent_end).find('\t') != std::string::npos) {
    return "this line is indented with a tab; YAML allows only spaces for indentation: replace "
           "the tab with spaces (yaml-cpp: " +
           message + ")";
  }
  // yaml-cpp's messages (yaml-cpp/exceptions.h) and what they usually mean in a catalog.
  static const std::array<std::pair<const char*, const char*>, 10> kHints{{
      // yaml-cpp's depth guard (DeepRecursion) says only this.
      {"bad file",
       "brackets or mappings nest too deeply (yaml-cpp stops at 2,000 levels; no catalog needs "
       "more than a few): look for brackets opened and never closed"},
      {"end of map flow not found", "a '{' is not closed: add the matching '}'"},
      {"end of sequence flow not found", "a '[' is not closed: add the matching ']'"},
      {"illegal flow end",
       "a closing ']' or '}' does not match the bracket it closes, or has none: check the pairs"},
      {"unknown escape character",
       "a backslash in a double-quoted string starts an unknown escape: write \\\\ for a "
       "backslash, or use single quotes"},
      {"end of string not found", "a quoted string is not closed: add the closing quote"},
      {"illegal map value",
       "a ':' is not allowed here: put text containing ': ' in quotes, or start a new line"},
      {"illegal block entry",
       "a '- ' list item is not allowed here: check its indentation against the lines above"},
      {"end of map not found",
       "a mapping ends too early: check the indentation of this line against the lines above"},
      {"block sequence entries are not allowed in this context",
       "a '- ' list item is not allowed here: put the list on its own lines under its key"},
  }};
  for (const auto& [raw, hint] : kHints) {
    if (message.find(raw) != std::string::npos)
      return std::string(hint) + " (yaml-cpp: " + message + ")";
  }
  return message +
         ": check the indentation, colons, quotes and brackets of this line and the one "
         "before it";
}

}  // namespace sumisura::detail
