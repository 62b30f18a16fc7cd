// The brute-force reference (see brute_force.hpp). Semantics follow docs/catalog-format.md; the
// points it leaves open are decided as the comments say, and listed in tests/README.md.
#include "brute_force.hpp"

#include <algorithm>
#include <map>
#include <sstream>
#include <stdexcept>

namespace sumisura::proptest {

using detail::Agg;
using detail::Cmp;
using detail::TExpr;
using detail::TOp;
using detail::Type;

namespace {

constexpr int64_t kOne = 1'000'000;

/// amount * percent / 100, rounded half away from zero to whole units of 10^-6
/// (docs: "prices are exact decimals"; percentages are taken of each price term).
int64_t percent_units(int64_t amount, Decimal percent) {
  __int128 num = static_cast<__int128>(amount) * percent.units();
  __int128 den = static_cast<__int128>(100) * kOne;
  bool negative = num < 0;
  if (negative) num = -num;
  __int128 q = num / den;
  __int128 r = num % den;
  if (2 * r >= den) ++q;
  return static_cast<int64_t>(negative ? -q : q);
}

Type element_of(Type t) {
  switch (t) {
    case Type::number_set:
      return Type::number;
    case Type::string_set:
      return Type::string;
    case Type::block_set:
      return Type::block;
    default:
      return t;
  }
}

bool contains(const std::vector<std::string>& list, const std::string& id) {
  return std::find(list.begin(), list.end(), id) != list.end();
}

bool contains_int(const std::vector<int>& v, int x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

std::string option_value_text(const Option& o, int k) {
  return o.values[k].value.to_string();
}

// ------------------------------------------------------------------------------------------------
// Values of expressions

struct BruteForce::Val {
  Type type = Type::boolean;
  bool b = false;
  int64_t n = 0;  // numbers, in units of 10^-6
  std::string s;
  int block = -1;  // -1: none
  std::vector<Val> items;

  static Val boolean(bool v) {
    Val x;
    x.type = Type::boolean;
    x.b = v;
    return x;
  }
  static Val num(int64_t v) {
    Val x;
    x.type = Type::number;
    x.n = v;
    return x;
  }
  static Val str(std::string v) {
    Val x;
    x.type = Type::string;
    x.s = std::move(v);
    return x;
  }
  static Val blk(int v) {
    Val x;
    x.type = Type::block;
    x.block = v;
    return x;
  }

  bool same(const Val& o) const {
    switch (type) {
      case Type::boolean:
        return b == o.b;
      case Type::number:
        return n == o.n;
      case Type::string:
        return s == o.s;
      case Type::block:
        return block == o.block;
      default:
        return false;
    }
  }
};

namespace {

BruteForce::Val from_value(const Value& v, Type type);

}

// ------------------------------------------------------------------------------------------------
// Construction and enumeration

BruteForce::BruteForce(const Catalog& catalog, size_t max_configs)
    : catalog_(std::make_unique<Catalog>(catalog)) {
  index_ = std::make_unique<detail::CatalogIndex>(*catalog_);
  resolver_ = std::make_unique<detail::Resolver>(*index_, diagnostics_);
  for (const auto& a : index_->attributes()) attribute_ids_.push_back(a.id);
  const Catalog& c = *catalog_;
  auto fail = [&](const std::string& what) {
    std::string first = diagnostics_.empty() ? "" : ": " + diagnostics_.front().message;
    throw std::runtime_error("brute force: " + what + " does not resolve" + first);
  };
  for (size_t m = 0; m < c.measures.size(); ++m) {
    const TExpr* t = resolver_->measure(m);
    if (!t) fail("measure " + c.measures[m].id);
    measures_.push_back(detail::clone(*t));
  }
  for (const auto& r : c.rules) {
    rule_when_.push_back(nullptr);
    rule_expr_.push_back(nullptr);
    if (!r.when.empty() || !r.scope.empty()) {
      rule_when_.back() = resolver_->rule_when(r);
      if (!rule_when_.back()) fail("rule " + r.id);
    }
    if (r.kind == RuleKind::table) continue;
    rule_expr_.back() = resolver_->rule_expression(r);
    if (!rule_expr_.back()) fail("rule " + r.id);
  }
  for (const auto& s : c.services) {
    service_when_.push_back(nullptr);
    if (s.offered_when.empty()) continue;
    service_when_.back() = resolver_->boolean(s.offered_when, s.offered_when_where);
    if (!service_when_.back()) fail("service " + s.id);
  }
  make_groups();
  enumerate(max_configs);
}

int BruteForce::block_index(const std::string& id) const {
  for (size_t b = 0; b < catalog_->blocks.size(); ++b) {
    if (catalog_->blocks[b].id == id) return b;
  }
  return -1;
}
int BruteForce::slot_index(const std::string& id) const {
  for (size_t s = 0; s < catalog_->slots.size(); ++s) {
    if (catalog_->slots[s].id == id) return s;
  }
  return -1;
}
int BruteForce::option_index(const std::string& id) const {
  for (size_t o = 0; o < catalog_->options.size(); ++o) {
    if (catalog_->options[o].id == id) return o;
  }
  return -1;
}
int BruteForce::service_index(const std::string& id) const {
  for (size_t s = 0; s < catalog_->services.size(); ++s) {
    if (catalog_->services[s].id == id) return s;
  }
  return -1;
}
int BruteForce::product_index(const std::string& id) const {
  for (size_t p = 0; p < catalog_->products.size(); ++p) {
    if (catalog_->products[p].id == id) return p;
  }
  return -1;
}
int BruteForce::tier_index(const std::string& id) const {
  for (size_t t = 0; t < catalog_->tiers.size(); ++t) {
    if (catalog_->tiers[t].id == id) return t;
  }
  return -1;
}
int BruteForce::position_in_slot(int s, int b) const {
  const auto& blocks = catalog_->slots[s].blocks;
  for (size_t k = 0; k < blocks.size(); ++k) {
    if (blocks[k] == catalog_->blocks[b].id) return k;
  }
  return -1;
}

// The largest quantity one block can have in a slot: 1, or the slot's maximum when it repeats.
static int most_of_one(const Slot& s) {
  return s.max <= 1 ? 1 : (s.repeat ? s.max : 1);
}

void BruteForce::enumerate(size_t max_configs) {
  const Catalog& c = *catalog_;
  // Digits of the mixed radix: product, options, then per slot (single slots: one digit with
  // value 0 = empty, k = blocks[k-1]; multi-block slots: a quantity digit per block), services.
  radix_.clear();
  if (!c.products.empty()) radix_.push_back(c.products.size());
  for (const auto& o : c.options) radix_.push_back(o.values.size());
  for (const auto& s : c.slots) {
    if (s.max <= 1) {
      radix_.push_back(s.blocks.size() + 1);
    } else {
      for (size_t k = 0; k < s.blocks.size(); ++k) radix_.push_back(most_of_one(s) + 1);
    }
  }
  for (size_t k = 0; k < c.services.size(); ++k) radix_.push_back(2);
  size_t total = 1;
  for (int r : radix_) {
    total *= r;
    if (total > max_configs) throw std::runtime_error("brute force: too many configurations");
  }
  configs_.clear();
  configs_.reserve(total);
  std::vector<int> digits(radix_.size(), 0);
  for (size_t n = 0; n < total; ++n) {
    Config cfg;
    size_t d = 0;
    if (!c.products.empty()) cfg.product = digits[d++];
    for (size_t o = 0; o < c.options.size(); ++o) cfg.options.push_back(digits[d++]);
    for (const auto& s : c.slots) {
      std::vector<int> q(s.blocks.size(), 0);
      if (s.max <= 1) {
        int v = digits[d++];
        if (v > 0) q[v - 1] = 1;
      } else {
        for (size_t k = 0; k < s.blocks.size(); ++k) q[k] = digits[d++];
      }
      cfg.slots.push_back(std::move(q));
    }
    for (size_t k = 0; k < c.services.size(); ++k)
      cfg.services.push_back(static_cast<char>(digits[d++]));
    finish(cfg);
    configs_.push_back(std::move(cfg));
    // Next number: the last digit turns fastest.
    for (int k = static_cast<int>(digits.size()) - 1; k >= 0; --k) {
      if (++digits[k] < radix_[k]) break;
      digits[k] = 0;
    }
  }
  prices_.assign(c.tiers.size() + 1, std::vector<int64_t>(configs_.size(), 0));
  for (size_t i = 0; i < configs_.size(); ++i) {
    auto packings = maximal_packings(configs_[i]);
    for (int t = -1; t < static_cast<int>(c.tiers.size()); ++t) {
      int64_t best = INT64_MAX;
      for (const auto& p : packings) best = std::min(best, price_with(i, p, t));
      prices_[t + 1][i] = best;
    }
  }
  valid_.assign(configs_.size(), 0);
  violated_.assign(configs_.size(), 0);
  valid_list_.clear();
  for (size_t i = 0; i < configs_.size(); ++i) {
    violated_[i] = violations_of(i);
    if (violated_[i] == 0) {
      valid_[i] = 1;
      valid_list_.push_back(i);
    }
  }
}

void BruteForce::finish(Config& cfg) const {
  const Catalog& c = *catalog_;
  cfg.block_total.assign(c.blocks.size(), 0);
  for (size_t s = 0; s < c.slots.size(); ++s) {
    for (size_t k = 0; k < c.slots[s].blocks.size(); ++k) {
      int b = block_index(c.slots[s].blocks[k]);
      if (b >= 0) cfg.block_total[b] += cfg.slots[s][k];
    }
  }
}

std::optional<size_t> BruteForce::find(const Config& cfg) const {
  const Catalog& c = *catalog_;
  std::vector<int> digits;
  if (!c.products.empty()) digits.push_back(cfg.product);
  for (int v : cfg.options) digits.push_back(v);
  for (size_t s = 0; s < c.slots.size(); ++s) {
    const auto& q = cfg.slots[s];
    if (c.slots[s].max <= 1) {
      int v = 0, filled = 0;
      for (size_t k = 0; k < q.size(); ++k) {
        if (q[k] == 1) v = k + 1;
        if (q[k] != 0) ++filled;
        if (q[k] > 1) return std::nullopt;
      }
      if (filled > 1) return std::nullopt;
      digits.push_back(v);
    } else {
      for (int x : q) digits.push_back(x);
    }
  }
  for (char x : cfg.services) digits.push_back(x);
  if (digits.size() != radix_.size()) return std::nullopt;
  size_t n = 0;
  for (size_t k = 0; k < digits.size(); ++k) {
    if (digits[k] < 0 || digits[k] >= radix_[k]) return std::nullopt;
    n = n * radix_[k] + digits[k];
  }
  return n;
}

std::string BruteForce::describe(size_t i) const {
  return describe(configs_[i]);
}

std::string BruteForce::describe(const Config& cfg) const {
  const Catalog& c = *catalog_;
  std::ostringstream out;
  if (cfg.product >= 0) out << "product=" << c.products[cfg.product].id << " ";
  for (size_t o = 0; o < c.options.size(); ++o)
    out << c.options[o].id << "=" << option_value_text(c.options[o], cfg.options[o]) << " ";
  for (size_t s = 0; s < c.slots.size(); ++s) {
    out << c.slots[s].id << "={";
    bool first = true;
    for (size_t k = 0; k < c.slots[s].blocks.size(); ++k) {
      if (cfg.slots[s][k] == 0) continue;
      out << (first ? "" : ",") << c.slots[s].blocks[k];
      if (cfg.slots[s][k] > 1) out << "x" << cfg.slots[s][k];
      first = false;
    }
    out << "} ";
  }
  for (size_t s = 0; s < c.services.size(); ++s) {
    if (cfg.services[s]) out << "+" << c.services[s].id << " ";
  }
  return out.str();
}

// ------------------------------------------------------------------------------------------------
// Validity

bool BruteForce::table_holds(const Rule& r, const Config& cfg) const {
  const Catalog& c = *catalog_;
  // A cell matches an option's value as written; for a slot, a block it holds (among others, for
  // a slot of several blocks) or `none` when it is empty.
  auto cell_matches = [&](const std::string& col, const std::string& cell) {
    if (cell == "*") return true;
    int o = option_index(col);
    if (o >= 0) return option_value_text(c.options[o], cfg.options[o]) == cell;
    int s = slot_index(col);
    bool empty = true;
    for (size_t k = 0; k < c.slots[s].blocks.size(); ++k) {
      if (cfg.slots[s][k] == 0) continue;
      empty = false;
      if (c.slots[s].blocks[k] == cell) return true;
    }
    return cell == "none" && empty;
  };
  bool matched = false;
  for (const auto& row : r.rows) {
    bool all = row.size() == r.columns.size();
    for (size_t k = 0; all && k < row.size(); ++k) all = cell_matches(r.columns[k], row[k]);
    if (all) matched = true;
  }
  return r.rows_allowed ? matched : !matched;
}

// The catalog constraints, as groups an explanation can name (the engine's RuleRef kinds): the
// scope of each product that restricts its options or slots, the cardinality of each slot that
// can be violated, each requires and excludes, each service's condition, each rule.
void BruteForce::make_groups() {
  const Catalog& c = *catalog_;
  auto add = [&](const std::string& kind, const std::string& id) {
    groups_.push_back(kind + ":" + id);
  };
  for (const auto& p : c.products) {
    if (!p.options.empty() || !p.slots.empty()) add("product", "product " + p.id);
  }
  for (const auto& s : c.slots) {
    if (s.min > 0 || s.max > 1) add("slot", "slot " + s.id);
  }
  for (const auto& b : c.blocks) {
    for (const auto& r : b.requires_blocks) add("requires", b.id + " requires " + r);
    for (const auto& x : b.excludes_blocks) add("excludes", b.id + " excludes " + x);
  }
  for (size_t s = 0; s < c.services.size(); ++s) {
    if (service_when_[s]) add("service", "service " + c.services[s].id);
  }
  for (const auto& r : c.rules) add("rule", r.id);
}

int BruteForce::group_of(const std::string& kind, const std::string& id) const {
  auto it = std::find(groups_.begin(), groups_.end(), kind + ":" + id);
  return it == groups_.end() ? -1 : static_cast<int>(it - groups_.begin());
}

uint64_t BruteForce::violations_of(size_t i) const {
  const Catalog& c = *catalog_;
  const Config& cfg = configs_[i];
  // `price` in catalog rules and service conditions is the price before any customer tier (the
  // catalog knows no customer; the engine does the same). In customer requirements, preferences
  // and bounds it is the price the customer pays, tier included (SpecOracle).
  int64_t price = prices_[0][i];
  uint64_t out = 0;
  auto violated = [&](const std::string& kind, const std::string& id) {
    int g = group_of(kind, id);
    out |= g >= 0 && g < 64 ? uint64_t{1} << g : uint64_t{1} << 63;
  };
  const Product* product = cfg.product >= 0 ? &c.products[cfg.product] : nullptr;
  auto has_slot = [&](const std::string& id) {
    return !product || product->slots.empty() || contains(product->slots, id);
  };
  // Product scope: options the product does not have are fixed to their default (or first value),
  // slots it does not have stay empty.
  if (product && !product->options.empty()) {
    for (size_t o = 0; o < c.options.size(); ++o) {
      if (contains(product->options, c.options[o].id)) continue;
      int k = 0;
      if (c.options[o].default_value) {
        for (size_t v = 0; v < c.options[o].values.size(); ++v) {
          if (c.options[o].values[v].value == *c.options[o].default_value) k = v;
        }
      }
      if (cfg.options[o] != k) violated("product", "product " + product->id);
    }
  }
  // Cardinality: the slots the product has hold min to max blocks (quantities counted).
  for (size_t s = 0; s < c.slots.size(); ++s) {
    int count = 0;
    for (int q : cfg.slots[s]) count += q;
    if (!has_slot(c.slots[s].id)) {
      if (count != 0) violated("product", "product " + product->id);
      continue;
    }
    const auto& counts = c.slots[s].counts;  // when set, the only counts allowed
    if (count < c.slots[s].min || count > c.slots[s].max ||
        (!counts.empty() && std::find(counts.begin(), counts.end(), count) == counts.end()))
      violated("slot", "slot " + c.slots[s].id);
  }
  for (size_t b = 0; b < c.blocks.size(); ++b) {
    if (cfg.block_total[b] == 0) continue;
    for (const auto& r : c.blocks[b].requires_blocks) {
      if (cfg.block_total[block_index(r)] == 0)
        violated("requires", c.blocks[b].id + " requires " + r);
    }
    for (const auto& x : c.blocks[b].excludes_blocks) {
      if (cfg.block_total[block_index(x)] > 0)
        violated("excludes", c.blocks[b].id + " excludes " + x);
    }
  }
  // A service can only be included when its condition holds.
  for (size_t s = 0; s < c.services.size(); ++s) {
    if (cfg.services[s] && service_when_[s] && !eval(*service_when_[s], cfg, price).b) {
      violated("service", "service " + c.services[s].id);
    }
  }
  // Rules, for the products they apply to; `when` guards require / forbid.
  for (size_t r = 0; r < c.rules.size(); ++r) {
    const Rule& rule = c.rules[r];
    if (product && !rule.products.empty() && !contains(rule.products, product->id)) continue;
    if (rule_when_[r] && !eval(*rule_when_[r], cfg, price).b) continue;
    if (rule.kind == RuleKind::table) {
      if (!table_holds(rule, cfg)) violated("rule", rule.id);
      continue;
    }
    bool v = eval(*rule_expr_[r], cfg, price).b;
    if (v != (rule.kind == RuleKind::require)) violated("rule", rule.id);
  }
  return out;
}

std::string BruteForce::violation(size_t i) const {
  std::string out;
  for (size_t g = 0; g < groups_.size() && g < 64; ++g) {
    if (violated_[i] >> g & 1) out += (out.empty() ? "" : ", ") + groups_[g];
  }
  return out;
}

// ------------------------------------------------------------------------------------------------
// Prices

bool BruteForce::item_present(const std::string& id, const Config& cfg) const {
  if (int b = block_index(id); b >= 0) return cfg.block_total[b] > 0;
  if (int s = service_index(id); s >= 0) return cfg.services[s] != 0;
  if (int p = product_index(id); p >= 0) return cfg.product == p;
  return false;
}

std::vector<std::vector<int>> BruteForce::maximal_packings(const Config& cfg) const {
  // A bundle can apply when all its items are in the product; applied bundles share no item; a
  // packing is maximal when every bundle that could apply shares an item with an applied one.
  const Catalog& c = *catalog_;
  std::vector<int> candidates;
  for (size_t b = 0; b < c.bundles.size(); ++b) {
    bool all = true;
    for (const auto& item : c.bundles[b].items) all = all && item_present(item, cfg);
    if (all) candidates.push_back(b);
  }
  auto overlap = [&](int a, int b) {
    for (const auto& x : c.bundles[a].items) {
      if (contains(c.bundles[b].items, x)) return true;
    }
    return false;
  };
  std::vector<std::vector<int>> out;
  size_t n = candidates.size();
  for (uint64_t m = 0; m < (uint64_t{1} << n); ++m) {
    std::vector<int> chosen;
    for (size_t k = 0; k < n; ++k) {
      if (m >> k & 1) chosen.push_back(candidates[k]);
    }
    bool disjoint = true;
    for (size_t x = 0; x < chosen.size(); ++x) {
      for (size_t y = x + 1; y < chosen.size(); ++y)
        disjoint = disjoint && !overlap(chosen[x], chosen[y]);
    }
    if (!disjoint) continue;
    bool maximal = true;
    for (int b : candidates) {
      if (contains_int(chosen, b)) continue;
      bool blocked = false;
      for (int a : chosen) blocked = blocked || overlap(a, b);
      if (!blocked) maximal = false;
    }
    if (maximal) out.push_back(chosen);
  }
  return out;
}

// Categories of terms, as in PriceBreakdown.
enum { kBase, kOptions, kBlocks, kServices, kBundles };

std::vector<std::pair<int64_t, int>> BruteForce::terms(const Config& cfg,
                                                       const std::vector<int>& bundles) const {
  // Every amount is a term; a percentage is taken of each term it applies to and rounded there
  // (half away from zero, to 10^-6). A block's term in a slot is its price times its quantity.
  const Catalog& c = *catalog_;
  std::vector<std::pair<int64_t, int>> out;
  std::vector<int64_t> base, options, all_blocks;
  std::vector<std::vector<int64_t>> slot_blocks(c.slots.size()), block_terms(c.blocks.size());
  if (cfg.product >= 0) base.push_back(c.products[cfg.product].base_price.units());
  // Every option's value is charged, also for options the product does not show (they are fixed
  // to their default): the documentation does not say; the engine charges them.
  for (size_t o = 0; o < c.options.size(); ++o)
    options.push_back(c.options[o].values[cfg.options[o]].price.units());
  for (size_t s = 0; s < c.slots.size(); ++s) {
    for (size_t k = 0; k < c.slots[s].blocks.size(); ++k) {
      int q = cfg.slots[s][k];
      if (q == 0) continue;
      int b = block_index(c.slots[s].blocks[k]);
      int64_t t = c.blocks[b].price.units() * q;
      slot_blocks[s].push_back(t);
      block_terms[b].push_back(t);
      all_blocks.push_back(t);
    }
  }
  for (int64_t t : base) out.push_back({t, kBase});
  for (int64_t t : options) out.push_back({t, kOptions});
  for (int64_t t : all_blocks) out.push_back({t, kBlocks});
  std::vector<std::vector<int64_t>> service_terms(c.services.size());
  for (size_t s = 0; s < c.services.size(); ++s) {
    if (!cfg.services[s]) continue;
    const PriceSpec& p = c.services[s].price;
    auto& st = service_terms[s];
    st.push_back(p.amount.units());
    if (p.percent != Decimal()) {
      std::vector<int64_t> of;
      if (p.of == "product" || p.of == "base") of.insert(of.end(), base.begin(), base.end());
      if (p.of == "product") of.insert(of.end(), options.begin(), options.end());
      if (p.of == "product" || p.of == "blocks")
        of.insert(of.end(), all_blocks.begin(), all_blocks.end());
      if (int slot = slot_index(p.of); slot >= 0)
        of.insert(of.end(), slot_blocks[slot].begin(), slot_blocks[slot].end());
      for (int64_t t : of) st.push_back(percent_units(t, p.percent));
    }
    for (int64_t t : st) out.push_back({t, kServices});
  }
  for (int b : bundles) {
    const Bundle& bundle = c.bundles[b];
    out.push_back({-bundle.discount_amount.units(), kBundles});
    if (bundle.discount_percent == Decimal()) continue;
    for (const auto& item : bundle.items) {
      std::vector<int64_t> of;
      if (int x = block_index(item); x >= 0) of = block_terms[x];
      if (int x = service_index(item); x >= 0) of = service_terms[x];
      if (int x = product_index(item); x >= 0 && cfg.product == x) of = base;
      for (int64_t t : of) out.push_back({-percent_units(t, bundle.discount_percent), kBundles});
    }
  }
  return out;
}

int64_t BruteForce::price_with(size_t i, const std::vector<int>& bundles, int tier) const {
  int64_t total = 0;
  for (auto [t, category] : terms(configs_[i], bundles)) {
    total += t;
    // The tier's discount: its percentage of every term, rounded per term like the others. The
    // documentation says "a percentage of the total"; rounding the total once differs by 10^-6 in
    // about 6% of tiered prices of these catalogs. This follows the engine.
    if (tier >= 0) total -= percent_units(t, catalog_->tiers[tier].discount_percent);
  }
  return total;
}

std::vector<std::pair<std::vector<int>, int64_t>> BruteForce::packings(size_t i, int tier) const {
  std::vector<std::pair<std::vector<int>, int64_t>> out;
  for (const auto& p : maximal_packings(configs_[i])) out.push_back({p, price_with(i, p, tier)});
  return out;
}

PriceParts BruteForce::price_parts(size_t i, int tier) const {
  std::vector<int> best;
  int64_t best_total = INT64_MAX;
  for (const auto& [p, total] : packings(i, tier)) {
    if (total < best_total) {
      best_total = total;
      best = p;
    }
  }
  PriceParts parts;
  for (auto [t, category] : terms(configs_[i], best)) {
    switch (category) {
      case kBase:
        parts.base += t;
        break;
      case kOptions:
        parts.options += t;
        break;
      case kBlocks:
        parts.blocks += t;
        break;
      case kServices:
        parts.services += t;
        break;
      default:
        parts.bundles += t;
        break;
    }
    if (tier >= 0) parts.tier -= percent_units(t, catalog_->tiers[tier].discount_percent);
  }
  return parts;
}

// ------------------------------------------------------------------------------------------------
// Expressions

detail::TExprPtr BruteForce::condition(const std::string& text, std::string* error) const {
  size_t before = diagnostics_.size();
  auto t = resolver_->boolean(text, {});
  if (!t && error)
    *error = diagnostics_.size() > before ? diagnostics_[before].message : "does not resolve";
  return t;
}

detail::TExprPtr BruteForce::quantity(const std::string& text, std::string* error) const {
  size_t before = diagnostics_.size();
  auto t = resolver_->number(text, {});
  if (!t && error)
    *error = diagnostics_.size() > before ? diagnostics_[before].message : "does not resolve";
  return t;
}

bool BruteForce::holds(const TExpr& e, size_t i, int tier) const {
  return eval(e, configs_[i], price(i, tier)).b;
}

int64_t BruteForce::number(const TExpr& e, size_t i, int tier) const {
  return eval(e, configs_[i], price(i, tier)).n;
}

Value BruteForce::attribute_value(int block, const std::string& attribute) const {
  // A block without the attribute, and an empty slot, take the declared default, else the zero of
  // the attribute's type.
  if (block >= 0) {
    const auto& attrs = catalog_->blocks[block].attributes;
    auto it = attrs.find(attribute);
    if (it != attrs.end()) return it->second;
  }
  for (const auto& d : catalog_->attributes) {
    if (d.id == attribute && d.default_value) return *d.default_value;
  }
  return Value();  // converted by type in from_value (false / 0 / "" / [])
}

namespace {

BruteForce::Val from_value(const Value& v, Type type) {
  using V = BruteForce::Val;
  switch (type) {
    case Type::boolean:
      return V::boolean(v.is_boolean() && v.as_boolean());
    case Type::number:
      return V::num(v.is_number() ? v.as_number().units() : 0);
    case Type::string:
      return V::str(v.is_string() ? v.as_string()
                                  : (v.is_boolean() && !v.as_boolean() ? "" : v.to_string()));
    case Type::number_set:
    case Type::string_set: {
      V out;
      out.type = type;
      if (v.is_list()) {
        for (const auto& item : v.as_list())
          out.items.push_back(from_value(item, element_of(type)));
      }
      return out;
    }
    default:
      return V::boolean(false);
  }
}

}  // namespace

BruteForce::Val BruteForce::eval(const TExpr& e, const Config& cfg, int64_t price) const {
  const Catalog& c = *catalog_;
  auto slot_block = [&](int s) {
    for (size_t k = 0; k < c.slots[s].blocks.size(); ++k) {
      if (cfg.slots[s][k] > 0) return block_index(c.slots[s].blocks[k]);
    }
    return -1;
  };
  auto slot_count = [&](int s) {
    int n = 0;
    for (int q : cfg.slots[s]) n += q;
    return n;
  };
  switch (e.op) {
    case TOp::constant:
      if (e.type == Type::boolean) return Val::boolean(e.value.as_boolean());
      if (e.type == Type::number) return Val::num(e.value.as_number().units());
      if (e.type == Type::string) return Val::str(e.value.as_string());
      return from_value(e.value, e.type);
    case TOp::block_constant:
      return Val::blk(e.index);
    case TOp::list: {
      Val out;
      out.type = e.type;
      for (const auto& a : e.args) out.items.push_back(eval(*a, cfg, price));
      return out;
    }
    case TOp::option:
      return from_value(c.options[e.index].values[cfg.options[e.index]].value, e.type);
    case TOp::slot_block:
      return Val::blk(slot_block(e.index));
    case TOp::block_selected:
      return Val::boolean(cfg.block_total[e.index] > 0);
    case TOp::block_in_slot: {
      int pos = position_in_slot(e.index2, e.index);
      return Val::boolean(pos >= 0 && cfg.slots[e.index2][pos] > 0);
    }
    case TOp::service:
      return Val::boolean(cfg.services[e.index] != 0);
    case TOp::product:
      return Val::boolean(cfg.product == e.index);
    case TOp::attribute:
      return from_value(attribute_value(slot_block(e.index), attribute_ids_[e.index2]), e.type);
    case TOp::aggregate: {
      // sum: over the blocks in scope, times their quantity; min/max: over the distinct blocks in
      // scope, the attribute's default when there are none.
      const std::string& attr = attribute_ids_[e.index2];
      int64_t sum = 0;
      std::optional<int64_t> best;
      for (size_t s = 0; s < c.slots.size(); ++s) {
        if (e.index >= 0 && static_cast<int>(s) != e.index) continue;
        for (size_t k = 0; k < c.slots[s].blocks.size(); ++k) {
          int q = cfg.slots[s][k];
          if (q == 0) continue;
          int64_t v =
              from_value(attribute_value(block_index(c.slots[s].blocks[k]), attr), Type::number).n;
          sum += v * q;
          if (!best)
            best = v;
          else
            best = e.agg == Agg::max ? std::max(*best, v) : std::min(*best, v);
        }
      }
      if (e.agg == Agg::sum) return Val::num(sum);
      if (!best) best = from_value(attribute_value(-1, attr), Type::number).n;
      return Val::num(*best);
    }
    case TOp::count_slot: {
      int n = 0;
      for (size_t s = 0; s < c.slots.size(); ++s) {
        if (e.index < 0 || static_cast<int>(s) == e.index) n += slot_count(s);
      }
      return Val::num(int64_t{n} * kOne);
    }
    case TOp::price:
      return Val::num(price);
    case TOp::logical_not:
      return Val::boolean(!eval(*e.args[0], cfg, price).b);
    case TOp::logical_and: {
      bool v = true;
      for (const auto& a : e.args) v = eval(*a, cfg, price).b && v;
      return Val::boolean(v);
    }
    case TOp::logical_or: {
      bool v = false;
      for (const auto& a : e.args) v = eval(*a, cfg, price).b || v;
      return Val::boolean(v);
    }
    case TOp::implies:
      return Val::boolean(!eval(*e.args[0], cfg, price).b || eval(*e.args[1], cfg, price).b);
    case TOp::iff:
      return Val::boolean(eval(*e.args[0], cfg, price).b == eval(*e.args[1], cfg, price).b);
    case TOp::compare: {
      Val a = eval(*e.args[0], cfg, price), b = eval(*e.args[1], cfg, price);
      if (e.cmp == Cmp::eq) return Val::boolean(a.same(b));
      if (e.cmp == Cmp::ne) return Val::boolean(!a.same(b));
      switch (e.cmp) {
        case Cmp::lt:
          return Val::boolean(a.n < b.n);
        case Cmp::le:
          return Val::boolean(a.n <= b.n);
        case Cmp::gt:
          return Val::boolean(a.n > b.n);
        case Cmp::ge:
          return Val::boolean(a.n >= b.n);
        default:
          break;
      }
      return Val::boolean(false);
    }
    case TOp::member: {
      Val x = eval(*e.args[0], cfg, price), set = eval(*e.args[1], cfg, price);
      bool in = false;
      for (const auto& item : set.items) in = in || x.same(item);
      return Val::boolean(in);
    }
    case TOp::add: {
      int64_t v = 0;
      for (const auto& a : e.args) v += eval(*a, cfg, price).n;
      return Val::num(v);
    }
    case TOp::sub:
      return Val::num(eval(*e.args[0], cfg, price).n - eval(*e.args[1], cfg, price).n);
    case TOp::negate:
      return Val::num(-eval(*e.args[0], cfg, price).n);
    case TOp::mul: {
      __int128 v = eval(*e.args[0], cfg, price).n;
      for (size_t k = 1; k < e.args.size(); ++k) {
        v *= eval(*e.args[k], cfg, price).n;
        if (v % kOne != 0)
          throw std::runtime_error("brute force: a product with more than 6 decimals");
        v /= kOne;
      }
      return Val::num(static_cast<int64_t>(v));
    }
    case TOp::count: {
      int64_t n = 0;
      for (const auto& a : e.args) {
        // A block counts as many times as the product holds it (repeat slots).
        if (a->op == TOp::block_selected) {
          n += cfg.block_total[a->index] * kOne;
          continue;
        }
        if (a->op == TOp::block_in_slot) {
          int pos = position_in_slot(a->index2, a->index);
          n += pos >= 0 ? cfg.slots[a->index2][pos] * kOne : 0;
          continue;
        }
        Val v = eval(*a, cfg, price);
        n += a->type == Type::boolean ? (v.b ? kOne : 0) : v.n;
      }
      return Val::num(n);
    }
  }
  throw std::runtime_error("brute force: unknown expression");
}

// ------------------------------------------------------------------------------------------------
// Choices

std::optional<bool> BruteForce::assignment(const std::string& name, const std::string& value,
                                           size_t i) const {
  const Catalog& c = *catalog_;
  const Config& cfg = configs_[i];
  auto boolean = [&](bool actual) -> std::optional<bool> {
    if (value == "true") return actual;
    if (value == "false") return !actual;
    return std::nullopt;
  };
  if (int o = option_index(name); o >= 0) {
    for (size_t k = 0; k < c.options[o].values.size(); ++k) {
      if (option_value_text(c.options[o], k) == value) return cfg.options[o] == static_cast<int>(k);
    }
    return std::nullopt;
  }
  if (int s = slot_index(name); s >= 0) {
    int count = 0;
    for (int q : cfg.slots[s]) count += q;
    if (value == "none") return count == 0;
    int b = block_index(value);
    int pos = b >= 0 ? position_in_slot(s, b) : -1;
    if (pos < 0) return std::nullopt;
    return cfg.slots[s][pos] > 0;
  }
  if (int s = service_index(name); s >= 0) return boolean(cfg.services[s] != 0);
  if (int b = block_index(name); b >= 0) return boolean(cfg.block_total[b] > 0);
  if (int p = product_index(name); p >= 0) return boolean(cfg.product == p);
  if (name == "product" && !c.products.empty()) {
    int p = product_index(value);
    if (p < 0) return std::nullopt;
    return cfg.product == p;
  }
  return std::nullopt;
}

// ------------------------------------------------------------------------------------------------
// Specifications

SpecOracle::SpecOracle(const BruteForce& world, const Spec& spec) : w_(world), spec_(spec) {
  const Catalog& c = world.catalog();
  // Catalog measure `name`, or null with an error.
  auto measure_named = [&](const std::string& name) -> const detail::TExpr* {
    for (size_t m = 0; m < c.measures.size(); ++m) {
      if (c.measures[m].id == name) return world.measure(m);
    }
    if (error_.empty()) error_ = "unknown measure " + name;
    return nullptr;
  };
  if (!spec.tier.empty()) {
    tier_ = world.tier_index(spec.tier);
    if (tier_ < 0) error_ = "unknown tier " + spec.tier;
  }
  for (const auto& r : spec.requirements) {
    req_expr_.push_back(nullptr);
    req_measure_.push_back(nullptr);
    std::string err;
    switch (r.kind) {
      case Requirement::Kind::expression:
        req_expr_.back() = world.condition(r.text, &err);
        if (!req_expr_.back() && error_.empty()) error_ = err;
        break;
      case Requirement::Kind::assignment:
        if (world.size() > 0 && !world.assignment(r.name, r.value, 0) && error_.empty()) {
          error_ = "unknown choice " + r.name + "=" + r.value;
        }
        break;
      case Requirement::Kind::bound:
        if (r.name != "price") req_measure_.back() = measure_named(r.name);
        break;
      case Requirement::Kind::product:
        if (world.product_index(r.name) < 0 && error_.empty()) error_ = "unknown product " + r.name;
        break;
    }
  }
  for (const auto& p : spec.preferences) {
    std::string err;
    prefs_.push_back(world.condition(p.text, &err));
    if (!prefs_.back() && error_.empty()) error_ = err;
  }
  objectives_ = spec.objective;
  if (objectives_.empty()) {
    if (!spec.preferences.empty()) objectives_.push_back(Objective::preferred);
    objectives_.push_back(Objective::cheapest);
  } else if (std::find(objectives_.begin(), objectives_.end(), Objective::cheapest) ==
             objectives_.end()) {
    objectives_.push_back(Objective::cheapest);
  }
  for (const Objective& o : objectives_) {
    objective_measures_.push_back(nullptr);
    if (o.kind != Objective::minimize && o.kind != Objective::maximize) continue;
    if (o.measure != "price") objective_measures_.back() = measure_named(o.measure);
  }
  if (!error_.empty()) return;
  for (size_t i : world.valid_configs()) masks_.push_back(mask(i));
}

bool SpecOracle::requirement_holds(size_t r, size_t i) const {
  const Requirement& q = spec_.requirements[r];
  switch (q.kind) {
    case Requirement::Kind::expression:
      return w_.holds(*req_expr_[r], i, tier_);
    case Requirement::Kind::assignment:
      return w_.assignment(q.name, q.value, i).value_or(false);
    case Requirement::Kind::bound: {
      int64_t v = q.name == "price" ? w_.price(i, tier_) : w_.number(*req_measure_[r], i, tier_);
      return q.at_least ? v >= q.bound.units() : v <= q.bound.units();
    }
    case Requirement::Kind::product:
      return w_.config(i).product == w_.product_index(q.name);
  }
  return false;
}

bool SpecOracle::preference_met(size_t p, size_t i) const {
  return w_.holds(*prefs_[p], i, tier_);
}

int64_t SpecOracle::preference_weight(size_t i) const {
  int64_t total = 0;
  for (size_t p = 0; p < prefs_.size(); ++p) {
    if (preference_met(p, i)) total += spec_.preferences[p].weight.units();
  }
  return total;
}

uint64_t SpecOracle::mask(size_t i) const {
  uint64_t m = 0;
  for (size_t r = 0; r < spec_.requirements.size() && r < 64; ++r) {
    if (requirement_holds(r, i)) m |= uint64_t{1} << r;
  }
  return m;
}

bool SpecOracle::feasible(uint64_t subset) const {
  for (uint64_t m : masks_) {
    if ((m & subset) == subset) return true;
  }
  return false;
}

std::vector<size_t> SpecOracle::products(uint64_t subset) const {
  std::vector<size_t> out;
  const auto& valid = w_.valid_configs();
  for (size_t k = 0; k < masks_.size(); ++k) {
    if ((masks_[k] & subset) == subset) out.push_back(valid[k]);
  }
  return out;
}

std::vector<int64_t> SpecOracle::objective(size_t i) const {
  std::vector<int64_t> out;
  for (size_t k = 0; k < objectives_.size(); ++k) {
    const Objective& o = objectives_[k];
    if (o.kind == Objective::minimize || o.kind == Objective::maximize) {
      const detail::TExpr* m = objective_measures_[k];
      int64_t v = m ? w_.number(*m, i, tier_) : w_.price(i, tier_);
      out.push_back(o.kind == Objective::minimize ? v : -v);
    } else {
      out.push_back(o == Objective::cheapest ? w_.price(i, tier_) : -preference_weight(i));
    }
  }
  return out;
}

}  // namespace sumisura::proptest
