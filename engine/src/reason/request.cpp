// Preparing and encoding customer specifications.
#include "reason/request.hpp"

#include <cstdlib>

#include <algorithm>

#include "model/resolve.hpp"

namespace sumisura::detail {
namespace {

[[noreturn]] void spec_error(const std::string& file, Position where, const std::string& message) {
  throw Error(ErrorKind::spec, message, file, where,
              {Diagnostic{Severity::error, file, where, message}});
}

std::vector<std::string> all_ids(const Catalog& c) {
  std::vector<std::string> ids;
  for (const auto& o : c.options) ids.push_back(o.id);
  for (const auto& s : c.slots) ids.push_back(s.id);
  for (const auto& s : c.services) ids.push_back(s.id);
  for (const auto& b : c.blocks) ids.push_back(b.id);
  return ids;
}

std::optional<bool> boolean_text(const std::string& v) {
  if (v == "true") return true;
  if (v == "false") return false;
  return std::nullopt;
}

}  // namespace

Assignment resolve_assignment(const Engine& engine, const std::string& name,
                              const std::string& value, const std::string& file, Position where) {
  const Catalog& c = engine.catalog();
  const CatalogIndex& ix = *engine.model().index;
  auto sym = ix.find(name);
  auto expect_boolean = [&](const char* what) {
    auto b = boolean_text(value);
    if (!b)
      spec_error(file, where,
                 std::string(what) + " '" + name + "' takes true or false, not '" + value + "'");
    return *b ? 1 : 0;
  };
  if (!sym) {
    if (name == "product" && !c.products.empty()) {
      auto p = ix.product_index(value);
      if (!p) spec_error(file, where, "there is no product '" + value + "'");
      return {Assignment::Target::product, *p, 0};
    }
    // SLOT.BLOCK=N: how many of a block a slot holding several blocks has (the columns that
    // analysis and sampling report).
    if (auto dot = name.find('.'); dot != std::string::npos) {
      auto slot = ix.slot_index(name.substr(0, dot));
      auto block = ix.block_index(name.substr(dot + 1));
      int pos = slot && block ? ix.block_position_in_slot(*slot, *block) : -1;
      if (pos >= 0 && engine.model().slot_var[*slot] < 0) {
        int var = engine.model().quantity_vars[*slot][pos];
        int most = engine.model().vars[var].size() - 1;
        char* end = nullptr;
        long n = std::strtol(value.c_str(), &end, 10);
        if (value.empty() || *end != '\0' || n < 0 || n > most)
          spec_error(file, where,
                     "'" + name + "' is a quantity from 0 to " + std::to_string(most) + ", not '" +
                         value + "'");
        return {Assignment::Target::quantity, var, static_cast<int>(n)};
      }
    }
    std::string best = closest_name(name, all_ids(c));
    spec_error(file, where,
               "'" + name + "' is not an option, slot, service or block of this catalog" +
                   (best.empty() ? "" : " (did you mean '" + best + "'?)"));
  }
  switch (sym->kind) {
    case SymbolKind::option: {
      auto k = ix.option_value_index(sym->index, value);
      if (!k) {
        std::vector<std::string> values;
        std::string shown;
        for (const auto& v : c.options[sym->index].values) {
          values.push_back(v.value.to_string());
          if (values.size() <= 12) shown += (shown.empty() ? "" : ", ") + values.back();
        }
        if (values.size() > 12) shown += ", ...";
        std::string best = closest_name(value, values);
        spec_error(file, where,
                   "option '" + name + "' has no value '" + value + "'" +
                       (best.empty() ? "" : " (did you mean '" + best + "'?)") +
                       "; its values: " + shown);
      }
      return {Assignment::Target::option, sym->index, *k};
    }
    case SymbolKind::slot: {
      bool single = engine.model().slot_var[sym->index] >= 0;
      if (value == "none") {
        return single ? Assignment{Assignment::Target::slot, sym->index, 0}
                      : Assignment{Assignment::Target::multi_slot_empty, sym->index, 0};
      }
      auto b = ix.block_index(value);
      int pos = b ? ix.block_position_in_slot(sym->index, *b) : -1;
      if (pos < 0) spec_error(file, where, "'" + value + "' is not a block of slot '" + name + "'");
      return single ? Assignment{Assignment::Target::slot, sym->index, pos + 1}
                    : Assignment{Assignment::Target::multi_slot_block, sym->index, pos};
    }
    case SymbolKind::service:
      return {Assignment::Target::service, sym->index, expect_boolean("service")};
    case SymbolKind::block:
      return {Assignment::Target::block, sym->index, expect_boolean("block")};
    case SymbolKind::product:
      return {Assignment::Target::product, sym->index, expect_boolean("product") ? 0 : -1};
    case SymbolKind::measure:
      spec_error(file, where,
                 "'" + name + "' is a measure; bound it with max: {" + name + ": VALUE} or min: {" +
                     name + ": VALUE}");
  }
  spec_error(file, where, "cannot assign '" + name + "'");
}

Lit assignment_lit(const Model& m, Circuit* circuit, const Assignment& a) {
  switch (a.target) {
    case Assignment::Target::option:
      return m.value_lit(m.option_var[a.index], a.value);
    case Assignment::Target::slot:
      return m.value_lit(m.slot_var[a.index], a.value);
    case Assignment::Target::multi_slot_block:
      return -m.value_lit(m.quantity_vars[a.index][a.value], 0);
    case Assignment::Target::multi_slot_empty: {
      std::vector<Lit> empty;
      for (int var : m.quantity_vars[a.index]) empty.push_back(m.value_lit(var, 0));
      return circuit->and_of(empty);
    }
    case Assignment::Target::service:
      return a.value ? m.service_included[a.index] : -m.service_included[a.index];
    case Assignment::Target::block:
      return a.value ? m.block_selected[a.index] : -m.block_selected[a.index];
    case Assignment::Target::product: {
      Lit l = m.product_var >= 0 ? m.value_lit(m.product_var, a.index) : kTrue;
      return a.value < 0 ? -l : l;
    }
    case Assignment::Target::quantity:
      return m.value_lit(a.index, a.value);
  }
  return kFalse;
}

namespace {

// The index of catalog measure `name`; -1 for `price` or, with a diagnostic, an unknown name.
int measure_index(const Catalog& c, const std::string& name, const std::string& what,
                  const std::string& file, Position where, std::vector<Diagnostic>& diagnostics) {
  if (name == "price") return -1;
  for (size_t m = 0; m < c.measures.size(); ++m) {
    if (c.measures[m].id == name) return static_cast<int>(m);
  }
  std::string names = "price";
  for (const auto& m : c.measures) names += ", " + m.id;
  diagnostics.push_back(
      {Severity::error, file, where,
       "'" + name + "' is not a measure of this catalog; " + what + " apply to: " + names});
  return -1;
}

}  // namespace

PreparedSpec prepare_spec(const Engine& engine, const Spec& spec) {
  PreparedSpec p;
  p.spec = spec;
  const Catalog& c = engine.catalog();
  const CatalogIndex& ix = *engine.model().index;
  std::vector<Diagnostic> diagnostics;
  Resolver resolver(ix, diagnostics);
  resolver.set_file(spec.source);
  for (const auto& r : spec.requirements) {
    p.requirements.push_back(nullptr);
    p.assignments.push_back({});
    p.bound_measures.push_back(-1);
    switch (r.kind) {
      case Requirement::Kind::expression:
        p.requirements.back() = resolver.boolean(r.text, r.where);
        break;
      case Requirement::Kind::assignment:
        try {
          p.assignments.back() = resolve_assignment(engine, r.name, r.value, spec.source, r.where);
        } catch (const Error& e) {
          diagnostics.insert(diagnostics.end(), e.diagnostics().begin(), e.diagnostics().end());
        }
        break;
      case Requirement::Kind::product: {
        auto prod = ix.product_index(r.name);
        if (!prod) {
          diagnostics.push_back({Severity::error, spec.source, r.where,
                                 "there is no product '" + r.name + "' in this catalog"});
        } else {
          p.assignments.back() = {Assignment::Target::product, *prod, 0};
        }
        break;
      }
      case Requirement::Kind::bound:
        p.bound_measures.back() =
            measure_index(c, r.name, "bounds", spec.source, r.where, diagnostics);
        break;
    }
  }
  for (const auto& pref : spec.preferences)
    p.preferences.push_back(resolver.boolean(pref.text, pref.where));
  if (!spec.tier.empty()) {
    for (size_t t = 0; t < c.tiers.size(); ++t) {
      if (c.tiers[t].id == spec.tier) p.tier = t;
    }
    if (p.tier < 0) {
      std::string known;
      for (const auto& t : c.tiers) known += (known.empty() ? "" : ", ") + t.id;
      diagnostics.push_back(
          {Severity::error, spec.source, spec.tier_where,
           "there is no customer tier '" + spec.tier + "' in this catalog" +
               (known.empty() ? std::string(" (it has none)") : "; its tiers: " + known)});
    }
  }
  for (const Objective& o : spec.objective) {
    if (o.kind != Objective::minimize && o.kind != Objective::maximize) continue;
    if (o.measure.empty()) {
      std::string word = o.kind == Objective::minimize ? "minimize" : "maximize";
      diagnostics.push_back({Severity::error,
                             spec.source,
                             {},
                             "objective '" + word + "' names no measure: write '" + word +
                                 " MEASURE', e.g. '" + word + " price'"});
    } else {
      measure_index(c, o.measure, "objectives", spec.source, {}, diagnostics);
    }
  }
  if (has_errors(diagnostics)) {
    const Diagnostic& d = diagnostics.front();
    throw Error(ErrorKind::spec, d.message, d.file, d.position, diagnostics);
  }
  p.objective = spec.objective;
  for (Objective& o : p.objective) {
    if (o.kind == Objective::minimize && o.measure == "price") o = Objective::cheapest;
  }
  if (p.objective.empty()) {
    if (!spec.preferences.empty()) p.objective.push_back(Objective::preferred);
    p.objective.push_back(Objective::cheapest);
  } else if (std::find(p.objective.begin(), p.objective.end(), Objective::cheapest) ==
             p.objective.end()) {
    p.objective.push_back(Objective::cheapest);  // ties are broken by price
  }
  for (const Objective& o : p.objective) {
    bool measured = o.kind == Objective::minimize || o.kind == Objective::maximize;
    std::vector<Diagnostic> none;
    p.objective_measures.push_back(
        measured ? measure_index(c, o.measure, "objectives", spec.source, {}, none) : -1);
  }
  return p;
}

std::vector<PriceTerm> customer_price(const Engine& engine, int tier) {
  const Model& m = engine.model();
  std::vector<PriceTerm> terms = m.price;
  if (tier >= 0) {
    Decimal pct = engine.catalog().tiers[tier].discount_percent;
    for (const auto& t : m.price) {
      int64_t cut = percent_of(t.amount, pct);
      if (cut != 0) terms.push_back({-cut, t.lit, PriceCategory::tier, tier});
    }
  }
  return terms;
}

Request open_request(const Engine& engine, const PreparedSpec& p, bool explanation,
                     bool requirements) {
  const Model& m = engine.model();
  Request r;
  r.solver = explanation ? engine.explanation_solver() : engine.solver();
  if (explanation) r.groups = engine.selectors();
  r.circuit = std::make_unique<Circuit>(*r.solver);
  r.terms = customer_price(engine, p.tier);
  for (const auto& t : r.terms) r.total.add(t.amount, t.lit);
  ExprEncoder encoder(m, *r.circuit, &r.total);
  const Spec& spec = p.spec;
  try {
    for (size_t i = 0; requirements && i < spec.requirements.size(); ++i) {
      Lit a = r.solver->new_var();
      r.selectors.push_back(a);
      // Unassumed, a requirement is off: otherwise the solver's default phase (true) would
      // enforce it anyway, and searching under a budget nobody asked for is slow.
      r.solver->phase(-a);
      const Requirement& req = spec.requirements[i];
      switch (req.kind) {
        case Requirement::Kind::expression:
          encoder.require(*p.requirements[i], a);
          break;
        case Requirement::Kind::assignment:
        case Requirement::Kind::product:
          r.solver->add({-a, assignment_lit(m, r.circuit.get(), p.assignments[i])});
          break;
        case Requirement::Kind::bound: {
          if (!req.at_least && p.bound_measures[i] < 0) {
            // Most searches check budgets by minimisation instead (see PriceBound): the adder
            // over the whole price is encoded only for a search that assumes the budget.
            SatSolver* solver = r.solver.get();
            Circuit* circuit = r.circuit.get();
            r.solver->defer(a, [solver, circuit, a, total = r.total, bound = req.bound.units(),
                                source = spec.source] {
              try {
                solver->add({-a, circuit->at_most(total, bound)});
              } catch (const EncodeError& e) {
                throw Error(ErrorKind::spec, e.what(), source);
              }
            });
            break;
          }
          Linear quantity =
              p.bound_measures[i] < 0 ? r.total : encoder.number(*m.measures[p.bound_measures[i]]);
          r.solver->add({-a, req.at_least ? r.circuit->at_least(quantity, req.bound.units())
                                          : r.circuit->at_most(quantity, req.bound.units())});
          break;
        }
      }
    }
    for (const auto& pref : p.preferences) r.preferences.push_back(encoder.boolean(*pref));
    for (const auto& measure : m.measures)
      r.measures.push_back(measure ? encoder.number(*measure) : Linear{});
  } catch (const EncodeError& e) {
    throw Error(ErrorKind::spec, e.what(), spec.source);
  }
  return r;
}

}  // namespace sumisura::detail
