// configure answered on the priced compiled form (see configure_compiled.hpp).
#include "reason/configure_compiled.hpp"

#include <algorithm>
#include <chrono>
#include <numeric>

#include "compile/checker.hpp"
#include "compile/defaults.hpp"
#include "compile/encoder.hpp"
#include "reason/condition.hpp"
#include "reason/configure.hpp"
#include "reason/explain.hpp"
#include "reason/extract.hpp"
#include "reason/product_reader.hpp"
#include "reason/repair_order.hpp"

namespace sumisura::detail {
namespace {

/// What each value of each FdVar adds to catalog measure `measure`, when the measure is a sum over
/// values (sums of block attributes, counts, constants times those): its encoding is then a linear
/// sum of value literals alone. False when it needs gates of its own (max, min, conditions, the
/// price): search answers those. The constant part, the same in every product, is left out.
bool additive_measure(const Model& m, int measure, std::vector<std::vector<int64_t>>& per_value) {
  if (measure < 0 || measure >= static_cast<int>(m.measures.size()) || !m.measures[measure])
    return false;
  CnfBuffer scratch;  // holds the unit clause of kTrue, nothing else unless a gate is made
  while (scratch.num_vars() < m.cnf.num_vars()) scratch.new_var();
  const size_t clauses = scratch.size();
  Circuit circuit(scratch);
  ExprEncoder encoder(m, circuit, nullptr);
  Linear sum;
  try {
    sum = encoder.number(*m.measures[measure]);
  } catch (const EncodeError&) {
    return false;
  }
  if (scratch.size() > clauses || scratch.num_vars() > m.cnf.num_vars()) return false;
  per_value.assign(m.vars.size(), {});
  for (auto [w, lit] : sum.terms) {
    int sat = std::abs(lit);
    int var = sat < static_cast<int>(m.fd_of_sat.size()) ? m.fd_of_sat[sat] : -1;
    if (var < 0) return false;
    auto& row = per_value[var];
    if (row.empty()) row.assign(m.vars[var].size(), 0);
    bool found = false, overflow = false;
    for (int k = 0; k < m.vars[var].size() && !found; ++k) {
      if (m.vars[var].lits[k] == lit) {
        overflow |= __builtin_add_overflow(row[k], w, &row[k]);
        found = true;
      } else if (m.vars[var].lits[k] == -lit) {  // "not value k": w on every other value
        for (int j = 0; j < m.vars[var].size(); ++j)
          if (j != k) overflow |= __builtin_add_overflow(row[j], w, &row[j]);
        found = true;
      }
    }
    if (!found || overflow) return false;  // weights near 2^63: search answers
  }
  return true;
}

/// A relaxed form gave a product that breaks a rule it left out: it cannot decide this question,
/// and search answers the whole configure instead.
struct Unsure {};

class CompiledConfigure {
 public:
  CompiledConfigure(const Engine& engine, const CompiledCatalog& compiled, const PreparedSpec& spec)
      : engine_(engine), m_(engine.model()), compiled_(compiled), spec_(spec) {}

  /// Reads the spec; false when some part of it needs search.
  bool translate() {
    const auto& reqs = spec_.spec.requirements;
    for (size_t i = 0; i < reqs.size(); ++i) {
      Condition c;
      switch (reqs[i].kind) {
        case Requirement::Kind::assignment:
        case Requirement::Kind::product:
          if (!assignment_condition(m_, spec_.assignments[i], c)) return false;
          break;
        case Requirement::Kind::expression:
          if (!spec_.requirements[i] || !single_variable(m_, *spec_.requirements[i], c))
            return false;
          break;
        case Requirement::Kind::bound:
          // Measures are not additive in general; a least price is not a budget.
          if (spec_.bound_measures[i] >= 0 || reqs[i].at_least) return false;
          c.price_at_most = reqs[i].bound.units();
          break;
      }
      conditions_.push_back(std::move(c));
    }
    for (const auto& p : spec_.preferences) {
      Condition c;
      if (!p || !single_variable(m_, *p, c)) return false;
      preferences_.push_back(std::move(c));
    }
    if (spec_.objective.size() + 1 > LexKey().size()) return false;
    measure_values_.assign(spec_.objective.size(), {});
    for (size_t part = 0; part < spec_.objective.size(); ++part) {
      const Objective& o = spec_.objective[part];
      if (o.kind != Objective::minimize && o.kind != Objective::maximize) continue;
      // The price maximised, or a measure that is not a sum over values: search.
      if (!additive_measure(m_, spec_.objective_measures[part], measure_values_[part]))
        return false;
    }
    for (const auto& t : customer_price(engine_, spec_.tier)) price_.push_back({t.lit, t.amount});
    return true;
  }

