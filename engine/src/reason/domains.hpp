// Valid domains by CDCL with witness reuse: every solution proves one value of every variable
// valid at once, so solver calls are needed only for values no stored solution covers; one call
// with a temporary clause "one of the uncovered values" either covers more of them or proves them
// all invalid together.
#pragma once

#include <deque>
#include <vector>

#include "reason/engine.hpp"
#include "search/optimize.hpp"

namespace sumisura::detail {

struct DomainAnswer {
  bool feasible = true;
  bool complete = true;                  ///< false when a limit stopped the computation
  std::vector<std::vector<bool>> valid;  ///< per FdVar, per value
  int64_t solver_calls = 0;
};

class DomainSolver {
 public:
  /// Works on `solver`, which holds the engine's clauses and maybe more (e.g. a session's).
  /// `capacity` bounds the witnesses kept, most recent first (0: keep all). Witnesses are the
  /// solutions the solver found and those flips and repairs found (values only).
  DomainSolver(const Engine& engine, SatSolver& solver, size_t capacity = 256);

  /// Valid values under `assumptions`, consulting `seeds` (e.g. the engine's) before solving.
  DomainAnswer compute(const std::vector<Lit>& assumptions, const SearchLimits& limits,
                       const std::vector<Witness>* seeds = nullptr);
  void remember(Witness w);
  const std::deque<Witness>& witnesses() const { return witnesses_; }

 private:
  void trim();
  /// Table-propagated domains under the value assumptions `fixed`, reusing the last result when
  /// `fixed` only adds to the last assumptions (the usual click).
  bool propagated(const std::vector<std::pair<int, uint32_t>>& fixed,
                  std::vector<std::vector<char>>& out);
  /// The last complete answer and its assumptions (sorted): more assumptions can only remove
  /// valid values, so a later call whose assumptions include these starts from that answer.
  std::vector<Lit> answered_under_;
  std::vector<std::vector<bool>> answered_valid_;
  bool has_answer_ = false;
  std::vector<std::pair<int, uint32_t>> last_fixed_;
  std::vector<std::vector<char>> last_possible_;
  bool has_last_ = false;
  const Engine& engine_;
  SatSolver& solver_;
  size_t capacity_;
  /// What one solver call costs, in constraint checks of the flip phases (measured on the
  /// Renault and automotive models: about half the literals of the CNF).
  size_t call_cost_;
  bool computing_ = false;
  std::deque<Witness> witnesses_;  // most recent first
};

}  // namespace sumisura::detail
