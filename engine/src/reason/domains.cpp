// Valid domains with witness reuse (see domains.hpp).
#include "reason/domains.hpp"

#include <algorithm>

namespace sumisura::detail {

void DomainSolver::remember(Snapshot model) {
  witnesses_.push_front(std::move(model));
  if (witnesses_.size() > kMaxWitnesses) witnesses_.pop_back();
}

DomainAnswer DomainSolver::compute(const std::vector<Lit>& assumptions, const SearchLimits& limits) {
  const Model& m = engine_.model();
  DomainAnswer answer;
  answer.valid.resize(m.vars.size());
  size_t unknown = 0;
  for (size_t v = 0; v < m.vars.size(); ++v) {
    answer.valid[v].assign(m.vars[v].size(), false);
    unknown += m.vars[v].size();
  }
  int64_t calls_before = solver_.calls();
  auto cover = [&](const Snapshot& w) {
    for (size_t v = 0; v < m.vars.size(); ++v) {
      const FdVar& fd = m.vars[v];
      for (int k = 0; k < fd.size(); ++k) {
        if (!answer.valid[v][k] && w.value(fd.lits[k])) {
          answer.valid[v][k] = true;
          --unknown;
        }
      }
    }
  };
  auto consistent = [&](const Snapshot& w) {
    for (Lit a : assumptions) {
      if (!w.value(a)) return false;
    }
    return true;
  };
  bool any = false;
  for (const auto& w : witnesses_) {
    if (consistent(w)) {
      cover(w);
      any = true;
    }
  }
  if (!any) {
    SatResult r = solver_.solve(assumptions, limits);
    if (r == SatResult::unsat) {
      answer.feasible = false;
      answer.solver_calls = solver_.calls() - calls_before;
      return answer;
    }
    if (r == SatResult::unknown) {
      answer.complete = false;
      answer.solver_calls = solver_.calls() - calls_before;
      return answer;
    }
    Snapshot w(solver_);
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
    Snapshot w(solver_);
    cover(w);
    remember(std::move(w));
  }
  answer.solver_calls = solver_.calls() - calls_before;
  return answer;
}

}  // namespace sumisura::detail
