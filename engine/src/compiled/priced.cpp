// Prices on the compiled form (Andersen, Hadzic and Pisinger, JAIR 2010, on a d-DNNF): the price
// is a sum of terms over literals, some of them value literals, some gates of the encoding (a
// percentage service is paid on "service and block", a bundle discount on "bundle applied"). The
// priced form keeps those literals in its scope; every one of them is defined by the values
// (gates) or chosen by a constraint that fixes it to the customer's best packing (bundles), so
// every model of the priced form carries the true price of its values, and the least and the
// greatest price are plain min and max passes.
#include <algorithm>
#include <cstdint>
#include <cstdlib>

#include "compile/model.hpp"
#include "compiled/compiled_catalog.hpp"
#include "compiled/dnnf_compiler.hpp"

namespace sumisura::detail {

void CompiledCatalog::build_priced(const Model& m, const CnfBuffer& cnf,
                                   const CompileBudget& budget, uint64_t& work) {
  priced_state_ = PricedState::none;
  priced_why_not_.clear();
  if (m.price.empty()) return;  // nothing to price: price questions need no form
  value_lits_.clear();
  std::vector<char> scope(static_cast<size_t>(cnf.num_vars()) + 1, 0);
  for (const FdVar& v : m.vars) {
    value_lits_.emplace_back(v.lits.begin(), v.lits.end());
    for (Lit l : v.lits) scope[std::abs(l)] = 1;
  }
  bool extra = false;
  for (const PriceTerm& t : m.price) {
    int v = std::abs(t.lit);
    if (v == std::abs(kTrue)) continue;
    if (!scope[v]) extra = true;
    scope[v] = 1;
  }
  priced_scope_ = scope;
  if (!extra && kind_ == CompiledKind::dnnf) {
    priced_state_ = PricedState::main;
    return;
  }
  DnnfOutcome out = compile_dnnf(cnf, scope, budget);
  work += out.stats.work;
  if (!out.dnnf) {
    priced_why_not_ = "the priced form (values and price literals): " + out.why_not;
    return;
  }
  priced_ = std::move(*out.dnnf);
  priced_state_ = PricedState::own;
}

bool CompiledCatalog::priced_conditions(const FixedValues& fixed, const FixedValues& excluded,
                                        Conditions& cond) const {
  // Without prices (a catalog priced at nothing) the main d-DNNF stands in.
  const Dnnf& d = has_prices() ? priced() : dnnf_;
  cond.assign(static_cast<size_t>(d.num_vars) + 1, 0);
  auto set = [&](int32_t lit) {
    int8_t want = lit > 0 ? 1 : -1;
    int8_t& cell = cond[std::abs(lit)];
    if (cell != 0 && cell != want) return false;
    cell = want;
    return true;
  };
  for (auto [v, k] : fixed) {
    if (!set(value_lits_[v][k])) return false;
  }
  for (auto [v, k] : excluded) {
    if (!set(-value_lits_[v][k])) return false;
  }
  return true;
}

bool CompiledCatalog::priced_costs(const PriceTerms& price, std::vector<int64_t>& lit_price,
                                   int64_t& constant) const {
  lit_price.assign(2 * (static_cast<size_t>(priced().num_vars) + 1), 0);
  constant = 0;
  for (auto [lit, amount] : price) {
    int v = std::abs(lit);
    if (v == std::abs(kTrue)) {
      if (lit == kTrue && __builtin_add_overflow(constant, amount, &constant)) return false;
      continue;
    }
    if (static_cast<size_t>(v) >= priced_scope_.size() || !priced_scope_[v]) return false;
    int64_t& cell = lit_price[literal_index(lit)];
    if (__builtin_add_overflow(cell, amount, &cell)) return false;
  }
  return true;
}

std::optional<std::pair<int64_t, int64_t>> CompiledCatalog::price_range(
    const FixedValues& fixed, const PriceTerms& price) const {
  if (!has_prices()) return std::nullopt;
  thread_local Conditions cond;
  thread_local std::vector<int64_t> cost;
  int64_t constant = 0;
  if (!priced_conditions(fixed, {}, cond) || !priced_costs(price, cost, constant))
    return std::nullopt;
  auto low = dnnf_min_cost(priced(), cond, cost);
  if (!low) return std::nullopt;
  for (auto& c : cost) c = -c;
  auto high = dnnf_min_cost(priced(), cond, cost);
  if (!high) return std::nullopt;
  return std::make_pair(constant + low->cost, constant - high->cost);
}

std::optional<std::pair<int64_t, int64_t>> CompiledCatalog::price_range_tied(
    const FixedValues& fixed, const PriceTerms& price, const std::vector<std::vector<int>>& tie,
    std::pair<std::vector<uint32_t>, std::vector<uint32_t>>& witnesses) const {
  PricedQuery q;
  q.fixed = fixed;
  q.price = price;
  q.price_part = 0;
  q.value_key.assign(tie.size(), {});
  for (size_t v = 0; v < tie.size(); ++v) {
    for (int cost : tie[v]) q.value_key[v].push_back(LexKey{0, cost, 0});
  }
  PricedAnswer low = best(q);
  if (low.outcome != LexOutcome::found) return std::nullopt;
  for (auto& term : q.price) {
    if (term.second == INT64_MIN) return std::nullopt;
    term.second = -term.second;
  }
  PricedAnswer high = best(q);
  if (high.outcome != LexOutcome::found) return std::nullopt;
  witnesses = {std::move(low.values), std::move(high.values)};
  return std::make_pair(low.price, -high.price);
}

PricedAnswer CompiledCatalog::best(const PricedQuery& q) const {
  PricedAnswer answer;
  if (!has_prices() && !q.price.empty()) {
    answer.outcome = LexOutcome::too_wide;
    return answer;
  }
  // Without prices the main form answers (a d-DNNF), or nothing does (a diagram).
  if (!has_prices() && kind_ != CompiledKind::dnnf) {
    answer.outcome = LexOutcome::too_wide;
    return answer;
  }
  const Dnnf& d = has_prices() ? priced() : dnnf_;
  Conditions cond;
  int64_t constant = 0;
  LexCosts costs;
  if (has_prices()) {
    if (!priced_costs(q.price, costs.price, constant)) {
      answer.outcome = LexOutcome::too_wide;
      return answer;
    }
    if (!priced_conditions(q.fixed, q.excluded, cond)) return answer;  // none
  } else {
    costs.price.assign(2 * (static_cast<size_t>(d.num_vars) + 1), 0);
    if (!priced_conditions(q.fixed, q.excluded, cond)) return answer;  // none
  }
  costs.key.assign(costs.price.size(), LexKey{});
  for (size_t v = 0; v < q.value_key.size() && v < value_lits_.size(); ++v) {
    for (size_t k = 0; k < q.value_key[v].size() && k < value_lits_[v].size(); ++k) {
      LexKey& cell = costs.key[literal_index(value_lits_[v][k])];
      for (size_t i = 0; i < cell.size(); ++i) {
        if (__builtin_add_overflow(cell[i], q.value_key[v][k][i], &cell[i])) {
          answer.outcome = LexOutcome::too_wide;
          return answer;
        }
      }
    }
  }
  if (q.price_part >= 0) {
    for (size_t i = 0; i < costs.price.size(); ++i) {
      int64_t& cell = costs.key[i][q.price_part];
      if (__builtin_add_overflow(cell, costs.price[i], &cell)) {
        answer.outcome = LexOutcome::too_wide;
        return answer;
      }
    }
  }
  std::optional<int64_t> bound;
  if (q.budget) bound = *q.budget - constant;
  LexModel model;
  answer.outcome = dnnf_lex_min(d, cond, costs, bound, model);
  if (answer.outcome != LexOutcome::found) return answer;
  answer.key = model.key;
  if (q.price_part >= 0) answer.key[q.price_part] += constant;
  answer.price = model.price + constant;
  answer.values = decode(model.values);
  return answer;
}

}  // namespace sumisura::detail