  /// Whether some valid product meets the requirements in `kept`.
  bool feasible(const std::vector<char>& kept) {
    PricedQuery q = query(kept, false);
    if (never_) return false;
    return checked(compiled_.best(q), q).outcome == LexOutcome::found;
  }

  /// `a`, the answer to `q`, once it meets the rules a relaxed form left out: as it is, or asked
  /// again within the rule where the form can bound it. Throws Unsure where neither settles it.
  PricedAnswer checked(PricedAnswer a, PricedQuery& q) const {
    if (a.outcome != LexOutcome::found || meets_left_out(a.values)) return a;
    if (!compiled_.bounds_left_out() || q.budget) throw Unsure{};
    q.within_left_out = true;
    a = compiled_.best(q);
    if (a.outcome == LexOutcome::too_wide) throw Unsure{};
    if (a.outcome == LexOutcome::found && !meets_left_out(a.values)) throw Unsure{};
    return a;
  }

  /// The clauses the form holds: the model's, or a relaxed form's fewer.
  const CnfBuffer& clauses() const {
    return compiled_.relaxed_cnf() ? *compiled_.relaxed_cnf() : m_.cnf;
  }

  /// Whether `values` meet the rules a relaxed form left out (always, on an exact form).
  bool meets_left_out(const std::vector<uint32_t>& values) const {
    return compiled_.meets_left_out(m_, values);
  }

  /// The best product meeting the requirements in `kept`, by the spec's objective.
  PricedAnswer optimum(const std::vector<char>& kept) {
    PricedQuery q = query(kept, true);
    if (overflow_) {
      PricedAnswer wide;
      wide.outcome = LexOutcome::too_wide;
      return wide;
    }
    if (never_) return {};
    return checked(compiled_.best(q), q);
  }

  /// The least price of a product meeting the requirements in `kept` (price bounds included).
  std::optional<int64_t> cheapest(const std::vector<char>& kept) {
    PricedQuery q = query(kept, false);
    if (never_) return std::nullopt;
    q.price_part = 0;
    PricedAnswer a = checked(compiled_.best(q), q);
    if (a.outcome != LexOutcome::found) return std::nullopt;
    return a.price;
  }

  size_t size() const { return conditions_.size(); }

 private:
  PricedQuery query(const std::vector<char>& kept, bool objective) {
    PricedQuery q;
    never_ = false;
    q.price = price_;
    for (size_t i = 0; i < conditions_.size(); ++i) {
      if (!kept[i]) continue;
      const Condition& c = conditions_[i];
      never_ = never_ || c.never;
      if (c.price_at_most)
        q.budget = std::min(q.budget.value_or(*c.price_at_most), *c.price_at_most);
      if (c.var < 0) continue;
      for (size_t k = 0; k < c.allowed.size(); ++k) {
        if (!c.allowed[k]) q.excluded.push_back({c.var, static_cast<uint32_t>(k)});
      }
    }
    q.value_key.assign(m_.vars.size(), {});
    // A relaxed form's witnesses must meet the rules it left out: the catalog's defaults (a
    // rider of average weight, no luggage) are the likeliest to.
    if (!objective && compiled_.left_out().empty()) return q;
    auto add = [&](int var, size_t k, size_t part, int64_t amount) {
      auto& row = q.value_key[var];
      if (row.empty()) row.assign(m_.vars[var].size(), LexKey{});
      // Weights near 2^63 that add up past it: search answers (PricedAnswer::too_wide).
      if (__builtin_add_overflow(row[k][part], amount, &row[k][part])) overflow_ = true;
    };
    for (size_t part = 0; objective && part < spec_.objective.size(); ++part) {
      const Objective& o = spec_.objective[part];
      if (o == Objective::cheapest) {
        q.price_part = static_cast<int>(part);
        continue;
      }
      if (o.kind == Objective::minimize || o.kind == Objective::maximize) {
        const auto& values = measure_values_[part];
        for (size_t var = 0; var < values.size(); ++var) {
          for (size_t k = 0; k < values[var].size(); ++k) {
            int64_t w = values[var][k];
            if (w == 0) continue;
            if (o.kind == Objective::maximize && __builtin_mul_overflow(w, -1, &w))
              overflow_ = true;
            add(static_cast<int>(var), k, part, w);
          }
        }
        continue;
      }
      for (size_t i = 0; i < preferences_.size(); ++i) {
        const Condition& c = preferences_[i];
        if (c.var < 0) continue;  // met or unmet whatever the product: no choice to make
        int64_t w = spec_.spec.preferences[i].weight.units();
        for (size_t k = 0; k < c.allowed.size(); ++k) {
          if (!c.allowed[k]) add(c.var, k, part, w);
        }
      }
    }
    // Ties: options and slots keep their catalog defaults.
    size_t last = spec_.objective.size();
    std::vector<std::vector<int>> costs = default_costs(m_);
    for (size_t var = 0; var < costs.size(); ++var) {
      for (size_t k = 0; k < costs[var].size(); ++k)
        if (costs[var][k] != 0) add(static_cast<int>(var), k, last, costs[var][k]);
    }
    return q;
  }

