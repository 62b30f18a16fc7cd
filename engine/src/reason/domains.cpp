// Valid domains with witness reuse (see domains.hpp).
#include "reason/domains.hpp"

#include <algorithm>
#include <limits>

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

bool value_assumptions(const Model& m, const std::vector<Lit>& assumptions,
                       std::vector<std::pair<int, uint32_t>>& fixed) {
  fixed.clear();
  bool all_values = true;
  for (Lit a : assumptions) {
    if (a == kTrue) continue;  // e.g. the only value of a variable: holds in every product
    int v = std::abs(a) < static_cast<int>(m.fd_of_sat.size()) ? m.fd_of_sat[std::abs(a)] : -1;
    int k = -1;
    if (v >= 0) {
      const FdVar& fd = m.vars[v];
      for (int j = 0; j < fd.size(); ++j) {
        if (fd.lits[j] == a) k = j;
      }
    }
    if (k < 0) {
      all_values = false;
    } else {
      fixed.push_back({v, static_cast<uint32_t>(k)});
    }
  }
  return all_values;
}

bool compiled_domains(const Engine& engine, const std::vector<Lit>& assumptions,
                      DomainAnswer& out) {
  const CompiledCatalog* compiled = engine.compiled();
  const CompiledCatalog* relaxed = compiled ? nullptr : engine.relaxed_now();
  if (!compiled && !relaxed) return false;
  const Model& m = engine.model();
  std::vector<std::pair<int, uint32_t>> fixed;
  if (!value_assumptions(m, assumptions, fixed)) return false;
  thread_local std::vector<std::vector<char>> valid;  // reused: a click allocates nothing here
  if (compiled) {
    Natural count;
    out.feasible = compiled->valid_values(fixed, valid, &count);
    out.count = count.str();
  } else {
    // Exact where the one rule it left out is a linear inequality; no count (not a pass).
    bool feasible = false;
    if (!relaxed->valid_values_relaxed(fixed, valid, feasible)) return false;
    out.feasible = feasible;
    out.count.clear();
  }
  out.complete = true;
  out.solver_calls = 0;
  out.valid.resize(m.vars.size());
  for (size_t v = 0; v < m.vars.size(); ++v) {
    out.valid[v].assign(m.vars[v].size(), false);
    if (!out.feasible) continue;
    for (size_t k = 0; k < valid[v].size(); ++k) out.valid[v][k] = valid[v][k];
  }
  return true;
}

DomainSolver::DomainSolver(const Engine& engine, SatSolver& solver, size_t capacity,
                           bool use_compiled)
    : engine_(engine),
      solver_(solver),
      capacity_(capacity),
      use_compiled_(use_compiled),
      call_cost_(std::max<size_t>(1000, engine.cnf_literals() / 2)) {}

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
  bool extends = has_last_ && std::includes(sorted.begin(), sorted.end(), last_fixed_.begin(),
                                            last_fixed_.end());
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

