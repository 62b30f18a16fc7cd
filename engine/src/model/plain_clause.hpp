// A fast path for rules that are plain clauses (`a or not b or c`), as DIMACS models bring by the
// hundred thousand: read without the expression parser, resolver and typed trees, which cost
// automotive02 (237,685 clauses) most of its load time and memory.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sumisura::detail {

/// Reads `text` as `[not] NAME (or [not] NAME)*`, each NAME plain or `back-quoted` as
/// quote_name writes it. Fills (name, positive) pairs; false for any other text (the full parser
/// reads it then).
bool read_plain_clause(std::string_view text, std::vector<std::pair<std::string, bool>>& out);

class CatalogIndex;

/// The (option index, positive) literals of `text` when it is a plain clause over Boolean options
/// of the catalog; false otherwise. `names` is scratch space, reused between calls.
bool plain_option_clause(const CatalogIndex& index, std::string_view text,
                         std::vector<std::pair<std::string, bool>>& names,
                         std::vector<std::pair<int, bool>>& out);

}  // namespace sumisura::detail
