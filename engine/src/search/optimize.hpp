// Exact minimisation of a linear objective with a SAT solver: fix the bits of the objective's
// binary sum from the most significant down (at most one solver call per bit).
#pragma once

#include <vector>

#include "compile/circuit.hpp"
#include "search/sat_solver.hpp"

namespace sumisura::detail {

/// The values of every variable in one model, kept after the solver moves on (one bit each).
/// Variables created after the snapshot read as false.
class Snapshot {
 public:
  Snapshot() = default;
  explicit Snapshot(const SatSolver& solver);
  bool value(Lit lit) const {
    size_t v = lit > 0 ? lit : -lit;
    bool b = v < size_ && ((bits_[v >> 6] >> (v & 63)) & 1);
    return lit > 0 ? b : !b;
  }
  bool empty() const { return size_ == 0; }

 private:
  std::vector<uint64_t> bits_;
  size_t size_ = 0;
};

int64_t evaluate(const Linear& linear, const Snapshot& model);

struct Minimum {
  bool optimal = false;  ///< false when a limit stopped the proof
  int64_t value = 0;     ///< objective value of `best`
};

/// Minimises `objective` under `assumptions`, starting from `best` (a model satisfying them).
/// On return `best` holds a best model found; when optimal, `assumptions` has been extended with
/// literals that pin the objective to its minimum (for the next objective of a lexicographic
/// order).
Minimum minimize(SatSolver& solver, Circuit& circuit, const Linear& objective,
                 std::vector<Lit>& assumptions, Snapshot& best, const SearchLimits& limits);

}  // namespace sumisura::detail
