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

namespace {

/// The price of a model of the priced form: the constant plus what each literal it sets adds
/// (`lit_price` per literal_index, `values` per SAT variable).
int64_t price_of(const std::vector<int64_t>& lit_price, const std::vector<int8_t>& values,
                 int64_t constant) {
  int64_t sum = constant;
  for (size_t i = 2; i < lit_price.size(); ++i) {
    size_t v = i / 2;
    if (lit_price[i] == 0 || v >= values.size()) continue;
    if ((values[v] != 0) == (i % 2 == 0)) sum += lit_price[i];
  }
  return sum;
}

}  // namespace

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
    std::pair<std::vector<uint32_t>, std::vector<uint32_t>>& witnesses,
    bool within_left_out) const {
  if (!within_left_out) {
    if (auto fast = price_range_weighted(fixed, price, tie, witnesses)) return fast;
  }
  std::vector<uint32_t> low, high;
  auto least = price_end_tied(fixed, price, tie, false, low, within_left_out);
  if (!least) return std::nullopt;
  auto most = price_end_tied(fixed, price, tie, true, high, within_left_out);
  if (!most) return std::nullopt;
  witnesses = {std::move(low), std::move(high)};
  return std::make_pair(*least, *most);
}

std::optional<int64_t> CompiledCatalog::price_end_tied(const FixedValues& fixed,
                                                       const PriceTerms& price,
                                                       const std::vector<std::vector<int>>& tie,
                                                       bool dearest, std::vector<uint32_t>& witness,
                                                       bool within_left_out) const {
  PricedQuery q;
  q.fixed = fixed;
  q.price = price;
  q.price_part = 0;
  q.within_left_out = within_left_out;
  q.value_key.assign(tie.size(), {});
  for (size_t v = 0; v < tie.size(); ++v) {
    for (int cost : tie[v]) q.value_key[v].push_back(LexKey{0, cost, 0});
  }
  if (dearest) {
    for (auto& term : q.price) {
      if (term.second == INT64_MIN) return std::nullopt;
      term.second = -term.second;
    }
  }
  PricedAnswer a = best(q);
  if (a.outcome != LexOutcome::found) return std::nullopt;
  witness = std::move(a.values);
  return dearest ? -a.price : a.price;
}

std::optional<std::pair<int64_t, int64_t>> CompiledCatalog::price_range_weighted(
    const FixedValues& fixed, const PriceTerms& price, const std::vector<std::vector<int>>& tie,
    std::pair<std::vector<uint32_t>, std::vector<uint32_t>>& witnesses) const {
  if (!has_prices() || tie.size() != value_lits_.size()) return std::nullopt;
  thread_local Conditions cond;
  thread_local std::vector<int64_t> lit_price, cost;
  int64_t constant = 0;
  if (!priced_conditions(fixed, {}, cond) || !priced_costs(price, lit_price, constant))
    return std::nullopt;
  // One cost per literal: price * scale + tie, with scale above any sum of ties, so that the
  // least cost is the least price first, then the least tie. Sums must stay far from 2^62.
  int64_t scale = 1;
  for (const auto& row : tie) {
    int64_t most = 0;
    for (int c : row) most = std::max<int64_t>(most, c);
    if (most < 0 || __builtin_add_overflow(scale, most, &scale)) return std::nullopt;
  }
  int64_t total = 0;
  for (int64_t p : lit_price) {
    int64_t magnitude = p < 0 ? -p : p;
    if (p == INT64_MIN || __builtin_add_overflow(total, magnitude, &total)) return std::nullopt;
  }
  int64_t scaled = 0;
  if (__builtin_mul_overflow(total, scale, &scaled) || scaled > (int64_t{1} << 60))
    return std::nullopt;
  std::optional<DnnfOptimum> ends[2];
  for (int side = 0; side < 2; ++side) {
    cost.assign(lit_price.size(), 0);
    for (size_t i = 0; i < lit_price.size(); ++i)
      cost[i] = (side ? -lit_price[i] : lit_price[i]) * scale;
    for (size_t v = 0; v < tie.size(); ++v) {
      for (size_t k = 0; k < tie[v].size() && k < value_lits_[v].size(); ++k)
        cost[literal_index(value_lits_[v][k])] += tie[v][k];
    }
    ends[side] = dnnf_min_cost(priced(), cond, cost);
    if (!ends[side]) return std::nullopt;
  }
  witnesses = {decode(ends[0]->values), decode(ends[1]->values)};
  return std::make_pair(price_of(lit_price, ends[0]->values, constant),
                        price_of(lit_price, ends[1]->values, constant));
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
  std::vector<int64_t> price_of_lit;
  if (q.within_left_out) {
    // The rule's sum is the bounded quantity (one bound per pass); the price stays in the key.
    if (q.budget || side_cost_.empty() || side_cost_.size() > costs.price.size()) {
      answer.outcome = LexOutcome::too_wide;
      return answer;
    }
    price_of_lit = std::move(costs.price);
    costs.price.assign(price_of_lit.size(), 0);
    std::copy(side_cost_.begin(), side_cost_.end(), costs.price.begin());
    bound = side_bound_;
  }
  LexModel model;
  answer.outcome = dnnf_lex_min(d, cond, costs, bound, model);
  if (answer.outcome != LexOutcome::found) return answer;
  answer.key = model.key;
  if (q.price_part >= 0) answer.key[q.price_part] += constant;
  answer.price = model.price + constant;
  // The price of the model found, from the literals it sets.
  if (q.within_left_out) answer.price = price_of(price_of_lit, model.values, constant);

  answer.values = decode(model.values);
  return answer;
}

}  // namespace sumisura::detail
