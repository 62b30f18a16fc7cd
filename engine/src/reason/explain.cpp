// QuickXplain and rule explanations.
#include "reason/explain.hpp"

#include <algorithm>
#include <optional>

#include "compile/checker.hpp"
#include "reason/extract.hpp"
#include "search/optimize.hpp"

namespace sumisura::detail {

std::vector<Lit> quickxplain(SatSolver& solver, const std::vector<Lit>& background,
                             std::vector<Lit> candidates, const SearchLimits& limits,
                             bool& complete, const PriceBound* price);
SatResult solve_within_budgets(SatSolver& solver, const std::vector<Lit>& all,
                               const PriceBound* price, const SearchLimits& limits,
                               Snapshot* model) {
  // Budgets among the assumptions are checked by minimisation, not assumed (see PriceBound).
  std::vector<Lit> assumptions;
  std::optional<int64_t> budget;
  if (price && !price->selectors.empty()) {
    for (Lit l : all) {
      auto b = std::find_if(price->selectors.begin(), price->selectors.end(),
                            [&](const auto& s) { return s.first == l; });
      if (b == price->selectors.end()) {
        assumptions.push_back(l);
      } else {
        budget = std::min(budget.value_or(b->second), b->second);
      }
    }
  } else {
    assumptions = all;
    if (price) budget = price->at_most;
  }
  SatResult r = solver.solve(assumptions, limits);
  if (r != SatResult::sat || !budget) {
    if (r == SatResult::sat && model) *model = Snapshot(solver);
    return r;
  }
  // CDCL refutes a budget poorly; core-guided minimisation finds the least price quickly.
  Snapshot best(solver);
  r = within_bound(solver, *price->circuit, *price->total, assumptions, best, *budget, limits);
  if (r == SatResult::sat && model) *model = best;
  return r;
}

namespace {

struct LimitReached {};

class QuickXplain {
 public:
  QuickXplain(SatSolver& solver, const SearchLimits& limits, const PriceBound* price = nullptr)
      : solver_(solver), limits_(limits), price_(price) {}

  bool consistent(const std::vector<Lit>& all) {
    SatResult r = solve_within_budgets(solver_, all, price_, limits_);
    if (r == SatResult::unknown) throw LimitReached{};
    return r == SatResult::sat;
  }

  // Junker 2004: returns a minimal subset of c inconsistent with b; `has_delta` says whether b
  // grew since the caller last checked it.
  std::vector<Lit> run(const std::vector<Lit>& b, bool has_delta, const std::vector<Lit>& c) {
    if (has_delta && !consistent(b)) return {};
    if (c.size() == 1) return c;
    size_t half = c.size() / 2;
    std::vector<Lit> c1(c.begin(), c.begin() + half), c2(c.begin() + half, c.end());
    std::vector<Lit> b1 = b;
    b1.insert(b1.end(), c1.begin(), c1.end());
    std::vector<Lit> d2 = run(b1, !c1.empty(), c2);
    std::vector<Lit> b2 = b;
    b2.insert(b2.end(), d2.begin(), d2.end());
    std::vector<Lit> d1 = run(b2, !d2.empty(), c1);
    d1.insert(d1.end(), d2.begin(), d2.end());
    return d1;
  }

