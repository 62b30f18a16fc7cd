// Solver-backed catalog checks (see analyze.hpp).
#include "reason/analyze.hpp"

#include "model/resolve.hpp"
#include "reason/configure.hpp"
#include "reason/domains.hpp"
#include "reason/explain.hpp"

namespace sumisura::detail {

void semantic_checks(const Engine& engine, double seconds, std::vector<Diagnostic>& out) {
  const Catalog& c = engine.catalog();
  const Model& m = engine.model();
  Limits limits;
  limits.seconds = seconds;
  SearchLimits search = search_limits(limits);
  auto solver = engine.solver();
  SatResult r = solver->solve({}, search);
  if (r == SatResult::unsat) {
    PreparedSpec none = prepare_spec(engine, Spec{});
    bool complete = true;
    std::vector<RuleRef> rules = explain_rules(engine, none, {}, search, complete);
    std::string names;
    for (const auto& rule : rules) names += (names.empty() ? "" : ", ") + rule.id;
    Position where =
        rules.empty() ? Position{} : Position{rules.front().line, rules.front().column};
    out.push_back({Severity::error, c.source, where,
                   "no product satisfies all the rules together; these conflict: " + names +
                       " (relax one of them)"});
    return;
  }
  if (r == SatResult::unknown) return;

  // Rules whose `when` never holds in a valid product.
  std::vector<Diagnostic> scratch;
  Resolver resolver(*m.index, scratch);
  Circuit circuit(*solver);
  ExprEncoder encoder(m, circuit, nullptr);
  for (const auto& rule : c.rules) {
    // Rules of assembly instances would be reported once per instance (and an instance the
    // catalog never holds never fires): those of the catalog only.
    if (rule.when.empty() || !rule.scope.empty() || rule.generated || search.expired()) continue;
    auto when = resolver.rule_when(rule);
    if (!when) continue;
    Lit l;
    try {
      l = encoder.boolean(*when);
    } catch (const EncodeError&) {
      continue;  // `price` and other quantities the check cannot use here
    }
    if (solver->solve({l}, search) == SatResult::unsat) {
      out.push_back(
          {Severity::warning, c.source, rule.when_where,
           "rule " + quote_name(rule.id) + " can never fire: no valid product has " + rule.when});
    }
  }

  // Blocks and option values that no valid product has (native catalogs only: imported models
  // have thousands of features, and their dead features are an analysis question).
  if (c.blocks.empty() && c.services.empty()) return;
  DomainSolver domains(engine, *solver);
  auto seeds = engine.initial_witnesses(search);
  DomainAnswer a = domains.compute({}, search, seeds.get());
  if (!a.complete || !a.feasible) return;
  for (size_t b = 0; b < c.blocks.size(); ++b) {
    if (m.index->slots_of_block(b).empty()) continue;  // validate() already warns
    bool possible = false;
    for (int s : m.index->slots_of_block(b)) {
      int pos = m.index->block_position_in_slot(s, b);
      if (m.slot_var[s] >= 0) {
        possible |= a.valid[m.slot_var[s]][pos + 1];
      } else {
        int var = m.quantity_vars[s][pos];
        for (int k = 1; k < m.vars[var].size(); ++k) possible |= a.valid[var][k];
      }
    }
    if (!possible) {
      out.push_back({Severity::warning, c.source, c.blocks[b].where,
                     "block " + quote_name(c.blocks[b].id) +
                         " is in no valid product: the rules exclude it everywhere"});
    }
  }
  for (size_t o = 0; o < c.options.size(); ++o) {
    const FdVar& fd = m.vars[m.option_var[o]];
    for (int k = 0; k < fd.size(); ++k) {
      if (a.valid[m.option_var[o]][k]) continue;
      out.push_back({Severity::warning, c.source, c.options[o].values[k].where,
                     "value " + c.options[o].values[k].value.to_string() + " of option " +
                         quote_name(c.options[o].id) + " is in no valid product"});
    }
  }
  for (size_t s = 0; s < c.services.size(); ++s) {
    int var = -1;
    for (size_t v = 0; v < m.vars.size(); ++v) {
      if (m.vars[v].kind == VarKind::service && m.vars[v].owner == static_cast<int>(s)) var = v;
    }
    if (var >= 0 && !a.valid[var][1]) {
      out.push_back({Severity::warning, c.source, c.services[s].where,
                     "service " + quote_name(c.services[s].id) +
                         " can never be offered: its condition never holds"});
    }
  }
}

}  // namespace sumisura::detail
