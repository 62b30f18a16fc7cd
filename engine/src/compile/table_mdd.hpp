// Table constraints as reduced multi-valued decision diagrams (MDDs): rows sharing prefixes share
// nodes, rows sharing suffixes share subtrees. Real configuration tables (Renault's up to 48,721
// rows of arity 12) shrink by orders of magnitude, and the MDD's encoding propagates as strongly
// as the table's.
#pragma once

#include <cstddef>
#include <vector>

namespace sumisura::detail {

struct Mdd {
  static constexpr int kTerminal = 0;  ///< node 0: every path that reaches it is an allowed row
  struct Node {
    int level = 0;                           ///< column tested at this node
    std::vector<std::pair<int, int>> edges;  ///< (value, child node), values ascending
  };
  std::vector<Node> nodes;  ///< nodes[0] is the terminal; children come before parents
  int root = -1;            ///< -1 when no row is allowed
  size_t edge_count() const;
};

/// Builds the reduced MDD of `rows` (value indices per column; -1 means any value) over columns
/// with `domain_sizes` values each, testing the columns in the order given.
Mdd build_mdd(const std::vector<int>& domain_sizes, const std::vector<std::vector<int>>& rows);

}  // namespace sumisura::detail
