// Core-guided minimisation (OLL) of linear objectives over a SAT solver (see optimize.hpp).
//
// The objective's terms become soft literals ("this cost is not paid"), assumed true. Each
// unsatisfiable core of soft literals proves that at least the smallest weight in it must be paid:
// the lower bound rises by that weight, the core's weights drop by it, and a totalizer over the
// core adds a new soft literal "at most one of these is violated", extended one step at a time
// when it appears in later cores (Morgado et al. 2014). Weights are stratified: the heaviest are
// assumed first. When every remaining soft literal holds together, the model's cost equals the
// lower bound: it is optimal, and the final assumptions pin that optimum for later objectives.
#include "search/optimize.hpp"

#include <algorithm>
#include <numeric>

namespace sumisura::detail {

Snapshot::Snapshot(const SatSolver& solver) {
  size_ = solver.num_vars() + 1;
  bits_.assign((size_ + 63) / 64, 0);
  for (int v = 1; v <= solver.num_vars(); ++v) {
    if (solver.value(v)) bits_[v >> 6] |= uint64_t{1} << (v & 63);
  }
}

int64_t evaluate(const Linear& linear, const Snapshot& model) {
  int64_t v = linear.constant;
  for (auto [w, l] : linear.terms) {
    if (model.value(l)) v = checked_add(v, w);
  }
  return v;
}

Minimizer::Minimizer(Linear objective) : objective_(std::move(objective)) {
  reset();
  initial_softs_ = softs_.size();
}

void Minimizer::reset() {
  // objective = offset + sum(weight * [lit]), weights positive: paying `weight` when lit holds.
  Linear l = objective_;
  l.normalize();
  offset_ = l.constant;
  softs_.clear();
  cost_ = Linear();
  totalizers_.clear();
  lower_ = 0;
  for (auto [w, lit] : l.terms) {
    if (w < 0) {
      offset_ = checked_add(offset_, w);
      softs_[lit].weight = checked_add(softs_[lit].weight, -w);
      cost_.add(-w, -lit);
    } else {
      softs_[-lit].weight = checked_add(softs_[-lit].weight, w);
      cost_.add(w, lit);
    }
  }
}

Minimum Minimizer::run(SatSolver& solver, Circuit& circuit, std::vector<Lit>& assumptions,
                       Snapshot& best, const SearchLimits& limits) {
  std::vector<Lit> sorted = assumptions;
  std::sort(sorted.begin(), sorted.end());
  bool extends = started_ && std::includes(sorted.begin(), sorted.end(), last_assumptions_.begin(),
                                           last_assumptions_.end());
  // Resuming pays while cores stay few; when they have multiplied, starting over is cheaper.
  if (started_ && (!extends || softs_.size() > 4 * initial_softs_ + 64)) reset();
  if (!started_ || softs_.size() == 0) initial_softs_ = softs_.size();
  started_ = true;
  has_optimum_ = false;
  last_assumptions_ = std::move(sorted);
  if (softs_.empty()) {
    // Every cost is relaxed: the objective is the lower bound learnt so far, whatever the model.
    optimum_ = best;
    optimum_value_ = offset_ + lower_;
    has_optimum_ = true;
    return {true, optimum_value_};
  }

  int64_t upper = evaluate(cost_, best);
  decided_ = 0;
  // With a bound to decide: a model within it, or a lower bound above it, settles the question.
  auto settled = [&] {
    if (!stop_at_) return false;
    if (offset_ + upper <= *stop_at_) decided_ = 1;
    if (offset_ + lower_ > *stop_at_) decided_ = -1;
    return decided_ != 0;
  };
  if (settled()) return {false, offset_ + upper};
  auto level_below = [&](int64_t level) {  // the next lower distinct weight, or 0
    int64_t next = 0;
    for (const auto& [lit, s] : softs_) {
      if (s.weight > 0 && s.weight < level) next = std::max(next, s.weight);
    }
    return next;
  };
  int64_t level = level_below(std::numeric_limits<int64_t>::max());

  while (true) {
    std::vector<Lit> trial = assumptions;
    std::vector<Lit> assumed;
    for (const auto& [lit, s] : softs_) {
      if (s.weight >= level && s.weight > 0) assumed.push_back(lit);
    }
    trial.insert(trial.end(), assumed.begin(), assumed.end());
    SatResult r = solver.solve(trial, limits);
    if (r == SatResult::unknown) return {false, offset_ + upper};
    if (r == SatResult::sat) {
      Snapshot model(solver);
      int64_t value = evaluate(cost_, model);
      if (value < upper) {
        upper = value;
        best = model;
      }
      if (settled()) return {false, offset_ + upper};
      // The heaviest soft literal this model violates decides the next level: levels above it have
      // nothing to relax. When it violates none, its cost is the lower bound: optimal, and
      // assuming every soft literal pins that optimum for the objectives that follow.
      int64_t next = 0;
      for (const auto& [lit, s] : softs_) {
        if (s.weight > 0 && !model.value(lit)) next = std::max(next, s.weight);
      }
      if (next == 0) {
        for (const auto& [lit, s] : softs_) {
          if (s.weight > 0 && s.weight < level) trial.push_back(lit);
        }
        assumptions = std::move(trial);
        best = std::move(model);
        optimum_ = best;
        optimum_value_ = offset_ + evaluate(cost_, best);
        has_optimum_ = true;
        return {true, optimum_value_};
      }
      level = std::min(next, level_below(level));
      continue;
    }
    std::vector<Lit> core = solver.failed(assumed);
    if (note_used_) {
      for (Lit a : solver.failed(assumptions)) used_.push_back(a);
      std::sort(used_.begin(), used_.end());
      used_.erase(std::unique(used_.begin(), used_.end()), used_.end());
    }
    if (core.empty()) return {false, offset_ + upper};  // the base assumptions fail: cannot happen
    int64_t smallest = std::numeric_limits<int64_t>::max();
    for (Lit c : core) smallest = std::min(smallest, softs_[c].weight);
    lower_ = checked_add(lower_, smallest);
    if (settled()) return {false, offset_ + upper};
    for (Lit c : core) {
      Soft& s = softs_[c];
      s.weight -= smallest;
      // A totalizer's "at most k" that must give way is followed by "at most k + 1".
      if (s.totalizer >= 0) {
        const auto& out = totalizers_[s.totalizer];
        if (s.bound + 1 < static_cast<int>(out.size())) {
          Soft& next = softs_[-out[s.bound + 1]];
          next.weight = checked_add(next.weight, smallest);
          next.totalizer = s.totalizer;
          next.bound = s.bound + 1;
        }
      }
    }
    if (core.size() > 1) {
      std::vector<Lit> violated;
      for (Lit c : core) violated.push_back(-c);
      std::sort(violated.begin(), violated.end());
      totalizers_.push_back(circuit.unary_sum(violated, static_cast<int>(violated.size())));
      // At least one of the core is violated; at most one costs nothing more.
      Soft& at_most_one = softs_[-totalizers_.back()[1]];
      at_most_one.weight = checked_add(at_most_one.weight, smallest);
      at_most_one.totalizer = totalizers_.size() - 1;
      at_most_one.bound = 1;
    }
    for (auto it = softs_.begin(); it != softs_.end();) {
      it = it->second.weight == 0 && it->second.totalizer < 0 ? softs_.erase(it) : std::next(it);
    }
    level = std::min(level, std::max<int64_t>(1, level_below(std::numeric_limits<int64_t>::max())));
  }
}

bool Minimizer::still_optimal(const std::vector<Lit>& assumptions, int64_t& value) const {
  if (!has_optimum_) return false;
  std::vector<Lit> sorted = assumptions;
  std::sort(sorted.begin(), sorted.end());
  if (!std::includes(sorted.begin(), sorted.end(), last_assumptions_.begin(),
                     last_assumptions_.end()))
    return false;
  for (Lit a : assumptions) {
    if (!optimum_.value(a)) return false;
  }
  value = optimum_value_;
  return true;
}

SatResult within_bound(SatSolver& solver, Circuit& circuit, const Linear& objective,
                       const std::vector<Lit>& assumptions, Snapshot& best, int64_t bound,
                       const SearchLimits& limits, std::vector<Lit>* used) {
  Minimizer minimizer(objective);
  minimizer.stop_at(bound);
  if (used) minimizer.note_used();
  std::vector<Lit> trial = assumptions;
  Minimum m = minimizer.run(solver, circuit, trial, best, limits);
  SatResult r;
  if (minimizer.decided() != 0) {
    r = minimizer.decided() > 0 ? SatResult::sat : SatResult::unsat;
  } else if (!m.optimal) {
    r = SatResult::unknown;
  } else {
    r = m.value <= bound ? SatResult::sat : SatResult::unsat;
  }
  if (used && r == SatResult::unsat) *used = minimizer.used();
  return r;
}

Minimum minimize(SatSolver& solver, Circuit& circuit, const Linear& objective,
                 std::vector<Lit>& assumptions, Snapshot& best, const SearchLimits& limits) {
  Minimizer minimizer(objective);
  return minimizer.run(solver, circuit, assumptions, best, limits);
}

}  // namespace sumisura::detail
