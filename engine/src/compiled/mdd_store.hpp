// Building reduced multi-valued decision diagrams (MDDs) over variables in one fixed order: nodes
// are hash-consed (one node per level and edge list), a node whose every value leads to the same
// child is skipped, and diagrams are conjoined by the classic apply recursion with a lossy
// computed table. Building stops, and says so, when a node or time budget runs out: some
// catalogs have no small diagram in any order, and the caller then keeps the solver.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "compiled/compile_budget.hpp"
#include "compiled/diagram.hpp"

namespace sumisura::detail {

class MddStore {
 public:
  static constexpr int kFalse = Diagram::kFalse;
  static constexpr int kTrue = Diagram::kTrue;
  using Edge = std::pair<int, int>;  ///< (value, child)

  /// `sizes[l]`: number of values of the variable at level l. Building stops when the store holds
  /// budget.max_nodes nodes, after budget.max_work steps (node makes and apply calls), at its
  /// deadline, or when its cancel flag becomes true.
  MddStore(std::vector<int> sizes, const CompileBudget& budget);

  int levels() const { return static_cast<int>(sizes_.size()); }
  int level(int node) const { return node < 0 ? levels() : levels_[node]; }

  /// The node testing `level` with `edges` (values ascending, children below `level`), reduced.
  int make(int level, std::span<const Edge> edges);
  /// The conjunction of two diagrams.
  int conjoin(int a, int b);
  /// The diagram of `rows` over `levels` (ascending): rows[r][i] is the value at levels[i].
  int from_rows(const std::vector<int>& levels, std::vector<std::vector<int>> rows);
  /// The diagram of a clause: some (level, allowed values) pair holds. Pairs may share a level.
  int from_clause(std::vector<std::pair<int, std::vector<int>>> literals);

  /// Drops every node `roots` do not reach (they are renumbered in place); keeps the order
  /// children-before-parents.
  void collect(std::vector<int*> roots);
  /// Node count, terminal included.
  size_t size() const { return levels_.size(); }
  /// A budget ran out: what was built since is meaningless.
  bool exhausted() const { return exhausted_; }
  /// Which budget ran out: "its work budget (...)", "its time limit", ...
  const std::string& exhausted_by() const { return why_; }
  uint64_t work() const { return ticks_; }
  /// Counts `steps` of work done outside the store (enumerating a rule's combinations) against
  /// the budget; true when a budget ran out.
  bool charge(uint64_t steps);

  /// The immutable diagram rooted at `root` (collect first to leave out dead nodes).
  Diagram freeze(int root) const;

 private:
  std::span<const Edge> edges_of(int node) const {
    return {edges_.data() + first_[node], static_cast<size_t>(first_[node + 1] - first_[node])};
  }
  uint64_t hash(int level, std::span<const Edge> edges) const;
  void rehash(size_t capacity);
  int rows_node(const std::vector<int>& levels, std::vector<std::vector<int>>& rows, size_t begin,
                size_t end, size_t column);
  bool out_of_budget();
  void exhaust(std::string why);
  std::string why_;

  std::vector<int> sizes_;
  const CompileBudget& budget_;
  bool exhausted_ = false;
  uint64_t ticks_ = 0, next_check_ = 0;
  std::chrono::steady_clock::time_point start_, next_progress_{};
  // Node n tests levels_[n]; its edges are edges_[first_[n] .. first_[n + 1]).
  std::vector<int> levels_;
  std::vector<uint32_t> first_;
  std::vector<Edge> edges_;
  std::vector<int> unique_;  // open addressing, -1 empty
  struct CacheEntry {
    int a = -2, b = -2, result = 0;
  };
  std::vector<CacheEntry> cache_;  // conjoin(a, b), lossy
};

}  // namespace sumisura::detail