DomainAnswer nothing_known(const Model& model) {
  DomainAnswer out;
  out.complete = false;
  for (const auto& var : model.vars) out.valid.emplace_back(var.size(), false);
  return out;
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
  bool all_values = value_assumptions(m, assumptions, fixed);
  if (use_compiled_ && compiled_domains(engine_, assumptions, answer)) return answer;
  bool flips = all_values && m.checker && !m.checker->empty();
  auto consistent = [&](const Witness& w) {
    // A witness found by flips knows only its values: enough when the assumptions are values.
    if (w.model.empty()) {
      if (!all_values) return false;
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
    possible = engine_.initial_possible();
  }
  std::vector<Lit> under = assumptions;
  std::sort(under.begin(), under.end());
  under.erase(std::unique(under.begin(), under.end()), under.end());
  if (has_answer_ &&
      std::includes(under.begin(), under.end(), answered_under_.begin(), answered_under_.end())) {
    for (size_t v = 0; v < possible.size(); ++v) {
      for (size_t k = 0; k < possible[v].size(); ++k) {
        if (!answered_valid_[v][k]) possible[v][k] = 0;
      }
    }
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
  // Repairs `trial` (a solution with variable `v` changed to a new value) by min-conflicts local
  // search: repeatedly take a violated constraint and change one of its other variables to the
  // still-possible value that leaves the fewest constraints violated. Only constraints reading a
  // changed variable can be violated, since `trial` started as a solution. Bounded: a failure
  // proves nothing, and the solver settles what is left.
  std::vector<int> violated, candidates;
  std::vector<char> changed(m.vars.size(), 0);
  auto violations_of = [&](int u, const uint32_t* x, int limit) {
    int n = 0;
    for (int g : checker.groups_of(u)) {
      if (!checker.holds(g, x) && ++n >= limit) break;
    }
    return n;
  };
  // `start`: the variables changed in `trial`, which the repair keeps as they are. A repair
  // spends at most 8,000 of the caller's constraint checks and gives back what it leaves.
  std::vector<char> frozen(m.vars.size(), 0);
  auto repair = [&](std::vector<uint32_t>& trial, const std::vector<int>& start, size_t& shared) {
    size_t budget = std::min<size_t>(shared, 8000);
    shared -= budget;
    std::vector<int> touched = start;
    for (int t : start) changed[t] = frozen[t] = 1;
    bool ok = false;
    for (int step = 0; step < 24 && budget > 0 && !limits.expired(); ++step) {
      violated.clear();
      for (int t : touched) {
        for (int g : checker.groups_of(t)) {
          if (std::find(violated.begin(), violated.end(), g) == violated.end() &&
              !checker.holds(g, trial.data())) {
            violated.push_back(g);
          }
        }
        budget -= std::min(budget, checker.groups_of(t).size());
      }
      if (violated.empty()) {
        ok = true;
        break;
      }
      int g = violated[step % violated.size()];
      int best_u = -1, best_score = std::numeric_limits<int>::max();
      uint32_t best_j = 0;
      for (int u : checker.vars_of(g)) {
        if (frozen[u] || pinned[u] || !checker.flippable(u)) continue;
        uint32_t old = trial[u];
        int before = violations_of(u, trial.data(), std::numeric_limits<int>::max());
        for (uint32_t j = 0; j < possible[u].size() && budget > 0; ++j) {
          if (j == old || !possible[u][j]) continue;
          trial[u] = j;
          budget -= std::min(budget, checker.groups_of(u).size());
          if (!checker.holds(g, trial.data())) continue;
          // Counting beyond the best score so far is useless (and best_score starts at INT_MAX).
          int limit =
              best_score == std::numeric_limits<int>::max() ? best_score : best_score + before + 1;
          int score = violations_of(u, trial.data(), limit) - before;
          if (score < best_score) {
            best_score = score;
            best_u = u;
            best_j = j;
          }
        }
        trial[u] = old;
      }
      if (best_u < 0) break;
      trial[best_u] = best_j;
      if (!changed[best_u]) {
        changed[best_u] = 1;
        touched.push_back(best_u);
      }
    }
    for (int t : touched) changed[t] = 0;
    for (int t : start) frozen[t] = 0;
    shared += budget;
    return ok;
  };
  // A solution found without the solver (checked against every constraint it could violate).
  auto prove = [&](std::vector<uint32_t> values) {
    Witness f;
    f.values = std::move(values);
    flipped.push_back(std::move(f));
    cover(flipped.back());
    usable.push_back(&flipped.back());
  };
  size_t tried = 0;  // usable[0..tried) were tried on every value still open
  std::vector<std::vector<char>> repaired(m.vars.size());  // values whose repair was attempted
  auto flip_phase = [&]() -> size_t {                      // returns the constraint checks it made
    std::vector<std::pair<int, uint32_t>> todo;
    for (size_t v = 0; v < m.vars.size(); ++v) {
      if (pinned[v] || !checker.flippable(v)) continue;
      for (int k = 0; k < m.vars[v].size(); ++k) {
        if (!answer.valid[v][k] && possible[v][k])
          todo.push_back({static_cast<int>(v), static_cast<uint32_t>(k)});
      }
    }
    size_t budget = 400000;  // constraint checks
    size_t checks = 0;
    auto checked_all = [&](const std::vector<int>& groups, const uint32_t* x) {
      budget -= std::min(budget, groups.size());
      // A phase takes up to a few hundred milliseconds on the largest models: within the limit.
      if ((++checks & 255) == 0 && limits.expired()) budget = 0;
      return all_hold(groups, x);
    };
    std::vector<uint32_t> scratch;
    // Each usable solution is tried once on every open value (solutions found meanwhile, by the
    // solver or by flips, get their turn in later phases or later in this one).
    for (size_t fresh = 0; tried < usable.size() && fresh < 24 && !todo.empty() && budget > 0;
         ++tried, ++fresh) {
      const Witness* w = usable[tried];
      scratch.assign(w->values.begin(), w->values.end());
      for (auto [v, k] : todo) {
        if (answer.valid[v][k] || w->values[v] == k || budget == 0) continue;
        scratch[v] = k;
        if (checked_all(checker.groups_of(v), scratch.data())) prove(scratch);
        scratch[v] = w->values[v];
      }
      todo.erase(std::remove_if(todo.begin(), todo.end(),
                                [&](auto p) { return answer.valid[p.first][p.second]; }),
                 todo.end());
    }
    size_t attempts = 0;
    for (auto [v, k] : todo) {
      if (answer.valid[v][k] || budget == 0 || attempts >= 32) continue;
      if (repaired[v].empty()) repaired[v].assign(m.vars[v].size(), 0);
      if (repaired[v][k]) continue;
      repaired[v][k] = 1;
      ++attempts;
      for (size_t i = 0; i < usable.size() && i < 2; ++i) {
        scratch.assign(usable[usable.size() - 1 - i]->values.begin(),
                       usable[usable.size() - 1 - i]->values.end());
        scratch[v] = k;
        if (repair(scratch, {v}, budget)) {
          prove(scratch);
          break;
        }
      }
    }
    return size_t{400000} - budget;
  };
  // Solutions from before the choices rarely agree with them all (after a first click, only the
  // few with that value do), so the solver would have to find many new ones. Instead, stored
  // solutions are moved to the choices and repaired by local search: each success is a new,
  // varied solution, found without the solver.
  auto reseed = [&] {
    std::vector<uint32_t> scratch;
    std::vector<int> start;
    size_t budget = 300000, attempts = 0, idle = 0;
    auto attempt = [&](const Witness& w) {
      // Stops once attempts stop paying: what is left open is then mostly invalid values.
      if (unknown == 0 || budget == 0 || attempts >= 48 || idle >= 4 || limits.expired()) return;
      scratch.assign(w.values.begin(), w.values.end());
      start.clear();
      for (auto [v, k] : fixed) {
        if (scratch[v] != k) {
          if (!checker.flippable(v)) return;  // its constraints cannot all be checked here
          scratch[v] = k;
          start.push_back(v);
        }
      }
      if (start.empty()) return;  // consistent already
      ++attempts;
      size_t before = unknown;
      if (repair(scratch, start, budget)) prove(scratch);
      idle = unknown < before ? 0 : idle + 1;
    };
    for (const auto& w : witnesses_) attempt(w);
    if (seeds) {
      for (const auto& w : *seeds) attempt(w);
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
  if (flips && unknown > 0) reseed();
  bool any = !usable.empty();
  auto finish = [&] {
    answer.solver_calls = solver_.calls() - calls_before;
    // Solutions found by flips serve the next calls too (each proved some value new here).
    for (auto& f : flipped) witnesses_.push_front(std::move(f));
    if (answer.complete && answer.feasible) {
      answered_under_ = std::move(under);
      answered_valid_ = answer.valid;
      has_answer_ = true;
    }
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
  // Greedy covers: demand of one solver call every open value that unit propagation accepts
  // together with those demanded before it, instead of "at least one" (measured on
  // linux-2.6.33.3: those calls mostly came back with one new value each). A value whose
  // propagation under the assumptions alone conflicts is in no product: proved without the
  // solver. Rounds go on while they cover new values (each round skips what is covered, so the
  // next alternative of a group gets its turn: automotive02's first page takes 227 rounds, 0.6 s,
  // where one value per call took 6,386 solutions and 11 s); the loop below settles the rest.
  auto greedy_covers = [&] {
    if (limits.expired()) return;  // building the propagator alone takes a while on large models
    if (!propagator_) propagator_ = std::make_unique<UnitPropagator>(m.cnf);
    UnitPropagator& up = *propagator_;
    if (up.inconsistent()) return;
    for (Lit a : assumptions) {
      if (!up.knows(a)) return;  // a gate of the session's circuit: the solver alone knows it
    }
    const int outer = up.level();
    up.push();
    struct Restore {
      UnitPropagator& up;
      int level;
      ~Restore() {
        while (up.level() > level) up.pop();
      }
    } restore{up, outer};
    for (Lit a : assumptions) {
      if (!up.assume(a)) return;  // the solver will say infeasible
    }
    const int base = up.level();
    std::vector<Lit> decided, all;
    for (int round = 0; round < 1000 && unknown > 0 && !limits.expired(); ++round) {
      decided.clear();
      for (size_t v = 0; v < m.vars.size(); ++v) {
        const FdVar& fd = m.vars[v];
        for (int k = 0; k < fd.size(); ++k) {
          if (answer.valid[v][k] || !possible[v][k]) continue;
          Lit l = fd.lits[k];
          if (up.value(l) != 0) continue;  // implied: the solution will have it; or excluded
          up.push();
          if (up.assume(l)) {
            decided.push_back(l);
            continue;
          }
          up.pop();
          if (decided.empty()) {  // conflicts under the assumptions alone: in no product
            possible[v][k] = 0;
            --unknown;
          }
        }
      }
      while (up.level() > base) up.pop();
      if (decided.empty()) break;
      SatResult r = SatResult::unsat;
      for (int retry = 0; retry < 32 && !decided.empty(); ++retry) {
        all = assumptions;
        all.insert(all.end(), decided.begin(), decided.end());
        r = solver_.solve(all, limits);
        if (r != SatResult::unsat) break;
        // Propagation missed a conflict: give up the demanded values the refutation used (the
        // solver keeps what it learnt, so the next refutation comes quicker); after many, the
        // later half of what is left.
        std::vector<Lit> failed = solver_.failed(all);
        std::sort(failed.begin(), failed.end());
        size_t before = decided.size();
        decided.erase(std::remove_if(decided.begin(), decided.end(),
                                     [&](Lit l) {
                                       return std::binary_search(failed.begin(), failed.end(), l);
                                     }),
                      decided.end());
        if (decided.size() == before) return;  // the assumptions alone: the loop below decides
        if (retry >= 8) decided.resize(decided.size() / 2);
      }
      if (r != SatResult::sat) return;
      Witness w = make_witness(m, Snapshot(solver_));
      size_t before = unknown;
      cover(w);
      remember(std::move(w));
      usable.push_back(&witnesses_.front());
      if (unknown == before) break;
    }
  };
  if (unknown > 0 && !usable.empty()) greedy_covers();
  std::vector<Lit> open;
  size_t flip_gain = 0, flip_checks = 0, sat_gain = 0, sat_calls = 0;
  while (unknown > 0) {
    // Flips run while they prove values at least half as cheaply as solver calls do, counting a
    // call as worth call_cost_ constraint checks (both grow with the size of the model).
    if (flips && flip_gain * sat_calls * call_cost_ * 2 >= sat_gain * flip_checks) {
      size_t before = unknown;
      flip_checks += flip_phase();
      flip_gain += before - unknown;
      if (unknown == 0) break;
    }
    open.clear();
    for (size_t v = 0; v < m.vars.size(); ++v) {
      const FdVar& fd = m.vars[v];
      for (int k = 0; k < fd.size(); ++k) {
        if (!answer.valid[v][k] && possible[v][k] && fd.lits[k] != kFalse)
          open.push_back(fd.lits[k]);
      }
    }
    if (open.empty()) break;
    // Steer the search towards the uncovered values, and demand at least one of them.
    for (Lit l : open) solver_.phase(l);
    solver_.constrain(open);
    SatResult r = solver_.solve(assumptions, limits);
    ++sat_calls;
    for (Lit l : open) solver_.unphase(l);
    if (r == SatResult::unknown) {
      answer.complete = false;
      break;
    }
    if (r == SatResult::unsat) break;  // none of the uncovered values is possible
    Witness w = make_witness(m, Snapshot(solver_));
    size_t before = unknown;
    cover(w);
    sat_gain += before - unknown;
    remember(std::move(w));
    usable.push_back(&witnesses_.front());
  }
  return finish();
}

}  // namespace sumisura::detail