 private:
  SatSolver& solver_;
  const SearchLimits& limits_;
  const PriceBound* price_;
};

}  // namespace

std::vector<Lit> quickxplain(SatSolver& solver, const std::vector<Lit>& background,
                             std::vector<Lit> candidates, const SearchLimits& limits,
                             bool& complete) {
  return quickxplain(solver, background, std::move(candidates), limits, complete, nullptr);
}

std::vector<Lit> quickxplain(SatSolver& solver, const std::vector<Lit>& background,
                             std::vector<Lit> candidates, const SearchLimits& limits,
                             bool& complete, const PriceBound& price) {
  return quickxplain(solver, background, std::move(candidates), limits, complete, &price);
}

std::vector<Lit> quickxplain(SatSolver& solver, const std::vector<Lit>& background,
                             std::vector<Lit> candidates, const SearchLimits& limits,
                             bool& complete, const PriceBound* price) {
  complete = true;
  QuickXplain qx(solver, limits, price);
  try {
    std::vector<Lit> all = background;
    all.insert(all.end(), candidates.begin(), candidates.end());
    // Budgets given by selectors: when the rest is already unsatisfiable the budgets are not
    // needed, and the solver's core says so.
    bool rest_unsat = false;
    if (price && !price->selectors.empty()) {
      std::vector<Lit> rest;
      for (Lit l : all) {
        if (std::none_of(price->selectors.begin(), price->selectors.end(),
                         [&](const auto& s) { return s.first == l; }))
          rest.push_back(l);
      }
      SatResult r = solver.solve(rest, limits);
      if (r == SatResult::unknown) throw LimitReached{};
      rest_unsat = r == SatResult::unsat;
    }
    if (!rest_unsat && qx.consistent(all)) return {};  // not a conflict at all
    // The solver's own core is a good start: keep only the candidates it used, in their order.
    // (Not when the last call was a minimisation: its core is about the price, not the rules.)
    if (!price || rest_unsat) {
      std::vector<Lit> used = solver.failed(candidates);
      if (!used.empty() || candidates.empty()) candidates = used;
    }
    if (candidates.empty() || !qx.consistent(background)) return {};
    return qx.run(background, false, candidates);
  } catch (const LimitReached&) {
    complete = false;
    return candidates;
  }
}

RuleRef rule_ref(const Engine& engine, int group) {
  const ConstraintGroup& g = engine.model().groups[group];
  RuleRef r;
  r.id = g.id;
  r.message = g.message;
  // A rule without a message of its own (an imported clause) is explained by its expression.
  if (r.message.empty() && g.kind == ConstraintGroup::Kind::rule && g.index >= 0)
    r.message = engine.catalog().rules[g.index].expression;
  r.file = engine.catalog().source;
  r.line = g.where.line;
  r.column = g.where.column;
  switch (g.kind) {
    case ConstraintGroup::Kind::rule:
      // Rules the engine wrote for assembly instances are built in, as slot sizes are.
      r.kind = g.index >= 0 && engine.catalog().rules[g.index].generated ? "assembly" : "rule";
      break;
    case ConstraintGroup::Kind::block_requires:
      r.kind = "requires";
      break;
    case ConstraintGroup::Kind::block_excludes:
      r.kind = "excludes";
      break;
    case ConstraintGroup::Kind::slot_cardinality:
      r.kind = "slot";
      break;
    case ConstraintGroup::Kind::service_offer:
      r.kind = "service";
      break;
    case ConstraintGroup::Kind::product_scope:
      r.kind = "product";
      break;
    case ConstraintGroup::Kind::bundle:
      r.kind = "bundle";
      break;
  }
  return r;
}

namespace {

/// Whether a product within the budget meets `trial`: a search, then a minimisation. sat: `best`
/// holds such a product; unsat: `proof` holds the assumptions the refutation used. (A first short
/// search with the budget as clauses made explanations twice as slow on shoes, even at ten
/// conflicts.)
SatResult check_within_budget(const Request& request, const std::vector<Lit>& trial,
                              const PriceBound& price, const SearchLimits& limits, Snapshot& best,
                              std::vector<Lit>& proof) {
  SatResult r = request.solver->solve(trial, limits);
  if (r == SatResult::unsat) proof = request.solver->failed(trial);
  if (r != SatResult::sat) return r;
  best = Snapshot(*request.solver);
  return within_bound(*request.solver, *price.circuit, *price.total, trial, best, price.at_most,
                      limits, &proof);
}

enum class Grown {
  conflict,     ///< the grown set admits no product within the budget
  no_conflict,  ///< a product within the budget breaks no constraint
  unchecked,    ///< the catalog has no checker for its constraints: nothing grown
  limit         ///< a limit stopped it
};

/// With a budget, QuickXplain over every catalog constraint makes a minimisation per check.
/// Most constraints have nothing to do with the conflict: grow a set from none instead, adding the
/// constraints that a product within the budget under the set so far breaks, until it costs more
/// than the budget (or none exists). On a conflict, `groups` is that set, `used` the constraints
/// the last refutation used, and `products` each product found within the budget (values per
/// variable).
Grown grow_price_conflict(const Engine& engine, Request& request,
                          const std::vector<Lit>& background, const PriceBound& price,
                          const SearchLimits& limits, std::vector<Lit>& groups,
                          std::vector<Lit>& used, std::vector<std::vector<uint32_t>>& products) {
  const Model& m = engine.model();
  if (!m.checker || m.checker->size() != request.groups.size()) return Grown::unchecked;
  used = request.groups;  // until a refutation says which
  std::vector<char> taken(request.groups.size(), 0);
  std::vector<Lit> grown;
  // Each round takes at least one more constraint, so this ends by the time all are taken.
  while (true) {
    std::vector<Lit> assumptions = background;
    assumptions.insert(assumptions.end(), grown.begin(), grown.end());
    Snapshot best;
    SatResult r = check_within_budget(request, assumptions, price, limits, best, used);
    if (r == SatResult::unknown) return Grown::limit;
    if (r == SatResult::unsat) break;
    std::vector<uint32_t> values = values_of(m, best);
    bool added = false;
    for (size_t g = 0; g < request.groups.size(); ++g) {
      if (taken[g] || m.checker->holds(static_cast<int>(g), values.data())) continue;
      taken[g] = 1;
      grown.push_back(request.groups[g]);
      added = true;
    }
    products.push_back(std::move(values));
    if (!added) return Grown::no_conflict;
  }
  groups = grown;
  return Grown::conflict;
}

/// The preferred minimal conflict among `candidates` (known to admit no product within the budget
/// with `background`), found from the end: the last candidate is dropped when the rest still admit
/// none, kept otherwise. This is what QuickXplain returns for the same order (Junker 2004), with
/// fewer checks under a budget, where each check is a minimisation and refutations cost most:
/// - a refutation's proof names the constraints it used (`used`), so every candidate after the
///   last of those goes at once, without a check of its own;
/// - a product already found within the budget (`products`, values per variable) that meets every
///   constraint of a check answers it without the solver.
std::vector<Lit> shrink_price_conflict(const Engine& engine, Request& request,
                                       const std::vector<Lit>& background,
                                       const std::vector<Lit>& candidates,
                                       const std::vector<Lit>& used,
                                       const std::vector<std::vector<uint32_t>>& products,
                                       const PriceBound& price, const SearchLimits& limits,
                                       bool& complete) {
  const Model& m = engine.model();
  std::unordered_map<Lit, int> group_of;
  for (size_t g = 0; g < request.groups.size(); ++g) group_of[request.groups[g]] = g;
  // For each product, the positions of the candidates it breaks.
  std::vector<std::vector<size_t>> broken;
  auto remember = [&](const std::vector<uint32_t>& values) {
    std::vector<size_t> b;
    for (size_t i = 0; i < candidates.size(); ++i) {
      if (!m.checker->holds(group_of.at(candidates[i]), values.data())) b.push_back(i);
    }
    broken.push_back(std::move(b));
  };
  for (const auto& values : products) remember(values);

  complete = true;
  std::vector<size_t> kept;  // positions of the constraints every conflict needs, last first
  // The candidates still in play are [0, end) and `kept`; together they admit no product.
  auto last_used = [&](const std::vector<Lit>& proof, size_t end) {
    std::vector<Lit> sorted = proof;
    std::sort(sorted.begin(), sorted.end());
    while (end > 0 && !std::binary_search(sorted.begin(), sorted.end(), candidates[end - 1])) --end;
    return end;
  };
  // Whether a product found meets the candidates [0, end - 1) and `kept`.
  auto known_product = [&](size_t end) {
    return std::any_of(broken.begin(), broken.end(), [&](const std::vector<size_t>& b) {
      return std::none_of(b.begin(), b.end(), [&](size_t i) {
        return i + 1 < end || std::find(kept.begin(), kept.end(), i) != kept.end();
      });
    });
  };
  size_t end = last_used(used, candidates.size());
  while (end > 0) {
    if (known_product(end)) {
      kept.push_back(end - 1);  // without it there is a product: it is needed
      --end;
      continue;
    }
    std::vector<Lit> trial = background;
    trial.insert(trial.end(), candidates.begin(), candidates.begin() + (end - 1));
    for (size_t i : kept) trial.push_back(candidates[i]);
    std::vector<Lit> proof;
    Snapshot best;
    SatResult r = check_within_budget(request, trial, price, limits, best, proof);
    if (r == SatResult::unknown) {
      complete = false;
      for (size_t i = end; i-- > 0;) kept.push_back(i);
      break;
    }
    if (r == SatResult::sat) {
      remember(values_of(m, best));
      kept.push_back(end - 1);
      --end;
    } else {
      end = last_used(proof, end - 1);
    }
  }
  std::sort(kept.begin(), kept.end());
  std::vector<Lit> out;
  for (size_t i : kept) out.push_back(candidates[i]);
  return out;
}

}  // namespace

std::vector<RuleRef> explain_rules(const Engine& engine, const PreparedSpec& spec,
                                   const std::vector<int>& required, const SearchLimits& limits,
                                   bool& complete) {
  Request request = open_request(engine, spec, /*explanation=*/true);
  // Bounds on the price among the requirements are checked by minimisation: with the budget as
  // clauses each check is a hard refutation for CDCL (seconds on the shipped catalogs).
  std::optional<int64_t> budget;
  std::vector<Lit> background;
  for (int i : required) {
    const Requirement& q = spec.spec.requirements[i];
    if (q.kind == Requirement::Kind::bound && !q.at_least && spec.bound_measures[i] < 0) {
      budget = std::min(budget.value_or(q.bound.units()), q.bound.units());
      continue;
    }
    background.push_back(request.selectors[i]);
  }
  PriceBound price{request.circuit.get(), &request.total, budget.value_or(0), {}};
  std::vector<Lit> groups = request.groups;
  std::vector<Lit> used;
  std::vector<std::vector<uint32_t>> products;
  Grown grown = budget ? grow_price_conflict(engine, request, background, price, limits, groups,
                                             used, products)
                       : Grown::unchecked;
  complete = grown != Grown::limit;
  if (grown == Grown::limit || grown == Grown::no_conflict) return {};
  std::vector<Lit> core = grown == Grown::conflict
                              ? shrink_price_conflict(engine, request, background, groups, used,
                                                      products, price, limits, complete)
                              : quickxplain(*request.solver, background, groups, limits, complete,
                                            budget ? &price : nullptr);
  std::unordered_map<Lit, int> group_of;
  for (size_t g = 0; g < request.groups.size(); ++g) group_of[request.groups[g]] = g;
  std::vector<int> chosen;
  for (Lit l : core) chosen.push_back(group_of.at(l));
  std::sort(chosen.begin(), chosen.end());
  std::vector<RuleRef> out;
  for (int g : chosen) out.push_back(rule_ref(engine, g));
  return out;
}

}  // namespace sumisura::detail
