// Valid domains with witness reuse (see domains.hpp).
#include "reason/domains.hpp"

#include <algorithm>

#include "compile/checker.hpp"

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
  trim();
}

void DomainSolver::trim() {
  while (capacity_ > 0 && witnesses_.size() > capacity_ && !computing_) witnesses_.pop_back();
}

bool DomainSolver::propagated(const std::vector<std::pair<int, uint32_t>>& fixed,
                              std::vector<std::vector<char>>& out) {
  const Model& m = engine_.model();
  auto sorted = fixed;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  bool extends = has_last_ && std::includes(sorted.begin(), sorted.end(), last_fixed_.begin(), last_fixed_.end());
  std::vector<int> changed;
  // Start from the last result when the choices only grew, else from the engine's choice-free
  // propagation; either way only the tables on newly fixed variables need revising first.
  out = extends ? last_possible_ : engine_.initial_possible();
  for (auto [v, k] : sorted) {
    if (!out[v][k]) return false;  // excluded already, or two choices fix v differently
    bool narrowed = std::count(out[v].begin(), out[v].end(), 1) > 1;
    std::fill(out[v].begin(), out[v].end(), 0);
    out[v][k] = 1;
    if (narrowed) changed.push_back(v);
  }
  bool ok = m.checker->propagate_tables(out, &changed);
  if (ok) {
    last_fixed_ = std::move(sorted);
    last_possible_ = out;
    has_last_ = true;
  }
  return ok;
}

