// The meaning half of diff(): which products each version makes that the other does not.
//
// Both versions are put over one set of variables (those they share, plus slots, services, block
// quantities and boolean options that only one has, which the other holds empty / off / 0 /
// false). Each version's CNF gets, for every value of that set it lacks, a fresh literal fixed to
// false (or to true for the empty value of a variable it lacks). Three d-DNNFs projected on those
// value literals then give exact counts: the old version, the new one, and both together (the two
// CNFs side by side, their value literals tied by equivalences). Products of the old version
// only = old - both; of the new version only = new - both.
//
// Examples of "old only" products come from the two circuits old and both: fix, one variable at a
// time, a value whose count in old exceeds its count in both (choosing the variable where that
// excess is most concentrated), until no product of both remains; then draw uniformly from old.
#include "versions/product_diff.hpp"

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "api/compile_options.hpp"
#include "api/variables.hpp"
#include "compiled/compiled_catalog.hpp"
#include "reason/engine.hpp"

namespace sumisura::detail {
namespace {

/// One variable of the comparison: its name, values (old's, then new's own) and where each
/// version has it.
struct Compared {
  std::string name;
  std::vector<Value> values;
  std::optional<Value> empty;  ///< the value a version without the variable holds
  int var[2] = {-1, -1};       ///< FdVar in old / new, or -1
  std::vector<int> index[2];   ///< per value: its index in that version's FdVar, or -1
};

std::optional<Value> empty_value(const Column& c) {
  if (c.kind == "slot") return Value::string("none");
  if (c.kind == "service") return Value::boolean(false);
  if (c.kind == "quantity") return Value::integer(0);
  if (c.kind == "option" && c.values.size() == 2 && c.values[0] == Value::boolean(false) &&
      c.values[1] == Value::boolean(true))
    return Value::boolean(false);
  return std::nullopt;
}

struct Comparison {
  std::vector<Compared> vars;
  std::vector<std::string> not_compared;
};

Comparison compare_variables(const Model& old_model, const Model& new_model) {
  const Model* models[2] = {&old_model, &new_model};
  std::vector<Column> columns[2];
  std::map<std::string, int> by_name[2];
  for (int side = 0; side < 2; ++side) {
    for (size_t v = 0; v < models[side]->vars.size(); ++v) {
      columns[side].push_back(describe_variable(*models[side], static_cast<int>(v)));
      by_name[side][columns[side].back().name] = static_cast<int>(v);
    }
  }
  Comparison out;
  auto add = [&](int side, int v) {
    const Column& c = columns[side][v];
    int other_side = 1 - side;
    auto it = by_name[other_side].find(c.name);
    int other = it == by_name[other_side].end() ? -1 : it->second;
    if (side == 1 && other >= 0) return;  // already added from the old side
    Compared x;
    x.name = c.name;
    x.var[side] = v;
    x.var[other_side] = other;
    x.values = columns[0][x.var[0] >= 0 ? x.var[0] : x.var[1]].values;
    if (x.var[0] >= 0 && x.var[1] >= 0) {
      for (const Value& value : columns[1][x.var[1]].values) {
        if (std::find(x.values.begin(), x.values.end(), value) == x.values.end())
          x.values.push_back(value);
      }
    } else {
      x.empty = empty_value(c);
      if (!x.empty) {
        out.not_compared.push_back(c.name + " (" + c.kind + " only in the " +
                                   (side == 0 ? "old" : "new") + " version)");
        return;
      }
      if (std::find(x.values.begin(), x.values.end(), *x.empty) == x.values.end())
        x.values.push_back(*x.empty);
    }
    for (int s = 0; s < 2; ++s) {
      for (const Value& value : x.values) {
        int k = -1;
        if (x.var[s] >= 0) {
          const auto& own = columns[s][x.var[s]].values;
          auto f = std::find(own.begin(), own.end(), value);
          if (f != own.end()) k = static_cast<int>(f - own.begin());
        }
        x.index[s].push_back(k);
      }
    }
    out.vars.push_back(std::move(x));
  };
  for (int side = 0; side < 2; ++side) {
    for (size_t v = 0; v < columns[side].size(); ++v) add(side, static_cast<int>(v));
  }
  return out;
}

/// One version's CNF with a literal for every value of the comparison (fresh fixed literals for
/// values it lacks).
struct SideCnf {
  CnfBuffer cnf;
  std::vector<std::vector<int32_t>> lits;  ///< per compared variable and value
};

SideCnf side_cnf(const Model& m, const Comparison& cmp, int side) {
  SideCnf out;
  while (out.cnf.num_vars() < m.cnf.num_vars()) out.cnf.new_var();
  for (size_t i = 0; i < m.cnf.size(); ++i) out.cnf.add_clause(m.cnf.clause(i));
  for (const Compared& x : cmp.vars) {
    std::vector<int32_t> lits;
    for (size_t k = 0; k < x.values.size(); ++k) {
      if (x.index[side][k] >= 0) {
        lits.push_back(m.value_lit(x.var[side], x.index[side][k]));
        continue;
      }
      int fresh = out.cnf.new_var();
      bool holds = x.var[side] < 0 && x.empty && x.values[k] == *x.empty;
      out.cnf.add({holds ? fresh : -fresh});
      lits.push_back(fresh);
    }
    out.lits.push_back(std::move(lits));
  }
  return out;
}

/// Both versions side by side, their value literals tied: the products both make.
SideCnf both_cnf(const SideCnf& a, const SideCnf& b) {
  SideCnf out;
  while (out.cnf.num_vars() < a.cnf.num_vars()) out.cnf.new_var();
  for (size_t i = 0; i < a.cnf.size(); ++i) out.cnf.add_clause(a.cnf.clause(i));
  // b's variable 1 is the constant true, like a's; the others follow a's.
  int offset = a.cnf.num_vars() - 1;
  while (out.cnf.num_vars() < b.cnf.num_vars() + offset) out.cnf.new_var();
  auto shifted = [&](Lit l) {
    int v = std::abs(l);
    int to = v == 1 ? 1 : v + offset;
    return l < 0 ? -to : to;
  };
  std::vector<Lit> clause;
  for (size_t i = 0; i < b.cnf.size(); ++i) {
    clause.clear();
    for (Lit l : b.cnf.clause(i)) clause.push_back(shifted(l));
    out.cnf.add_clause(clause);
  }
  for (size_t x = 0; x < a.lits.size(); ++x) {
    for (size_t k = 0; k < a.lits[x].size(); ++k) {
      Lit p = a.lits[x][k], q = shifted(b.lits[x][k]);
      out.cnf.add({-p, q});
      out.cnf.add({p, -q});
    }
  }
  out.lits = a.lits;
  return out;
}

/// a / b for naturals of any size (b > 0), as a double: both shifted to at most 62 bits first.
double ratio(const Natural& a, const Natural& b) {
  size_t bits = std::max(a.bit_length(), b.bit_length());
  Natural x = a, y = b;
  if (bits > 62) {
    x.shift_right(bits - 62);
    y.shift_right(bits - 62);
  }
  double num = static_cast<double>(std::stoull(x.str()));
  double den = static_cast<double>(std::stoull(y.str()));
  return den == 0 ? 0 : num / den;
}

/// A product that `outer` has and `inner` (a subset of it) has not, or nothing when there is none.
std::optional<std::vector<uint32_t>> product_outside(const CompiledCatalog& outer,
                                                     const CompiledCatalog& inner,
                                                     std::mt19937_64& rng) {
  FixedValues fixed;
  std::vector<char> is_fixed(outer.domain_sizes().size(), 0);
  std::vector<std::vector<Natural>> in_outer, in_inner;
  for (;;) {
    Natural total_outer = outer.value_counts(fixed, in_outer);
    Natural total_inner = inner.value_counts(fixed, in_inner);
    if (!(total_inner < total_outer)) return std::nullopt;
    if (total_inner.is_zero()) {
      auto drawn = outer.sample(fixed, 1, rng);
      if (drawn.empty()) return std::nullopt;
      return drawn.front();
    }
    // The variable whose excess (outer minus inner) is most concentrated on one value.
    int best_var = -1;
    double best_share = -1;
    for (size_t v = 0; v < in_outer.size(); ++v) {
      if (is_fixed[v]) continue;
      for (size_t k = 0; k < in_outer[v].size(); ++k) {
        if (!(in_inner[v][k] < in_outer[v][k])) continue;
        Natural excess = in_outer[v][k];
        excess -= in_inner[v][k];
        double share = ratio(excess, in_outer[v][k]);
        if (share > best_share) {
          best_share = share;
          best_var = static_cast<int>(v);
        }
      }
    }
    if (best_var < 0) return std::nullopt;
    // Its value, drawn by excess (as shares of the total excess: counts overflow doubles).
    std::vector<Natural> excesses;
    Natural total_excess;
    for (size_t k = 0; k < in_outer[best_var].size(); ++k) {
      Natural excess;
      if (in_inner[best_var][k] < in_outer[best_var][k]) {
        excess = in_outer[best_var][k];
        excess -= in_inner[best_var][k];
      }
      total_excess += excess;
      excesses.push_back(std::move(excess));
    }
    std::vector<double> weights;
    for (const auto& e : excesses) weights.push_back(ratio(e, total_excess));
    std::discrete_distribution<size_t> pick(weights.begin(), weights.end());
    fixed.push_back({best_var, static_cast<uint32_t>(pick(rng))});
    is_fixed[best_var] = 1;
  }
}

std::vector<std::vector<Choice>> examples(const CompiledCatalog& outer,
                                          const CompiledCatalog& inner, const Comparison& cmp,
                                          size_t wanted, std::mt19937_64& rng) {
  std::vector<std::vector<Choice>> out;
  std::set<std::vector<uint32_t>> seen;
  for (size_t attempt = 0; out.size() < wanted && attempt < 4 * wanted + 4; ++attempt) {
    auto product = product_outside(outer, inner, rng);
    if (!product) break;
    if (!seen.insert(*product).second) continue;
    std::vector<Choice> choices;
    for (size_t x = 0; x < cmp.vars.size(); ++x)
      choices.push_back({cmp.vars[x].name, cmp.vars[x].values[(*product)[x]].to_string()});
    out.push_back(std::move(choices));
  }
  return out;
}

/// Per compared variable and value: in some valid product of the version.
using Alive = std::vector<std::vector<char>>;

Alive alive_from(const CompiledCatalog& form) {
  std::vector<std::vector<Natural>> counts;
  form.value_counts({}, counts);
  Alive out;
  for (const auto& var : counts) {
    out.emplace_back();
    for (const auto& n : var) out.back().push_back(!n.is_zero());
  }
  return out;
}

/// Without compiled forms: the search back end's dead values (within the limits).
Alive alive_from(const Configurator& c, const Comparison& cmp, int side, const Limits& limits) {
  Analysis a = c.analyze(limits);
  std::map<std::string, const VariableAnalysis*> by_name;
  for (const auto& v : a.variables) by_name[v.name] = &v;
  Alive out;
  for (const Compared& x : cmp.vars) {
    out.emplace_back();
    for (size_t k = 0; k < x.values.size(); ++k) {
      bool alive = false;
      if (x.var[side] < 0) {
        alive = a.feasible && x.values[k] == *x.empty;
      } else if (x.index[side][k] >= 0) {
        auto it = by_name.find(x.name);
        alive = a.feasible;
        if (it != by_name.end()) {
          for (const auto& va : it->second->values)
            if (va.value == x.values[k]) alive = !va.dead;
        }
      }
      out.back().push_back(alive);
    }
  }
  return out;
}

}  // namespace

void product_diff(const Configurator& old_version, const Configurator& new_version,
                  const DiffOptions& options, CatalogDiff& out) {
  const Model& a = old_version.engine()->model();
  const Model& b = new_version.engine()->model();
  Comparison cmp = compare_variables(a, b);
  out.not_compared = cmp.not_compared;
  SideCnf old_cnf = side_cnf(a, cmp, 0), new_cnf = side_cnf(b, cmp, 1);
  SideCnf common_cnf = both_cnf(old_cnf, new_cnf);
  std::string why;
  std::unique_ptr<CompiledCatalog> forms[3];
  const SideCnf* cnfs[3] = {&old_cnf, &new_cnf, &common_cnf};
  const char* names[3] = {"the old version", "the new version", "both versions together"};
  for (int i = 0; i < 3; ++i) {
    forms[i] = CompiledCatalog::from_clauses(cnfs[i]->cnf, cnfs[i]->lits,
                                             budget_of(options.compile), &why);
    if (!forms[i]) {
      out.reason = std::string(names[i]) + " did not compile within the budget (" + why +
                   "); raise it with --work, --memory or --nodes (Python: work=, memory_mb=)";
      break;
    }
  }
  Alive alive[2];
  if (forms[0] && forms[1] && forms[2]) {
    Natural n_old = forms[0]->count({}), n_new = forms[1]->count({}), n_both = forms[2]->count({});
    out.counted = true;
    out.old_products = n_old.str();
    out.new_products = n_new.str();
    out.common = n_both.str();
    Natural only_old = n_old, only_new = n_new;
    only_old -= n_both;
    only_new -= n_both;
    out.only_old = only_old.str();
    out.only_new = only_new.str();
    std::mt19937_64 rng(options.seed);
    out.only_old_examples = examples(*forms[0], *forms[2], cmp, options.examples, rng);
    out.only_new_examples = examples(*forms[1], *forms[2], cmp, options.examples, rng);
    alive[0] = alive_from(*forms[0]);
    alive[1] = alive_from(*forms[1]);
  } else {
    alive[0] = alive_from(old_version, cmp, 0, options.limits);
    alive[1] = alive_from(new_version, cmp, 1, options.limits);
  }
  for (size_t x = 0; x < cmp.vars.size(); ++x) {
    for (size_t k = 0; k < cmp.vars[x].values.size(); ++k) {
      Choice c{cmp.vars[x].name, cmp.vars[x].values[k].to_string()};
      if (alive[0][x][k] && !alive[1][x][k]) out.became_dead.push_back(c);
      if (!alive[0][x][k] && alive[1][x][k]) out.became_available.push_back(c);
    }
  }
}

}  // namespace sumisura::detail
