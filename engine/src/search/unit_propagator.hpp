// Unit propagation over a model's CNF with decision levels, and nothing more: no learning, no
// search. Valid domains use it to find in microseconds what a solver call would take
// milliseconds for: a value whose propagation under the choices conflicts is in no product, and
// many values consistent by propagation can be demanded of one solver call together.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <vector>

#include "compile/cnf.hpp"

namespace sumisura::detail {

class UnitPropagator {
 public:
  explicit UnitPropagator(const CnfBuffer& cnf);

  /// 1 true, -1 false, 0 unassigned.
  int value(Lit l) const {
    int8_t x = values_[static_cast<size_t>(std::abs(l))];
    return l > 0 ? x : -x;
  }
  int level() const { return static_cast<int>(level_start_.size()); }
  /// Opens a level: what assume() assigns from now on is undone by pop().
  void push() { level_start_.push_back(trail_.size()); }
  void pop();
  /// Assigns `l` and propagates; false on a conflict (the assignments stay until pop()).
  bool assume(Lit l);
  /// Whether the clauses alone conflict (an empty clause, or units that clash).
  bool inconsistent() const { return inconsistent_; }
  /// Whether `l` is over a variable of the CNF it was made from (a request's gates are not).
  bool knows(Lit l) const { return l != 0 && static_cast<size_t>(std::abs(l)) < values_.size(); }
  /// Whether variable `v` occurs in a clause of that CNF.
  bool occurs(int v) const { return knows(v) && occurs_[static_cast<size_t>(v)] != 0; }

 private:
  bool propagate();
  void assign(Lit l) {
    values_[static_cast<size_t>(std::abs(l))] = l > 0 ? 1 : -1;
    trail_.push_back(l);
  }
  static size_t index(Lit l) {
    return l > 0 ? 2 * static_cast<size_t>(l) : 2 * static_cast<size_t>(-l) + 1;
  }

  std::vector<int8_t> values_;    // per variable
  std::vector<char> occurs_;      // per variable
  std::vector<Lit> arena_;        // long clauses, watched literals first
  std::vector<uint32_t> starts_;  // clause -> first literal; clause c ends at starts_[c+1]
  std::vector<std::vector<uint32_t>> watches_;  // per literal index: clauses watching it
  std::vector<std::vector<Lit>> implied_;       // per literal index: binary clauses' implications
  std::vector<Lit> trail_;
  std::vector<size_t> level_start_;
  size_t head_ = 0;
  bool inconsistent_ = false;
};

}  // namespace sumisura::detail
