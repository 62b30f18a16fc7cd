// Exact minimisation of a linear objective with a SAT solver: fix the bits of the objective's
// binary sum from the most significant down (at most one solver call per bit).
#pragma once

#include <map>
#include <optional>
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
  /// A model given as the truth of each variable 1..num_vars (`truth(v)`).
  template <class Truth>
  static Snapshot of(int num_vars, Truth truth) {
    Snapshot s;
    s.size_ = static_cast<size_t>(num_vars) + 1;
    s.bits_.assign((s.size_ + 63) / 64, 0);
    for (int v = 1; v <= num_vars; ++v) {
      if (truth(v)) s.bits_[v >> 6] |= uint64_t{1} << (v & 63);
    }
    return s;
  }
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

/// Whether `objective` can be at most `bound` under `assumptions` (`best`: a model satisfying
/// them): core-guided minimisation that stops as soon as a model within the bound, or a lower
/// bound above it, is found. sat: within (`best` holds such a model); unsat: not; unknown: a limit.
/// When unsat and `used` is given, it receives the assumptions the proof used: the bound is
/// exceeded under those alone.
SatResult within_bound(SatSolver& solver, Circuit& circuit, const Linear& objective,
                       const std::vector<Lit>& assumptions, Snapshot& best, int64_t bound,
                       const SearchLimits& limits, std::vector<Lit>* used = nullptr);

/// Core-guided minimisation that can resume: what it learnt (cores, their totalizers, the lower
/// bound) stays true when later calls only add assumptions, so a session asking for its price
/// range click after click continues instead of starting over. Calls with assumptions that are not
/// a superset of the previous ones start over.
class Minimizer {
 public:
  explicit Minimizer(Linear objective);
  Minimum run(SatSolver& solver, Circuit& circuit, std::vector<Lit>& assumptions, Snapshot& best,
              const SearchLimits& limits);
  /// Makes run() stop once the minimum is known to be at most `bound` or above it (`decided`
  /// then says which: 1 within, -1 above; 0 when run() ended otherwise).
  void stop_at(int64_t bound) { stop_at_ = bound; }
  int decided() const { return decided_; }
  /// Makes run() note which of its assumptions the cores behind the lower bound failed: the lower
  /// bound holds under those alone (the totalizers it adds are definitions, true in any model).
  void note_used() { note_used_ = true; }
  const std::vector<Lit>& used() const { return used_; }
  /// The optimum of the last run, still optimal when more assumptions are added and its model
  /// satisfies them (it is then optimal over a subset of what it was optimal over).
  bool still_optimal(const std::vector<Lit>& assumptions, int64_t& value) const;

 private:
  struct Soft {
    int64_t weight = 0;
    int totalizer = -1;  // the totalizer this literal bounds, or -1 for an original term
    int bound = 0;       // for totalizer literals: "at most `bound` violated"
  };
  void reset();
  Linear objective_;
  int64_t offset_ = 0;
  Linear cost_;  // what is paid, with positive weights
  std::map<Lit, Soft> softs_;
  std::vector<std::vector<Lit>> totalizers_;
  int64_t lower_ = 0;
  std::vector<Lit> last_assumptions_;  // sorted
  bool started_ = false;
  size_t initial_softs_ = 0;
  Snapshot optimum_;  // model of the last optimal run
  int64_t optimum_value_ = 0;
  bool has_optimum_ = false;
  std::optional<int64_t> stop_at_;
  int decided_ = 0;
  bool note_used_ = false;
  std::vector<Lit> used_;  // sorted, without repeats
};

/// Minimises `objective` under `assumptions`, starting from `best` (a model satisfying them).
/// On return `best` holds a best model found; when optimal, `assumptions` has been extended with
/// literals that pin the objective to its minimum (for the next objective of a lexicographic
/// order).
Minimum minimize(SatSolver& solver, Circuit& circuit, const Linear& objective,
                 std::vector<Lit>& assumptions, Snapshot& best, const SearchLimits& limits);

}  // namespace sumisura::detail
