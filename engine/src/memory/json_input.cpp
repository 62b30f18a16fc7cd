// Bounded JSON input with positions (see json_input.hpp).
#include "memory/json_input.hpp"

#include <algorithm>
#include <string_view>

namespace sumisura::detail {
namespace {

std::string deeper_than(int depth) {
  std::string out = "JSON nested deeper than ";
  out.append(std::to_string(depth)).append(" levels");
  return out;
}

}  // namespace

void bad_input(const std::string& source, int line, const std::string& why) {
  throw Error(ErrorKind::spec, why, source, Position{line, 1});
}

nlohmann::json parse_json_input(const std::string& text, const std::string& source, int first_line,
                                int max_depth) {
  bool too_deep = false;
  auto bounded = [&](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
    if (depth > max_depth) too_deep = true;
    return !too_deep;
  };
  try {
    nlohmann::json j = nlohmann::json::parse(text, bounded, true);
    if (too_deep) bad_input(source, first_line, deeper_than(max_depth));
    return j;
  } catch (const nlohmann::json::parse_error& e) {
    if (too_deep) bad_input(source, first_line, deeper_than(max_depth));
    size_t at = std::min(e.byte == 0 ? 0 : e.byte - 1, text.size());
    int line = first_line + static_cast<int>(std::count(text.begin(), text.begin() + at, '\n'));
    size_t start = text.rfind('\n', at == 0 ? 0 : at - 1);
    int column = static_cast<int>(at - (start == std::string::npos ? 0 : start + 1)) + 1;
    std::string_view what = e.what();
    auto colon = what.rfind(": ");
    if (colon != std::string_view::npos) what.remove_prefix(colon + 2);
    std::string why = "malformed JSON: ";
    why.append(what);
    throw Error(ErrorKind::spec, why, source, Position{line, column});
  }
}

}  // namespace sumisura::detail