  const Engine& engine_;
  const Model& m_;
  const CompiledCatalog& compiled_;
  const PreparedSpec& spec_;
  std::vector<Condition> conditions_, preferences_;
  /// Per objective part minimising or maximising a measure: what each value adds to it.
  std::vector<std::vector<std::vector<int64_t>>> measure_values_;
  PriceTerms price_;
  bool never_ = false;
  bool overflow_ = false;
};

/// Junker's QuickXplain over requirement indices, with the compiled form as the oracle: a minimal
/// subset of `candidates` that no product meets together with `background`.
std::vector<int> quickxplain(CompiledConfigure& cc, std::vector<int> background, bool has_delta,
                             const std::vector<int>& candidates) {
  auto consistent = [&](const std::vector<int>& kept) {
    std::vector<char> mask(cc.size(), 0);
    for (int i : kept) mask[i] = 1;
    return cc.feasible(mask);
  };
  if (has_delta && !consistent(background)) return {};
  if (candidates.size() == 1) return candidates;
  size_t half = candidates.size() / 2;
  std::vector<int> c1(candidates.begin(), candidates.begin() + half);
  std::vector<int> c2(candidates.begin() + half, candidates.end());
  std::vector<int> b1 = background;
  b1.insert(b1.end(), c1.begin(), c1.end());
  std::vector<int> d2 = quickxplain(cc, b1, !c1.empty(), c2);
  std::vector<int> b2 = background;
  b2.insert(b2.end(), d2.begin(), d2.end());
  std::vector<int> d1 = quickxplain(cc, b2, !d2.empty(), c1);
  d1.insert(d1.end(), d2.begin(), d2.end());
  return d1;
}

/// The repairs find_repairs would give (least weight lost, then the most recent requirements
/// kept; none a superset of an earlier one), by trying drop sets in that order.
/// Repairs whose drop sets and relaxed budgets the compiled form settled, with the spec each
/// repair's product is then configured for.
struct PlannedRepairs {
  std::vector<Repair> repairs;
  std::vector<Spec> specs;
};

PlannedRepairs compiled_repairs(CompiledConfigure& cc, const PreparedSpec& spec,
                                const Limits& limits) {
  const auto& reqs = spec.spec.requirements;
  size_t n = reqs.size();
  std::vector<size_t> all(n);
  std::iota(all.begin(), all.end(), size_t{0});
  auto kept_by = [&](uint32_t drop) {
    std::vector<char> kept(n, 1);
    for (size_t i = 0; i < n; ++i) kept[i] = !(drop >> i & 1);
    return kept;
  };
  std::vector<Repair> repairs;
  for (uint32_t drop :
       first_repairs(drop_sets_in_repair_order(reqs, all), limits.max_repairs, [&](uint32_t d) {
         return cc.feasible(kept_by(d)) ? Feasibility::feasible : Feasibility::infeasible;
       })) {
    Repair repair;
    int64_t lost = 0;
    for (size_t i = 0; i < n; ++i) {
      if (!(drop >> i & 1)) continue;
      repair.drop.push_back(reqs[i].label());
      repair.drop_indices.push_back(static_cast<int>(i));
      lost += reqs[i].weight.units();
    }
    repair.weight_lost = Decimal::from_units(lost);
    repairs.push_back(std::move(repair));
  }
  // Bounds dropped can often be relaxed instead: to the least price that works with the rest.
  std::vector<Spec> relaxed_specs;
  for (auto& repair : repairs) {
    std::vector<char> kept(n, 1);
    for (int i : repair.drop_indices) kept[i] = 0;
    std::vector<Requirement> relaxed_reqs;
    for (size_t i = 0; i < n; ++i) {
      if (kept[i]) {
        relaxed_reqs.push_back(reqs[i]);
        continue;
      }
      if (reqs[i].kind != Requirement::Kind::bound) continue;
      std::optional<int64_t> least = cc.cheapest(kept);
      if (!least) continue;
      repair.relax.push_back({reqs[i].label(), Decimal::from_units(*least)});
      Requirement r = reqs[i];
      r.bound = Decimal::from_units(*least);
      relaxed_reqs.push_back(r);
    }
    relaxed_specs.push_back(spec.spec);
    relaxed_specs.back().requirements = relaxed_reqs;
  }
  return {std::move(repairs), std::move(relaxed_specs)};
}

/// Each planned repair's product, configured (on whichever back end answers).
std::vector<Repair> configured(PlannedRepairs planned, const Engine& engine, const Limits& limits,
                               const SearchLimits& search) {
  Limits inner = limits;
  inner.explain = false;
  for (size_t r = 0; r < planned.repairs.size(); ++r) {
    planned.repairs[r].result = std::make_shared<ConfigureResult>(
        configure(engine, prepare_spec(engine, planned.specs[r]), inner, search));
  }
  return std::move(planned.repairs);
}

/// The answer from the compiled form's optimum `best`: the product, or the conflict and repairs.
/// False when search must answer (a product propagation and the solver reject). Throws Unsure
/// when a relaxed form cannot decide one of the explanation's questions.
bool answer(const Engine& engine, const PreparedSpec& spec, const Limits& limits,
            const SearchLimits& search, CompiledConfigure& cc, const PricedAnswer& best,
            ConfigureResult& result) {
  size_t n = cc.size();
  if (best.outcome == LexOutcome::found) {
    result.status = Status::optimal;
    // The product's literals (gates, bundles applied, measures) by propagation, or else from one
    // solver call with every value fixed.
    if (read_product(engine, spec, best.values, cc.clauses(), result)) return true;
    Request request = open_request(engine, spec, false, /*requirements=*/false);
    std::vector<Lit> assumptions;
    const Model& m = engine.model();
    for (size_t v = 0; v < m.vars.size(); ++v)
      assumptions.push_back(m.vars[v].lits[best.values[v]]);
    if (request.solver->solve(assumptions, search) != SatResult::sat) return false;
    Snapshot model(*request.solver);
    extract_product(engine, spec, request, model, result);
    result.stats.solver_calls = request.solver->calls();
  } else {
    result.status = Status::infeasible;
    if (limits.explain) {
      std::vector<int> indices(n);
      std::iota(indices.begin(), indices.end(), 0);
      // A catalog with no product at all: no requirement is to blame (and none to drop).
      bool catalog_feasible = cc.feasible(std::vector<char>(n, 0));
      std::vector<int> core;
      if (catalog_feasible) core = quickxplain(cc, {}, false, indices);
      std::sort(core.begin(), core.end());
      for (int i : core) result.conflict.requirements.push_back(spec.spec.requirements[i].label());
      result.conflict.requirement_indices = core;
      // Every compiled question before any search (on a relaxed form any may throw Unsure, and
      // search then answers the whole configure).
      const bool repair = limits.max_repairs > 0 && n > 0 && catalog_feasible;
      const bool compiled_repair = repair && n <= kMaxCompiledRepairRequirements;
      PlannedRepairs planned;
      if (compiled_repair) planned = compiled_repairs(cc, spec, limits);
      bool rules_complete = true;
      result.conflict.rules = explain_rules(engine, spec, core, search, rules_complete);
      result.conflict.minimal = rules_complete;
      if (compiled_repair) {
        result.repairs = configured(std::move(planned), engine, limits, search);
      } else if (repair) {
        result.repairs = find_repairs(engine, spec, limits, search);
      }
    }
  }
  return true;
}

}  // namespace

bool configure_compiled(const Engine& engine, const PreparedSpec& spec, const Limits& limits,
                        const SearchLimits& search, ConfigureResult& out) {
  if (!limits.use_compiled) return false;
  const CompiledCatalog* compiled = engine.compiled_for_configure();
  if (!compiled) compiled = engine.relaxed_for_configure();
  if (!compiled) return false;
  if (!compiled->has_prices() && !engine.model().price.empty()) return false;
  auto start = std::chrono::steady_clock::now();
  CompiledConfigure cc(engine, *compiled, spec);
  if (!cc.translate()) return false;
  size_t n = cc.size();
  std::vector<char> all(n, 1);
  ConfigureResult result;
  try {
    // On a relaxed form, a product that meets the rules left out is the catalog's optimum too.
    PricedAnswer best = cc.optimum(all);
    if (best.outcome == LexOutcome::too_wide) return false;
    if (!answer(engine, spec, limits, search, cc, best, result)) return false;
  } catch (const Unsure&) {
    return false;
  }
  result.stats.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result.stats.compiled = true;
  out = std::move(result);
  return true;
}

}  // namespace sumisura::detail
