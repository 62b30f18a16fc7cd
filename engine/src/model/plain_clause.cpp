// Plain clauses without the expression parser (see plain_clause.hpp).
#include "model/plain_clause.hpp"

#include "model/catalog_index.hpp"

#include "model/expression.hpp"

namespace sumisura::detail {

bool read_plain_clause(std::string_view text, std::vector<std::pair<std::string, bool>>& out) {
  out.clear();
  size_t i = 0;
  auto skip_spaces = [&] {
    while (i < text.size() && text[i] == ' ') ++i;
  };
  auto word = [&](std::string_view w) {
    if (text.substr(i, w.size()) != w) return false;
    size_t after = i + w.size();
    if (after < text.size() && text[after] != ' ') return false;
    i = after;
    return true;
  };
  for (;;) {
    skip_spaces();
    bool positive = true;
    if (word("not")) {
      positive = false;
      skip_spaces();
    }
    if (i >= text.size()) return false;
    std::string name;
    if (text[i] == '`') {
      for (++i;; ++i) {
        if (i >= text.size()) return false;
        if (text[i] == '`') {
          if (i + 1 < text.size() && text[i + 1] == '`') {
            name += '`';
            ++i;
            continue;
          }
          ++i;
          break;
        }
        name += text[i];
      }
      if (name.empty()) return false;
    } else {
      size_t start = i;
      while (i < text.size() && text[i] != ' ') ++i;
      name = std::string(text.substr(start, i - start));
      if (!is_plain_identifier(name)) return false;
    }
    out.emplace_back(std::move(name), positive);
    skip_spaces();
    if (i >= text.size()) return true;
    if (!word("or")) return false;
  }
}

bool plain_option_clause(const CatalogIndex& index, std::string_view text,
                         std::vector<std::pair<std::string, bool>>& names,
                         std::vector<std::pair<int, bool>>& out) {
  out.clear();
  if (!read_plain_clause(text, names)) return false;
  for (const auto& [name, positive] : names) {
    auto o = index.option_index(name);
    if (!o || index.catalog().options[*o].kind != OptionKind::boolean) return false;
    out.emplace_back(*o, positive);
  }
  return true;
}

}  // namespace sumisura::detail
