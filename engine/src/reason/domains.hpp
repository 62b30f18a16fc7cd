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
  bool complete = true;  ///< false when a limit stopped the computation
  std::vector<std::vector<bool>> valid;  ///< per FdVar, per value
  int64_t solver_calls = 0;
};

class DomainSolver {
 public:
  /// Works on `solver`, which holds the engine's clauses and maybe more (e.g. a session's).
  DomainSolver(const Engine& engine, SatSolver& solver) : engine_(engine), solver_(solver) {}

  DomainAnswer compute(const std::vector<Lit>& assumptions, const SearchLimits& limits);
  /// Remembers a model of the solver as a witness.
  void remember(Snapshot model);
  std::deque<Snapshot>& witnesses() { return witnesses_; }

 private:
  static constexpr size_t kMaxWitnesses = 48;
  const Engine& engine_;
  SatSolver& solver_;
  std::deque<Snapshot> witnesses_;  // most recent first
};

}  // namespace sumisura::detail
