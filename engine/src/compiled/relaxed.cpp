// A relaxed compiled form: the catalog without the few rules whose encodings keep it from
// compiling (a sum of every block's weight against the frame's rating reads a dozen slots at
// once, and the d-DNNF compiler cannot split it). Its products are a superset of the catalog's, so
// "no product" is exact, and a least-cost product that meets the rules left out is the catalog's
// least-cost product (relaxing constraints can only lower the optimum). Callers check each answer
// against the rules left out (Checker::holds) and fall back to search when one breaks them.
#include <algorithm>
#include <cstdlib>

#include "compile/checker.hpp"
#include "compile/circuit.hpp"
#include "compile/encoder.hpp"
#include "compile/model.hpp"
#include "compiled/compiled_catalog.hpp"
#include "compiled/dnnf_compiler.hpp"

namespace sumisura::detail {
namespace {

/// Rule g as "sum of weights of value literals <= bound", when it is one: unconditional, for
/// every product, a comparison of two quantities that are sums over values (no gates).
bool linear_rule(const Model& m, int g, Linear& sum, int64_t& bound) {
  if (!m.checker || g < 0 || static_cast<size_t>(g) >= m.checker->size()) return false;
  const GroupCheck& c = m.checker->check(g);
  if (c.kind != GroupCheck::Kind::rule || c.when || !c.products.empty() || !c.positive ||
      !c.expression || c.expression->op != TOp::compare || c.expression->args.size() != 2)
    return false;
  const Cmp cmp = c.expression->cmp;
  if (cmp == Cmp::eq || cmp == Cmp::ne) return false;
  CnfBuffer scratch;  // holds kTrue's unit clause, nothing else unless a gate is made
  while (scratch.num_vars() < m.cnf.num_vars()) scratch.new_var();
  const size_t clauses = scratch.size();
  Circuit circuit(scratch);
  ExprEncoder encoder(m, circuit, nullptr);
  try {
    Linear a = encoder.number(*c.expression->args[0]);
    Linear b = encoder.number(*c.expression->args[1]);
    // a - b <= 0 (le), <= -1 (lt); b - a <= 0 (ge), <= -1 (gt): values are exact integers.
    bool less = cmp == Cmp::le || cmp == Cmp::lt;
    sum = less ? a : b;
    sum.add(less ? b : a, -1);
    sum.normalize();
    bound = (cmp == Cmp::lt || cmp == Cmp::gt) ? -1 : 0;
    bound = checked_add(bound, -sum.constant);
  } catch (const EncodeError&) {
    return false;
  }
  if (scratch.size() > clauses || scratch.num_vars() > m.cnf.num_vars()) return false;
  for (auto [w, lit] : sum.terms) {
    int v = std::abs(lit);
    if (v >= static_cast<int>(m.fd_of_sat.size()) || m.fd_of_sat[v] < 0) return false;
    // Far from 2^62, so that passes may add them up without overflow.
    if (w > (int64_t{1} << 40) || w < -(int64_t{1} << 40)) return false;
  }
  return true;
}

}  // namespace

bool is_linear_rule(const Model& m, int group) {
  Linear sum;
  int64_t bound = 0;
  return linear_rule(m, group, sum, bound);
}

bool CompiledCatalog::valid_values_relaxed(const FixedValues& fixed,
                                           std::vector<std::vector<char>>& out,
                                           bool& feasible) const {
  if (left_out_.empty() || side_cost_.empty()) return false;
  thread_local Conditions cond;
  thread_local std::vector<int64_t> least;
  out.assign(sizes_.size(), {});
  for (size_t v = 0; v < sizes_.size(); ++v) out[v].assign(static_cast<size_t>(sizes_[v]), 0);
  feasible = dnnf_conditions(fixed, cond) && dnnf_literal_min_costs(dnnf_, cond, side_cost_, least);
  if (!feasible) return true;
  feasible = false;
  for (size_t v = 0; v < sizes_.size(); ++v) {
    for (size_t k = 0; k < out[v].size(); ++k) {
      int64_t c = least[literal_index(value_lits_[v][k])];
      out[v][k] = c <= side_bound_;
      feasible = feasible || out[v][k];
    }
  }
  return true;
}

bool CompiledCatalog::meets_left_out(const Model& m, const std::vector<uint32_t>& values) const {
  if (left_out_.empty()) return true;
  if (!m.checker || values.size() != m.vars.size()) return false;
  for (int g : left_out_) {
    if (!m.checker->holds(g, values.data())) return false;
  }
  return true;
}

std::vector<int> relaxation_candidates(const Model& m, size_t min_gates) {
  std::vector<size_t> gates(m.groups.size(), 0);
  for (int v = 2; v <= m.cnf.num_vars(); ++v) {
    int g = m.cnf.var_owner(v);
    if (g >= 0 && static_cast<size_t>(g) < gates.size()) ++gates[g];
  }
  std::vector<int> out;
  for (size_t g = 0; g < m.groups.size(); ++g) {
    if (m.groups[g].kind == ConstraintGroup::Kind::rule && gates[g] >= min_gates)
      out.push_back(static_cast<int>(g));
  }
  std::stable_sort(out.begin(), out.end(), [&](int a, int b) { return gates[a] > gates[b]; });
  return out;
}

CnfBuffer cnf_without(const Model& m, const std::vector<int>& left_out) {
  const CnfBuffer& in = m.cnf;
  std::vector<char> out_group(m.groups.size(), 0);
  for (int g : left_out) out_group[g] = 1;
  auto left = [&](int g) { return g >= 0 && out_group[g] != 0; };
  // Variables defined while a left-out group was encoded that something kept still reads (a gate
  // shared through the encoder's cache, a price literal). Dropping any definitional clause is
  // sound (a definition constrains only the variable it defines), so what is kept only has to
  // define those variables.
  std::vector<char> needed(static_cast<size_t>(in.num_vars()) + 1, 0);
  auto mark = [&](std::span<const Lit> clause) {
    for (Lit l : clause) {
      int v = std::abs(l);
      if (left(in.var_owner(v))) needed[v] = 1;
    }
  };
  auto reads_needed = [&](std::span<const Lit> clause) {
    for (Lit l : clause) {
      int v = std::abs(l);
      if (needed[v] && left(in.var_owner(v))) return true;
    }
    return false;
  };
  for (const PriceTerm& t : m.price) mark(std::span<const Lit>(&t.lit, 1));
  std::vector<char> keep(in.size(), 0);
  std::vector<size_t> definitions;          // definitional clauses of left-out groups, undecided
  for (size_t i = 1; i < in.size(); ++i) {  // clause 0 is kTrue's unit, in every buffer
    if (!left(in.owner(i))) {
      keep[i] = 1;
      mark(in.clause(i));
    } else if (in.group(i) < 0) {
      definitions.push_back(i);
    }
  }
  for (bool grew = true; grew;) {
    grew = false;
    for (size_t i : definitions) {
      if (keep[i] || !reads_needed(in.clause(i))) continue;
      keep[i] = 1;
      mark(in.clause(i));
      grew = true;
    }
  }
  CnfBuffer out;
  while (out.num_vars() < in.num_vars()) out.new_var();
  for (size_t i = 1; i < in.size(); ++i) {
    if (!keep[i]) continue;
    out.set_group(in.group(i));
    out.add_clause(in.clause(i));
  }
  out.set_group(-1);
  return out;
}

std::unique_ptr<CompiledCatalog> CompiledCatalog::build_left_out(const Model& m,
                                                                 std::vector<int> left_out,
                                                                 const CompileBudget& budget,
                                                                 uint64_t& work, std::string& why) {
  CnfBuffer cnf = cnf_without(m, left_out);
  std::unique_ptr<CompiledCatalog> result(new CompiledCatalog());
  std::vector<char> scope(static_cast<size_t>(cnf.num_vars()) + 1, 0);
  for (const FdVar& v : m.vars) {
    result->sizes_.push_back(v.size());
    result->value_lits_.emplace_back(v.lits.begin(), v.lits.end());
    for (Lit l : v.lits) scope[std::abs(l)] = 1;
  }
  DnnfOutcome out = compile_dnnf(cnf, scope, budget);
  work += out.stats.work;
  if (!out.dnnf) {
    why = out.why_not;
    return nullptr;
  }
  result->dnnf_ = std::move(*out.dnnf);
  result->kind_ = CompiledKind::dnnf;
  result->left_out_ = std::move(left_out);
  result->finish();
  result->build_priced(m, cnf, budget, work);
  result->finish_relaxed(m);
  return result;
}

void CompiledCatalog::finish_relaxed(const Model& m) {
  relaxed_cnf_ = cnf_without(m, left_out_);
  side_cost_.clear();
  Linear sum;
  int64_t bound = 0;
  if (left_out_.size() == 1 && linear_rule(m, left_out_[0], sum, bound)) {
    side_cost_.assign(2 * (static_cast<size_t>(dnnf_.num_vars) + 1), 0);
    for (auto [w, lit] : sum.terms) side_cost_[literal_index(lit)] += w;
    side_bound_ = bound;
  }
}

std::string CompiledCatalog::describe_left_out(const Model& m) const {
  if (left_out_.empty()) return {};
  std::string names;
  for (int g : left_out_) names += (names.empty() ? "'" : ", '") + m.groups[g].id + "'";
  return "a relaxed d-DNNF without rule " + names +
         " answers configure, domains and price ranges, each answer checked against it";
}

}  // namespace sumisura::detail
