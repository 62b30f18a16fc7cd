// CaDiCaL behind a small interface: clauses in, assumptions, limits, models and failed assumptions
// out.
#pragma once

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>
#include <vector>

#include "compile/cnf.hpp"

namespace CaDiCaL {
class Solver;
}

namespace sumisura::detail {

/// When a search must stop: a wall-clock deadline and a conflict budget per call.
struct SearchLimits {
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  int64_t conflicts_per_call = -1;  ///< -1: no limit
  bool expired() const { return std::chrono::steady_clock::now() >= deadline; }
  /// Whether `seconds` of work started now ends before the deadline: work that cannot be
  /// interrupted (copying a large solver) is not started when it would overrun it.
  bool leaves(double seconds) const {
    if (deadline == std::chrono::steady_clock::time_point::max()) return true;
    return std::chrono::steady_clock::now() +
               std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                   std::chrono::duration<double>(seconds)) <
           deadline;
  }
  /// These limits, with the deadline brought forward to `seconds` from now (none when <= 0).
  SearchLimits within(double seconds) const {
    SearchLimits s = *this;
    // Beyond about three years the deadline would overflow the clock's nanoseconds (and wrap
    // into the past): such a limit is no limit.
    constexpr double kForever = 1e8;
    if (seconds > 0 && seconds < kForever) {
      s.deadline =
          std::min(deadline, std::chrono::steady_clock::now() +
                                 std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                     std::chrono::duration<double>(seconds)));
    }
    return s;
  }
};

enum class SatResult { sat, unsat, unknown };

class SatSolver final : public ClauseSink {
 public:
  SatSolver();
  ~SatSolver() override;
  SatSolver(const SatSolver&) = delete;
  SatSolver& operator=(const SatSolver&) = delete;

  /// A fresh solver holding the clauses of `base` (not its learnt clauses): deterministic.
  std::unique_ptr<SatSolver> clone() const;

  /// Adds every clause of `cnf`. With `selectors`, a clause of group g >= 0 is guarded by
  /// selectors[g] (assume it to switch the group on).
  void load(const CnfBuffer& cnf, const std::vector<Lit>* selectors = nullptr);

  int new_var() override;
  int num_vars() const override { return vars_; }
  void add_clause(std::span<const Lit> clause) override;

  SatResult solve(const std::vector<Lit>& assumptions, const SearchLimits& limits);
  /// Clauses that matter only under `selector`, added by `encode` when a solve() first assumes it
  /// (or at encode_deferred()). A requirement's circuit that most searches never switch on would
  /// otherwise slow every one of them down, since every model assigns it.
  void defer(Lit selector, std::function<void()> encode);
  /// Adds every deferred clause now: for callers that read selectors from models as well as
  /// assuming them.
  void encode_deferred();
  /// One-shot extra clause for the next solve() only (CaDiCaL's constrain).
  void constrain(const std::vector<Lit>& clause);
  /// Preferred value of a variable in the next decisions.
  void phase(Lit lit);
  void unphase(Lit lit);

  /// After sat: the value of a literal in the model.
  bool value(Lit lit) const;
  /// After unsat: the assumptions that took part in the refutation.
  std::vector<Lit> failed(const std::vector<Lit>& assumptions) const;

  int64_t calls() const { return calls_; }

 private:
  void reserve();
  std::unique_ptr<CaDiCaL::Solver> solver_;
  int vars_ = 1;
  int reserved_ = 0;
  int64_t calls_ = 0;
  std::vector<std::pair<Lit, std::function<void()>>> deferred_;
};

}  // namespace sumisura::detail
