// configure and repairs.
#include "reason/configure.hpp"

#include <algorithm>
#include <chrono>
#include <limits>

#include "compile/defaults.hpp"
#include "reason/configure_compiled.hpp"
#include "reason/explain.hpp"
#include "reason/extract.hpp"
#include "reason/repair_order.hpp"

namespace sumisura::detail {
namespace {

Linear unmet_preferences(const PreparedSpec& spec, const Request& request) {
  Linear l;
  for (size_t i = 0; i < request.preferences.size(); ++i) {
    l.add(spec.spec.preferences[i].weight.units(), -request.preferences[i]);
  }
  return l;
}

// What part `k` of the spec's lexicographic objective minimises.
Linear objective_target(const PreparedSpec& spec, const Request& request, size_t k) {
  const Objective& o = spec.objective[k];
  int measure = spec.objective_measures[k];
  switch (o.kind) {
    case Objective::cheapest:
      return request.total;
    case Objective::minimize:
    case Objective::maximize: {
      Linear quantity = measure < 0 ? request.total : request.measures[measure];
      if (o.kind == Objective::minimize) return quantity;
      Linear negated;
      negated.add(quantity, -1);
      return negated;
    }
    case Objective::preferred:
    case Objective::most_likely:
      break;
  }
  return unmet_preferences(spec, request);
}

// Options and slots away from their catalog default: minimised last, so that what nothing else
// decides keeps the designer's default.
Linear off_default(const Engine& engine) {
  const Model& m = engine.model();
  std::vector<std::vector<int>> costs = default_costs(m);
  Linear l;
  for (size_t v = 0; v < costs.size(); ++v) {
    int var = static_cast<int>(v);
    // Every value but one (the default) costs 1: one term, however large the domain.
    auto free = std::find(costs[v].begin(), costs[v].end(), 0);
    size_t ones = std::count(costs[v].begin(), costs[v].end(), 1);
    if (costs[v].size() > 1 && ones + 1 == costs[v].size() && free != costs[v].end()) {
      l.add(1, -m.value_lit(var, static_cast<int>(free - costs[v].begin())));
      continue;
    }
    for (size_t k = 0; k < costs[v].size(); ++k)
      if (costs[v][k] != 0) l.add(costs[v][k], m.value_lit(var, static_cast<int>(k)));
  }
  return l;
}

// Every value a linear quantity of at most 12 terms can take (each term on or off), sorted; empty
// for more terms.
std::vector<int64_t> few_values(Linear quantity) {
  quantity.normalize();
  constexpr size_t kMaxTerms = 12;
  if (quantity.terms.size() > kMaxTerms) return {};
  std::vector<int64_t> sums{quantity.constant};
  for (auto [weight, lit] : quantity.terms) {
    size_t n = sums.size();
    for (size_t i = 0; i < n; ++i) sums.push_back(checked_add(sums[i], weight));
  }
  std::sort(sums.begin(), sums.end());
  sums.erase(std::unique(sums.begin(), sums.end()), sums.end());
  return sums;
}

// The least value of `quantity` under `assumptions` among the products within `budget` (a price
// bound; none: no budget). With a budget in the clauses CDCL would refute each step poorly, so
// the least value is bisected instead, each step a budget check by minimisation (a product found
// within the budget lowers the upper end to its own value). nullopt when a limit stopped it.
std::optional<int64_t> least_within_budget(Request& request, const Linear& quantity,
                                           const std::vector<Lit>& assumptions,
                                           std::optional<int64_t> budget,
                                           const SearchLimits& search, bool* none = nullptr) {
  std::vector<Lit> trial = assumptions;
  SatResult any = request.solver->solve(trial, search);
  if (none) *none = any == SatResult::unsat;
  if (any != SatResult::sat) return std::nullopt;
  Snapshot model(*request.solver);
  Minimum least = minimize(*request.solver, *request.circuit, quantity, trial, model, search);
  if (!least.optimal) return std::nullopt;
  if (!budget || evaluate(request.total, model) <= *budget) return least.value;
  PriceBound within{request.circuit.get(), &request.total, *budget, {}};
  auto check = [&](std::vector<Lit> with) {
    return solve_within_budgets(*request.solver, with, &within, search, &model);
  };
  SatResult r = check(assumptions);
  if (none) *none = r == SatResult::unsat;
  if (r != SatResult::sat) return std::nullopt;
  int64_t lo = least.value, hi = evaluate(quantity, model);
  // A quantity of few terms (preferences) takes few values: bisect over those, not over units.
  std::vector<int64_t> values = few_values(quantity);
  while (lo < hi) {
    int64_t mid = lo + (hi - lo) / 2;
    if (!values.empty()) {
      auto from = std::lower_bound(values.begin(), values.end(), lo);
      auto to = std::lower_bound(values.begin(), values.end(), hi);
      if (from == to) return hi;  // no value in [lo, hi) is possible: hi is the least
      mid = *(from + (to - from - 1) / 2);
    }
    std::vector<Lit> with = assumptions;
    with.push_back(request.circuit->at_most(quantity, mid));
    r = check(with);
    if (r == SatResult::unknown) return std::nullopt;
    if (r == SatResult::sat)
      hi = evaluate(quantity, model);
    else
      lo = mid + 1;
  }
  return hi;
}

}  // namespace

SearchLimits search_limits(const Limits& limits) {
  // 0 means no deadline (documented on Limits); nan or a negative number is a caller's mistake,
  // never silently "no limit".
  if (!(limits.seconds >= 0) || !(limits.price_seconds >= 0))
    throw Error(ErrorKind::usage,
                "Limits::seconds and Limits::price_seconds must be 0 (none) or "
                "a positive number of seconds");
  SearchLimits s;
  s.conflicts_per_call = limits.conflicts;
  return s.within(limits.seconds);
}

ConfigureResult configure(const Engine& engine, const PreparedSpec& spec, const Limits& limits,
                          const SearchLimits& search) {
  auto start = std::chrono::steady_clock::now();
  ConfigureResult out;
  if (configure_compiled(engine, spec, limits, search, out)) return out;
  if (!engine.time_to_copy_solver(search)) {
    out.status = Status::unknown;
    out.stats.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return out;
  }
  Request request = open_request(engine, spec);
  std::vector<Lit> assumptions = request.selectors;
  // When the objective starts with the cheapest price, a bound on the price need not be searched
  // under: CDCL finds budgets hard to satisfy or refute, core-guided minimisation does not. The
  // cheapest product under the other requirements either fits every price bound (it is then the
  // answer, and the pinned price keeps later objectives within them) or proves that nothing does.
  std::vector<size_t> price_bounds;
  PriceBound budgets{request.circuit.get(), &request.total, 0, {}};
  for (size_t i = 0; i < spec.spec.requirements.size(); ++i) {
    const Requirement& q = spec.spec.requirements[i];
    if (q.kind == Requirement::Kind::bound && !q.at_least && spec.bound_measures[i] < 0) {
      price_bounds.push_back(i);
      budgets.selectors.push_back({request.selectors[i], q.bound.units()});
    }
  }
  // Known without searching under the budgets: the rest alone admits no product, or its
  // cheapest product costs more than a budget.
  std::optional<SatResult> decided;
  std::vector<Lit> others;                               // every requirement but the price bounds
  int64_t budget = std::numeric_limits<int64_t>::max();  // the least price bound
  for (size_t i = 0; i < request.selectors.size(); ++i) {
    if (std::find(price_bounds.begin(), price_bounds.end(), i) == price_bounds.end())
      others.push_back(request.selectors[i]);
    else
      budget = std::min(budget, spec.spec.requirements[i].bound.units());
  }
  if (!price_bounds.empty() && spec.objective.front() == Objective::cheapest) {
    SatResult first = request.solver->solve(others, search);
    if (first == SatResult::unsat) decided = first;
    if (first == SatResult::sat) {
      Snapshot best(*request.solver);
      Minimum cheapest =
          minimize(*request.solver, *request.circuit, request.total, others, best, search);
      if (cheapest.optimal && cheapest.value <= budget) {
        out.status = Status::optimal;
        for (size_t k = 1; k < spec.objective.size(); ++k) {
          Linear target = objective_target(spec, request, k);
          if (!minimize(*request.solver, *request.circuit, target, others, best, search).optimal)
            out.status = Status::feasible;
        }
        if (out.status == Status::optimal &&
            !minimize(*request.solver, *request.circuit, off_default(engine), others, best, search)
                 .optimal) {
          out.status = Status::feasible;
        }
        extract_product(engine, spec, request, best, out);
        out.stats.seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        out.stats.solver_calls = request.solver->calls();
        return out;
      }
      if (cheapest.optimal) decided = SatResult::unsat;
    }
  }
  // When the objective starts with something that takes few values (the weight of the preferences
  // met), its optimum within the budgets is bisected over those values by budget checks
  // (least_within_budget) rather than minimised with the budgets as clauses, which CDCL refutes
  // poorly; it is then pinned and the rest follows. (A sum over many terms, a measure, would take
  // a bisection step per bit of its range: it keeps the minimisation.)
  size_t first_target = 0;
  bool budgets_left_out = false;  // true: only the price's minimum is known to be within them
  Linear first;  // built only when the objective starts with something else than the price
  bool bisect_first = false;
  if (!decided && !price_bounds.empty() && spec.objective.front() != Objective::cheapest) {
    first = objective_target(spec, request, 0);
    bisect_first = !few_values(first).empty();
  }
  if (bisect_first) {
    // No short search with the budgets as clauses first: it would build their adder, which every
    // later call then propagates (a budget below every product is refuted by the minimisation
    // too; bicycle specs took a third to a quarter of the time without it).
    bool none = false;
    if (std::optional<int64_t> least =
            least_within_budget(request, first, others, budget, search, &none)) {
      // With the price next, its minimum under the pin is within the budgets (the bisection
      // found a product within them): they need not be searched under, nor their adder built.
      if (spec.objective.size() > 1 && spec.objective[1] == Objective::cheapest) {
        assumptions = others;
        budgets_left_out = true;
      }
      assumptions.push_back(request.circuit->at_most(first, *least));
      first_target = 1;
    }
    if (none) decided = SatResult::unsat;  // nothing within the budgets: the conflict says why
  }
  SatResult r = decided ? *decided : request.solver->solve(assumptions, search);
  if (r == SatResult::sat) {
    Snapshot best(*request.solver);
    out.status = Status::optimal;
    std::vector<Linear> targets;
    for (size_t k = first_target; k < spec.objective.size(); ++k)
      targets.push_back(objective_target(spec, request, k));
    targets.push_back(off_default(engine));  // ties: keep catalog defaults
    for (const Linear& target : targets) {
      Minimum m = minimize(*request.solver, *request.circuit, target, assumptions, best, search);
      if (!m.optimal) {
        out.status = Status::feasible;
        break;
      }
    }
    // A limit that stopped the price's minimisation may leave a product above the budgets left
    // out of the search: none within them is known yet.
    if (out.status != Status::optimal && budgets_left_out &&
        evaluate(request.total, best) > budget) {
      out.status = Status::unknown;
    } else {
      extract_product(engine, spec, request, best, out);
    }
  } else if (r == SatResult::unknown) {
    out.status = Status::unknown;
  } else {
    out.status = Status::infeasible;
    if (limits.explain) {
      bool complete = true;
      std::vector<Lit> core =
          budgets.selectors.empty()
              ? quickxplain(*request.solver, {}, request.selectors, search, complete)
              : quickxplain(*request.solver, {}, request.selectors, search, complete, budgets);
      std::unordered_map<Lit, int> index_of;
      for (size_t i = 0; i < request.selectors.size(); ++i) index_of[request.selectors[i]] = i;
      std::vector<int> indices;
      for (Lit l : core) indices.push_back(index_of.at(l));
      std::sort(indices.begin(), indices.end());
      for (int i : indices) out.conflict.requirements.push_back(spec.spec.requirements[i].label());
      out.conflict.requirement_indices = indices;
      // The catalog rules behind a conflict matter less than the repairs: with a budget in the
      // conflict each of their checks can be a hard refutation, so they get a quarter of the
      // time left and are reported as not minimal when it runs out.
      SearchLimits rule_limits = search;
      if (search.deadline != std::chrono::steady_clock::time_point::max()) {
        auto now = std::chrono::steady_clock::now();
        if (now < search.deadline) rule_limits.deadline = now + (search.deadline - now) / 4;
      }
      bool rules_complete = true;
      out.conflict.rules = explain_rules(engine, spec, indices, rule_limits, rules_complete);
      out.conflict.minimal = complete && rules_complete;
      if (limits.max_repairs > 0 && !spec.spec.requirements.empty()) {
        out.repairs = find_repairs(engine, spec, limits, search, {}, &request);
      }
    }
  }
  out.stats.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  out.stats.solver_calls = request.solver->calls();
  return out;
}

std::vector<Repair> find_repairs(const Engine& engine, const PreparedSpec& spec,
                                 const Limits& limits, const SearchLimits& search,
                                 const std::vector<bool>& hard, Request* reuse) {
  Request fresh;
  if (!reuse) fresh = open_request(engine, spec);
  Request& request = reuse ? *reuse : fresh;
  const auto& reqs = spec.spec.requirements;
  size_t n = reqs.size();
  auto is_hard = [&](size_t i) { return i < hard.size() && hard[i]; };
  // A selector forced by a clause rather than assumed needs its deferred clauses now.
  if (std::find(hard.begin(), hard.end(), true) != hard.end()) request.solver->encode_deferred();
  for (size_t i = 0; i < n; ++i) {
    if (is_hard(i)) request.solver->add({request.selectors[i]});
  }
  // First lose as little weight as possible; then give up older requirements before newer ones
  // (weights 2^i make keeping requirement i worth more than keeping every older one).
  Linear lost, recency;
  for (size_t i = 0; i < n; ++i) {
    lost.add(reqs[i].weight.units(), -request.selectors[i]);
    int shift = static_cast<int>(i) - std::max(0, static_cast<int>(n) - 61);
    recency.add(int64_t{1} << std::max(0, shift), -request.selectors[i]);
  }
  std::vector<Repair> repairs;
  auto add_repair = [&](const std::vector<char>& dropped) {
    Repair repair;
    int64_t weight = 0;
    for (size_t i = 0; i < n; ++i) {
      if (!dropped[i]) continue;
      repair.drop.push_back(reqs[i].label());
      repair.drop_indices.push_back(i);
      weight += reqs[i].weight.units();
    }
    repair.weight_lost = Decimal::from_units(weight);
    repairs.push_back(std::move(repair));
  };
  // With a budget among few requirements, CDCL under the budget is the slow part: try the sets of
  // requirements to drop in repair order instead, each checked with its budgets by minimisation.
  // A set is skipped when it contains a repair already found: the first feasible set in this
  // order is the optimum the MaxSAT enumeration below finds, and it is minimal (every strict
  // subset comes earlier).
  std::vector<size_t> soft;
  PriceBound budgets{request.circuit.get(), &request.total, 0, {}};
  for (size_t i = 0; i < n; ++i) {
    if (is_hard(i)) continue;
    soft.push_back(i);
    if (reqs[i].kind == Requirement::Kind::bound && !reqs[i].at_least && spec.bound_measures[i] < 0)
      budgets.selectors.push_back({request.selectors[i], reqs[i].bound.units()});
  }
  constexpr size_t kMaxSubsetRequirements = 6;
  bool by_subsets = !budgets.selectors.empty() && soft.size() <= kMaxSubsetRequirements;
  if (by_subsets) {
    auto dropped_by = [&](uint32_t d) {
      std::vector<char> dropped(n, 0);
      for (size_t j = 0; j < soft.size(); ++j) dropped[soft[j]] = d >> j & 1;
      return dropped;
    };
    auto found =
        first_repairs(drop_sets_in_repair_order(reqs, soft), limits.max_repairs, [&](uint32_t d) {
          std::vector<Lit> kept;
          for (size_t j = 0; j < soft.size(); ++j) {
            if (!(d >> j & 1)) kept.push_back(request.selectors[soft[j]]);
          }
          SatResult r = solve_within_budgets(*request.solver, kept, &budgets, search);
          return r == SatResult::unknown ? Feasibility::unknown
                 : r == SatResult::sat   ? Feasibility::feasible
                                         : Feasibility::infeasible;
        });
    for (uint32_t d : found) add_repair(dropped_by(d));
  }
  // Repairs found so far are blocked only while enumerating (under `enumerating`), so that the
  // relaxations computed afterwards see the catalog and requirements alone.
  Lit enumerating = request.solver->new_var();
  // The enumeration reads the requirements kept from the selectors' values in its models, and
  // blocks repairs with clauses over them: every budget's clauses must be there.
  if (!by_subsets) request.solver->encode_deferred();
  while (!by_subsets && static_cast<int>(repairs.size()) < limits.max_repairs) {
    std::vector<Lit> assumptions{enumerating};
    if (request.solver->solve(assumptions, search) != SatResult::sat) break;
    Snapshot best(*request.solver);
    Minimum a = minimize(*request.solver, *request.circuit, lost, assumptions, best, search);
    if (!a.optimal) break;
    Minimum b = minimize(*request.solver, *request.circuit, recency, assumptions, best, search);
    if (!b.optimal) break;
    std::vector<Lit> block;
    std::vector<char> dropped(n, 0);
    for (size_t i = 0; i < n; ++i) {
      if (is_hard(i) || best.value(request.selectors[i])) continue;
      dropped[i] = 1;
      block.push_back(request.selectors[i]);
    }
    if (block.empty()) break;  // everything can be kept: not infeasible after all
    block.push_back(-enumerating);
    request.solver->add_clause(block);  // the next repair keeps at least one of these
    add_repair(dropped);
  }

  // Bounds dropped by a repair can often be relaxed instead: to the least value that works.
  // Budgets kept are checked by minimisation, not assumed (see least_within_budget).
  auto is_budget = [&](size_t i) {
    return reqs[i].kind == Requirement::Kind::bound && !reqs[i].at_least &&
           spec.bound_measures[i] < 0;
  };
  for (auto& repair : repairs) {
    std::vector<Lit> assumptions;
    std::optional<int64_t> budget;
    for (size_t i = 0; i < n; ++i) {
      if (std::find(repair.drop_indices.begin(), repair.drop_indices.end(), static_cast<int>(i)) !=
          repair.drop_indices.end()) {
        continue;
      }
      if (is_budget(i) && !is_hard(i))
        budget = std::min(budget.value_or(reqs[i].bound.units()), reqs[i].bound.units());
      else
        assumptions.push_back(request.selectors[i]);
    }
    Spec relaxed = spec.spec;
    std::vector<Requirement> kept;
    for (size_t i = 0; i < n; ++i) {
      bool dropped = std::find(repair.drop_indices.begin(), repair.drop_indices.end(),
                               static_cast<int>(i)) != repair.drop_indices.end();
      if (!dropped) {
        kept.push_back(reqs[i]);
        continue;
      }
      if (reqs[i].kind != Requirement::Kind::bound) continue;
      // An upper bound rises to the least value that works, a lower bound falls to the greatest.
      Linear quantity;
      quantity.add(
          spec.bound_measures[i] < 0 ? request.total : request.measures[spec.bound_measures[i]],
          reqs[i].at_least ? -1 : 1);
      std::optional<int64_t> least =
          least_within_budget(request, quantity, assumptions, budget, search);
      if (!least) continue;
      int64_t to = reqs[i].at_least ? -*least : *least;
      repair.relax.push_back({reqs[i].label(), Decimal::from_units(to)});
      if (is_budget(i))
        budget = std::min(budget.value_or(*least), *least);
      else
        assumptions.push_back(request.circuit->at_most(quantity, *least));
      Requirement r = reqs[i];
      r.bound = Decimal::from_units(to);
      kept.push_back(r);
    }
    relaxed.requirements = kept;
    Limits inner = limits;
    inner.explain = false;
    auto result = std::make_shared<ConfigureResult>(
        configure(engine, prepare_spec(engine, relaxed), inner, search));
    repair.result = result;
  }
  return repairs;
}

}  // namespace sumisura::detail
