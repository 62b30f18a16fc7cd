// Counting, analysis and sampling over the compiled form (Configurator::count, analyze, sample).
#include <map>
#include <random>

#include "api/variables.hpp"
#include "reason/configure.hpp"
#include "reason/domains.hpp"
#include "reason/request.hpp"
#include "sumisura/configurator.hpp"

namespace sumisura {

namespace {

using detail::CompiledCatalog;
using detail::FixedValues;
using detail::Natural;

/// The (FdVar, value) pairs NAME=VALUE choices fix. Throws Error(kind spec) for anything else.
FixedValues fixed_of(const detail::Engine& engine, const std::vector<Requirement>& where) {
  const detail::Model& m = engine.model();
  FixedValues fixed;
  for (const Requirement& r : where) {
    if (r.kind != Requirement::Kind::assignment && r.kind != Requirement::Kind::product)
      throw Error(ErrorKind::spec, "'" + r.label() +
                                       "': counting and sampling take NAME=VALUE choices of "
                                       "options, slots, services, blocks or the product");
    const std::string value = r.kind == Requirement::Kind::product ? r.name : r.value;
    const std::string name = r.kind == Requirement::Kind::product ? "product" : r.name;
    detail::Assignment a = detail::resolve_assignment(engine, name, value);
    if (a.target == detail::Assignment::Target::multi_slot_empty) {
      for (int v : m.quantity_vars[a.index]) fixed.push_back({v, 0});  // every block absent
      continue;
    }
    std::vector<detail::Lit> lits = {detail::assignment_lit(m, nullptr, a)};
    FixedValues one;
    if (!detail::value_assumptions(m, lits, one))
      throw Error(ErrorKind::spec, "'" + r.label() +
                                       "' is not a value of one variable (a block in several "
                                       "slots, or a block repeated in a slot); choose the slot's "
                                       "block, or the block's quantity as SLOT.BLOCK=N");
    fixed.insert(fixed.end(), one.begin(), one.end());
  }
  return fixed;
}

/// a / b as a double, for shares of counts far beyond a double's range.
double ratio(const Natural& a, const Natural& b) {
  if (b.is_zero()) return 0;
  size_t shift = b.bit_length() > 60 ? b.bit_length() - 60 : 0;
  Natural x = a, y = b;
  x.shift_right(shift);
  y.shift_right(shift);
  return x.to_double() / y.to_double();
}

/// The valid values under `fixed` from the search back end (no compiled form).
detail::DomainAnswer searched(const detail::Engine& engine, const FixedValues& fixed,
                              const detail::SearchLimits& search) {
  if (!engine.time_to_copy_solver(search)) return detail::nothing_known(engine.model());
  auto solver = engine.solver();
  detail::DomainSolver domains(engine, *solver, 256, /*use_compiled=*/false);
  std::vector<detail::Lit> lits;
  for (auto [v, k] : fixed) lits.push_back(engine.model().value_lit(v, k));
  std::shared_ptr<const std::vector<detail::Witness>> seeds;
  if (fixed.empty()) seeds = engine.initial_witnesses(search);
  return domains.compute(lits, search, seeds.get());
}

}  // namespace

Count Configurator::count(const std::vector<Requirement>& where) const {
  FixedValues fixed = fixed_of(*engine_, where);
  Count out;
  std::string why;
  const CompiledCatalog* compiled = engine_->wait_compiled(&why);
  if (!compiled) {
    out.reason = "the catalog has no compiled form (" + why + "): only a compiled form counts";
    return out;
  }
  out.exact = true;
  out.count = compiled->count(fixed).str();
  return out;
}

Analysis Configurator::analyze(const Limits& limits) const {
  const detail::Engine& engine = *engine_;
  const detail::Model& m = engine.model();
  const Catalog& c = catalog();
  Analysis a;
  // One deadline for the whole call: every search below shares it.
  const detail::SearchLimits search = detail::search_limits(limits);
  std::string why;
  const CompiledCatalog* compiled = engine.wait_compiled(&why);
  std::vector<std::vector<Natural>> counts;
  std::vector<std::vector<char>> valid(m.vars.size());
  Natural total;
  if (compiled) {
    total = compiled->value_counts({}, counts);
    a.counted = true;
    a.total = total.str();
    a.feasible = !total.is_zero();
    for (size_t v = 0; v < m.vars.size(); ++v)
      for (const auto& n : counts[v]) valid[v].push_back(!n.is_zero());
  } else {
    a.reason = "the catalog has no compiled form (" + why + "): no counts";
    detail::DomainAnswer answer = searched(engine, {}, search);
    a.feasible = answer.feasible;
    a.complete = answer.complete;
    for (size_t v = 0; v < m.vars.size(); ++v) {
      valid[v].assign(m.vars[v].size(), 0);
      if (answer.feasible)
        for (int k = 0; k < m.vars[v].size(); ++k) valid[v][k] = answer.valid[v][k];
    }
  }
  const bool sure = a.feasible && a.complete;
  for (size_t v = 0; v < m.vars.size(); ++v) {
    Column view = detail::describe_variable(m, static_cast<int>(v));
    VariableAnalysis va;
    va.name = view.name;
    va.kind = view.kind;
    int valid_count = 0;
    for (char x : valid[v]) valid_count += x;
    for (size_t k = 0; k < view.values.size(); ++k) {
      ValueAnalysis value;
      value.value = view.values[k];
      if (a.counted) {
        value.share = ratio(counts[v][k], total);
        // Writing thousands of counts of thousands of digits each takes seconds on the largest
        // feature models: the limit stops it like any other work (those counts stay empty).
        if (a.complete && (v & 63) == 0 && search.expired()) a.complete = false;
        if (a.complete) value.count = counts[v][k].str();
      }
      value.dead = sure && !valid[v][k];
      value.core = sure && valid[v][k] && valid_count == 1;
      std::string label = va.name + "=" + value.value.to_string();
      // `none` of a slot that always holds a block is dead by construction: not worth listing.
      bool structural = view.kind == "slot" && k == 0 && c.slots[m.vars[v].owner].min >= 1;
      if (value.dead && !structural) a.dead.push_back(label);
      if (value.core) a.core.push_back(label);
      va.values.push_back(std::move(value));
    }
    a.variables.push_back(std::move(va));
  }
  // False-optional: non-mandatory children that every product with their parent has. One pass
  // per parent, with the parent chosen, answers for all its children.
  if (sure) {
    std::map<int, std::vector<int>> children;  // parent option -> child options
    for (size_t o = 0; o < c.options.size(); ++o) {
      if (c.options[o].parent.empty() || c.options[o].mandatory) continue;
      if (auto p = m.index->option_index(c.options[o].parent)) children[*p].push_back(o);
    }
    for (const auto& [parent, kids] : children) {
      if (search.expired()) {  // one pass per parent: thousands on large feature models
        a.complete = false;
        break;
      }
      FixedValues chosen = {{m.option_var[parent], 1}};
      std::vector<std::vector<char>> under(m.vars.size());
      bool parent_possible;
      if (compiled) {
        parent_possible = compiled->valid_values(chosen, under);
      } else {
        detail::DomainAnswer answer = searched(engine, chosen, search);
        if (!answer.complete) {  // false-optional options not all known
          a.complete = false;
          break;
        }
        parent_possible = answer.feasible;
        for (size_t v = 0; v < m.vars.size() && parent_possible; ++v)
          under[v].assign(answer.valid[v].begin(), answer.valid[v].end());
      }
      if (!parent_possible) continue;  // a dead parent: its children are dead, not false-optional
      for (int o : kids) {
        int v = m.option_var[o];
        if (!under[v][0] && under[v][1]) {
          a.variables[v].false_optional = true;
          a.false_optional.push_back(c.options[o].id);
        }
      }
    }
  }
  return a;
}

Samples Configurator::sample(size_t n, uint64_t seed, const std::vector<Requirement>& where) const {
  FixedValues fixed = fixed_of(*engine_, where);
  Samples out;
  std::string why;
  const CompiledCatalog* compiled = engine_->wait_compiled(&why);
  if (!compiled) {
    out.reason = "the catalog has no compiled form (" + why + "): uniform sampling needs one";
    return out;
  }
  out.uniform = true;
  const detail::Model& m = engine_->model();
  for (size_t v = 0; v < m.vars.size(); ++v)
    out.columns.push_back(detail::describe_variable(m, static_cast<int>(v)));
  std::mt19937_64 rng(seed);
  out.products = compiled->sample(fixed, n, rng);
  return out;
}

}  // namespace sumisura