DomainAnswer DomainSolver::compute(const std::vector<Lit>& assumptions, const SearchLimits& limits,
                                   const std::vector<Witness>* seeds) {
  const Model& m = engine_.model();
  DomainAnswer answer;
  answer.valid.resize(m.vars.size());
  for (size_t v = 0; v < m.vars.size(); ++v) answer.valid[v].assign(m.vars[v].size(), false);
  int64_t calls_before = solver_.calls();
  // Assumptions that are value literals of finite-domain variables (var, value); when all are,
  // solutions can be checked against them by their values alone, and flips are allowed.
  std::vector<std::pair<int, uint32_t>> fixed;
  bool flips = m.checker && !m.checker->empty();
  for (Lit a : assumptions) {
    int v = std::abs(a) < static_cast<int>(m.fd_of_sat.size()) ? m.fd_of_sat[std::abs(a)] : -1;
    int k = -1;
    if (v >= 0) {
      const FdVar& fd = m.vars[v];
      for (int j = 0; j < fd.size(); ++j) {
        if (fd.lits[j] == a) k = j;
      }
    }
    if (k < 0) {
      flips = false;
    } else {
      fixed.push_back({v, static_cast<uint32_t>(k)});
    }
  }
  auto consistent = [&](const Witness& w) {
    if (w.model.empty()) {
      for (auto [v, k] : fixed) {
        if (w.values[v] != k) return false;
      }
      return true;
    }
    for (Lit a : assumptions) {
      if (!w.model.value(a)) return false;
    }
    return true;
  };
  std::vector<bool> pinned(m.vars.size(), false);
  for (auto [v, k] : fixed) pinned[v] = true;
  // Values still possible: all, but for the chosen variables; then whatever the tables cannot
  // support is removed without any solver call.
  std::vector<std::vector<char>> possible;
  if (flips) {
    if (!propagated(fixed, possible)) {
      answer.feasible = false;
      return answer;
    }
  } else {
    possible.resize(m.vars.size());
    for (size_t v = 0; v < m.vars.size(); ++v) possible[v].assign(m.vars[v].size(), 1);
  }
  size_t unknown = 0;
  for (const auto& p : possible) unknown += std::count(p.begin(), p.end(), 1);
  // Marks the values of a witness; returns whether it proved anything new.
  auto cover = [&](const Witness& w) {
    bool fresh = false;
    for (size_t v = 0; v < w.values.size(); ++v) {
      auto cell = answer.valid[v].begin() + w.values[v];
      if (!*cell) {
        *cell = true;
        if (possible[v][w.values[v]]) --unknown;
        fresh = true;
      }
    }
    return fresh;
  };
  std::vector<const Witness*> usable;  // solutions consistent with the assumptions
  std::deque<Witness> flipped;         // solutions found by flipping one variable
  const Checker& checker = *m.checker;
  auto all_hold = [&](const std::vector<int>& groups, const uint32_t* x) {
    for (int g : groups) {
      if (!checker.holds(g, x)) return false;
    }
    return true;
  };
  // Repairs `trial` (a solution with variable `v` changed) by changing a few other variables,
  // each to a still-possible value that satisfies a violated constraint and every constraint on
  // that variable. Greedy and bounded: a failure proves nothing, the solver settles those values.
  std::vector<int> violated, touched;
  auto repair = [&](std::vector<uint32_t>& trial, int v) {
    touched.assign(1, v);
    for (int step = 0; step < 4; ++step) {
      violated.clear();
      for (int t : touched) {
        for (int g : checker.groups_of(t)) {
          if (!checker.holds(g, trial.data())) violated.push_back(g);
        }
      }
      if (violated.empty()) return true;
      int g = violated.front();
      bool fixed_one = false;
      for (int u : checker.vars_of(g)) {
        if (u == v || pinned[u] || !checker.flippable(u)) continue;
        uint32_t old = trial[u];
        for (uint32_t j = 0; j < possible[u].size() && !fixed_one; ++j) {
          if (j == old || !possible[u][j]) continue;
          trial[u] = j;
          fixed_one = checker.holds(g, trial.data()) && all_hold(checker.groups_of(u), trial.data());
        }
        if (fixed_one) {
          touched.push_back(u);
          break;
        }
        trial[u] = old;
      }
      if (!fixed_one) return false;
    }
    return false;
  };
  // Proves uncovered values by changing one variable of a usable solution (and, failing that, a
  // few more) and re-checking only the constraints that read the changed variables.
  auto flip_phase = [&] {
    std::vector<uint32_t> trial;
    for (size_t v = 0; v < m.vars.size() && unknown > 0; ++v) {
      if (pinned[v] || !checker.flippable(v)) continue;
      const auto& groups = checker.groups_of(v);
      for (int k = 0; k < m.vars[v].size(); ++k) {
        if (answer.valid[v][k] || !possible[v][k]) continue;
        bool proved = false;
        size_t tries = 0;
        for (size_t i = 0; i < usable.size() && tries < 12 && !proved; ++i) {
          const Witness& w = *usable[i];
          if (w.values[v] == static_cast<uint32_t>(k)) continue;
          ++tries;
          trial.assign(w.values.begin(), w.values.end());
          trial[v] = k;
          proved = all_hold(groups, trial.data());
        }
        for (size_t i = 0; i < usable.size() && i < 3 && !proved; ++i) {
          trial.assign(usable[i]->values.begin(), usable[i]->values.end());
          trial[v] = k;
          proved = repair(trial, v);
        }
        if (!proved) continue;
        Witness f;
        f.values = trial;
        flipped.push_back(std::move(f));
        cover(flipped.back());
        usable.push_back(&flipped.back());
      }
    }
  };
  // The pool is not trimmed while `usable` points into it.
  computing_ = true;
  struct Done {
    DomainSolver& self;
    ~Done() {
      self.computing_ = false;
      self.trim();
    }
  } done{*this};
  for (const auto& w : witnesses_) {
    if (consistent(w)) {
      cover(w);
      usable.push_back(&w);
    }
  }
  if (seeds) {
    for (const auto& w : *seeds) {
      if (consistent(w)) {
        cover(w);
        usable.push_back(&w);
      }
    }
  }
  bool any = !usable.empty();
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
    usable.push_back(&witnesses_.front());
  }
  std::vector<Lit> open;
  while (unknown > 0) {
    if (flips) {
      flip_phase();
      if (unknown == 0) break;
    }
    open.clear();
    for (size_t v = 0; v < m.vars.size(); ++v) {
      const FdVar& fd = m.vars[v];
      for (int k = 0; k < fd.size(); ++k) {
        if (!answer.valid[v][k] && possible[v][k] && fd.lits[k] != kFalse) open.push_back(fd.lits[k]);
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
    usable.push_back(&witnesses_.front());
  }
  return finish();
}

}  // namespace sumisura::detail
