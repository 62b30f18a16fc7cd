// Valid domains by CDCL with witness reuse: every solution proves one value of every variable
// valid at once, so solver calls are needed only for values no stored solution covers; one call
// with a temporary clause "one of the uncovered values" either covers more of them or proves them
// all invalid together.
#pragma once

#include <deque>
#include <vector>

#include "reason/engine.hpp"
#include "search/optimize.hpp"
#include "search/unit_propagator.hpp"

namespace sumisura::detail {

struct DomainAnswer {
  bool feasible = true;
  bool complete = true;                  ///< false when a limit stopped the computation
  std::vector<std::vector<bool>> valid;  ///< per FdVar, per value
  int64_t solver_calls = 0;
  /// Valid products under the assumptions (decimal), when the compiled form answered.
  std::string count;
};

/// The answer of a search that had no time to start: nothing proved valid, incomplete (which
/// an incomplete answer may say: values missing, never a value too many).
DomainAnswer nothing_known(const Model& model);

/// The (FdVar, value) pairs `assumptions` fix, when every assumption is the literal of a value
/// of a finite-domain variable (or kTrue, which holds anyway); false otherwise.
bool value_assumptions(const Model& model, const std::vector<Lit>& assumptions,
                       std::vector<std::pair<int, uint32_t>>& fixed);

/// Valid values under `assumptions` from the engine's compiled back end: false (and `out`
/// untouched) when it is not ready, the catalog does not compile, or an assumption is not a
/// value of a finite-domain variable. Two linear passes over the diagram, no solver.
bool compiled_domains(const Engine& engine, const std::vector<Lit>& assumptions, DomainAnswer& out);

class DomainSolver {
 public:
  /// Works on `solver`, which holds the engine's clauses and nothing more. `capacity` bounds the
  /// witnesses kept, most recent first (0: keep all). Witnesses are the solutions the solver
  /// found and those flips and repairs found (values only). With `use_compiled`, choices that
  /// are all values are answered by the engine's compiled back end once it is ready (two linear
  /// passes over a decision diagram, no solver call).
  DomainSolver(const Engine& engine, SatSolver& solver, size_t capacity = 256,
               bool use_compiled = true);

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
  bool use_compiled_;
  /// What one solver call costs, in constraint checks of the flip phases (measured on the
  /// Renault and automotive models: about half the literals of the CNF).
  size_t call_cost_;
  bool computing_ = false;
  std::deque<Witness> witnesses_;               // most recent first
  std::unique_ptr<UnitPropagator> propagator_;  // made on first use (greedy covers)
};

}  // namespace sumisura::detail
