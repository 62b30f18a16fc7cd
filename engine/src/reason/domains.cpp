// Valid domains with witness reuse (see domains.hpp).
#include "reason/domains.hpp"

#include <algorithm>

namespace sumisura::detail {

Witness make_witness(const Model& m, Snapshot snapshot) {
  Witness w;
  w.values.resize(m.vars.size());
  for (size_t v = 0; v < m.vars.size(); ++v) {
    const FdVar& fd = m.vars[v];
    for (int k = 0; k < fd.size(); ++k) {
      if (snapshot.value(fd.lits[k])) {
        w.values[v] = k;
        break;
      }
    }
  }
  w.model = std::move(snapshot);
  return w;
}

void DomainSolver::remember(Witness w) {
  witnesses_.push_front(std::move(w));
  if (capacity_ > 0 && witnesses_.size() > capacity_) witnesses_.pop_back();
}

DomainAnswer DomainSolver::compute(const std::vector<Lit>& assumptions, const SearchLimits& limits,
                                   const std::vector<Witness>* seeds) {
  const Model& m = engine_.model();
  DomainAnswer answer;
  answer.valid.resize(m.vars.size());
  size_t unknown = 0;
  for (size_t v = 0; v < m.vars.size(); ++v) {
    answer.valid[v].assign(m.vars[v].size(), false);
    unknown += m.vars[v].size();
  }
  int64_t calls_before = solver_.calls();
  // Marks the values of a witness; returns whether it proved anything new.
  auto cover = [&](const Witness& w) {
    bool fresh = false;
    for (size_t v = 0; v < w.values.size(); ++v) {
      auto cell = answer.valid[v].begin() + w.values[v];
      if (!*cell) {
        *cell = true;
        --unknown;
        fresh = true;
      }
    }
    return fresh;
  };
  auto consistent = [&](const Witness& w) {
    for (Lit a : assumptions) {
      if (!w.model.value(a)) return false;
    }
    return true;
  };
  bool any = false;
  if (seeds) {
    for (const auto& w : *seeds) {
      if (consistent(w)) any |= (cover(w), true);
    }
  }
  for (const auto& w : witnesses_) {
    if (consistent(w)) any |= (cover(w), true);
  }
  auto finish = [&] {
    answer.solver_calls = solver_.calls() - calls_before;
    return answer;
  };
  if (!any) {
    SatResult r = solver_.solve(assumptions, limits);
    if (r == SatResult::unsat) answer.feasible = false;
    if (r == SatResult::unknown) answer.complete = false;
    if (r != SatResult::sat) return finish();
    Witness w = make_witness(m, Snapshot(solver_));
    cover(w);
    remember(std::move(w));
  }
  std::vector<Lit> open;
  while (unknown > 0) {
    open.clear();
    for (size_t v = 0; v < m.vars.size(); ++v) {
      const FdVar& fd = m.vars[v];
      for (int k = 0; k < fd.size(); ++k) {
        if (!answer.valid[v][k] && fd.lits[k] != kFalse) open.push_back(fd.lits[k]);
      }
    }
    if (open.empty()) break;
    // Steer the search towards the uncovered values, and demand at least one of them.
    for (Lit l : open) solver_.phase(l);
    solver_.constrain(open);
    SatResult r = solver_.solve(assumptions, limits);
    for (Lit l : open) solver_.unphase(l);
    if (r == SatResult::unknown) {
      answer.complete = false;
      break;
    }
    if (r == SatResult::unsat) break;  // none of the uncovered values is possible
    Witness w = make_witness(m, Snapshot(solver_));
    cover(w);
    remember(std::move(w));
  }
  return finish();
}

}  // namespace sumisura::detail
