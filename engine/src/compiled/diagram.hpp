// A compiled decision diagram, immutable and shared between threads: every path from the root to
// the terminal is a set of valid assignments (a level the path skips takes any value). Queries are
// linear passes over the nodes: valid values under fixed values, the number of valid assignments.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sumisura::detail {

struct Diagram {
  static constexpr int kFalse = -1;  ///< no valid assignment
  static constexpr int kTrue = 0;    ///< node 0: the terminal, every assignment below is valid

  std::vector<int> sizes;         ///< per level: number of values
  std::vector<int> level;         ///< per node, never increasing; the terminal's is sizes.size()
  std::vector<uint32_t> first;    ///< per node + 1: its edges are [first[n], first[n + 1])
  std::vector<int32_t> values;    ///< per edge: the value it takes
  std::vector<int32_t> children;  ///< per edge: the node it leads to (below, never kFalse)
  int root = kFalse;              ///< nodes are numbered deepest level first, so the root is last

  size_t node_count() const { return level.size(); }
  size_t edge_count() const { return values.size(); }

  /// Valid values per level, given `fixed` (per level: the value it must take, or -1). Returns
  /// false, with `out` all empty, when no assignment extends the fixed values.
  bool valid_values(const std::vector<int>& fixed, std::vector<std::vector<char>>& out) const;

  /// The number of valid assignments, in decimal.
  std::string count() const;
};

}  // namespace sumisura::detail
