// A compiled decision diagram, immutable and shared between threads: every path from the root to
// the terminal is a set of valid assignments (a level the path skips takes any value). Queries are
// linear passes over the nodes: valid values under fixed values, the number of valid assignments.
#pragma once

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "compiled/natural.hpp"

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
  /// Checks the structure (children deeper than parents and numbered below them, values in
  /// range): a diagram read from a file is checked before any query runs on it. Empty when sound.
  std::string check() const;
  size_t edge_count() const { return values.size(); }

  /// Valid values per level, given `fixed` (per level: the value it must take, or -1). Returns
  /// false, with `out` all empty, when no assignment extends the fixed values.
  bool valid_values(const std::vector<int>& fixed, std::vector<std::vector<char>>& out) const;

  /// The number of valid assignments, in decimal.
  std::string count() const;

  /// The number of valid assignments that take the `fixed` values (per level, or -1).
  Natural count(const std::vector<int>& fixed) const;
  /// The same in 128-bit arithmetic: exact when the count without fixed values is below 2^127
  /// (every count under fixed values is at most that). No big numbers, nothing allocated.
  /// `skip`: per edge, the ways to fill the levels it skips when none is fixed (skip_factors()),
  /// `base`: per node, its count without fixed values (counts_small() with nothing fixed); with
  /// them, nodes below the deepest fixed level and edges that skip no fixed level cost one step.
  unsigned __int128 count_small(const std::vector<int>& fixed,
                                const std::vector<unsigned __int128>* skip = nullptr,
                                const std::vector<unsigned __int128>* base = nullptr) const;
  /// valid_values() and count_small() in one pass (the count's nodes say which reach the end).
  bool valid_values_counted(const std::vector<int>& fixed,
                            const std::vector<unsigned __int128>& skip,
                            const std::vector<unsigned __int128>& base,
                            std::vector<std::vector<char>>& out, unsigned __int128& count) const;
  /// Per edge: the product of the sizes of the levels it skips (exact when counts are small).
  std::vector<unsigned __int128> skip_factors() const;
  /// Per node: the count below it with nothing fixed.
  std::vector<unsigned __int128> counts_small() const;
  /// Per level and value: the number of valid assignments with that value and the `fixed` ones.
  /// Returns their total.
  Natural value_counts(const std::vector<int>& fixed,
                       std::vector<std::vector<Natural>>& out) const;
  /// The valid assignment with the `fixed` values of least total cost (cost[level][value]), as a
  /// value per level; nothing when there is none.
  std::optional<std::pair<int64_t, std::vector<int>>> min_cost(
      const std::vector<int>& fixed, const std::vector<std::vector<int64_t>>& cost) const;
  /// `n` valid assignments with the `fixed` values, each drawn uniformly among them.
  std::vector<std::vector<int>> sample(const std::vector<int>& fixed, size_t n,
                                       std::mt19937_64& rng) const;

 private:
  /// The top-down half of valid_values, given which nodes reach the terminal (`up`).
  bool spread(const std::vector<int>& fixed, const std::vector<char>& up,
              std::vector<std::vector<char>>& out) const;
  /// count_small, leaving per-node counts in small_below() for the nodes from `from` on.
  unsigned __int128 count_small_below(const std::vector<int>& fixed,
                                      const std::vector<unsigned __int128>* skip,
                                      const std::vector<unsigned __int128>* base,
                                      size_t& from) const;
  static const std::vector<unsigned __int128>& small_below();
  /// Per node: the assignments of the levels from its own to the last that it accepts.
  std::vector<Natural> counts_below(const std::vector<int>& fixed) const;
  void counts_below(const std::vector<int>& fixed, NaturalTable& table) const;
  /// The number of ways to fill levels [from, to) that no node tests.
  Natural free_ways(const std::vector<int>& fixed, int from, int to) const;
};

}  // namespace sumisura::detail
