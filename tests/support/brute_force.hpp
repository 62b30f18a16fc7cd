// An independent reference for the property tests: every complete product of a small catalog,
// enumerated one by one, checked against every catalog constraint by interpreting the resolved
// expression trees (detail::TExpr) directly, and priced the way docs/catalog-format.md defines it.
//
// Nothing here comes from the engine's compiler, search, reasoning or pricing: only the catalog
// types, and the model layer (parser and resolver) to turn expression text into typed trees.
// Where the documentation leaves a point open, the choice made is written next to the code.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/catalog_index.hpp"
#include "model/resolve.hpp"
#include "model/typed_expr.hpp"
#include "sumisura/catalog.hpp"
#include "sumisura/spec.hpp"

namespace sumisura::proptest {

/// One complete assignment of a catalog: the product, every option, the content of every slot and
/// which services are included. Bundles are not part of it: they follow from it (see price()).
struct Config {
  int product = -1;                     ///< index in catalog.products, -1 when there are none
  std::vector<int> options;             ///< value index per option
  std::vector<std::vector<int>> slots;  ///< per slot: quantity of each of slot.blocks (in order)
  std::vector<char> services;           ///< per service: included
  std::vector<int> block_total;         ///< derived: quantity of each block over every slot
  bool operator==(const Config& o) const {
    return product == o.product && options == o.options && slots == o.slots &&
           services == o.services;
  }
};

/// A price split the way PriceBreakdown reports it, in units of 10^-6.
struct PriceParts {
  int64_t base = 0, options = 0, blocks = 0, services = 0, bundles = 0, tier = 0;
  int64_t total() const { return base + options + blocks + services + bundles + tier; }
};

class BruteForce {
 public:
  /// Enumerates the catalog (which must pass validate()). Throws std::runtime_error when a catalog
  /// expression does not resolve or the catalog has more than `max_configs` complete assignments.
  explicit BruteForce(const Catalog& catalog, size_t max_configs = 200000);
  BruteForce(const BruteForce&) = delete;
  BruteForce& operator=(const BruteForce&) = delete;

  const Catalog& catalog() const { return *catalog_; }
  /// Every complete assignment, valid or not.
  size_t size() const { return configs_.size(); }
  const Config& config(size_t i) const { return configs_[i]; }
  bool valid(size_t i) const { return valid_[i]; }
  /// Indices of the valid products (every catalog constraint holds).
  const std::vector<size_t>& valid_configs() const { return valid_list_; }
  /// The catalog constraints config `i` violates (`kind:id`, comma-separated), empty when valid.
  std::string violation(size_t i) const;

  /// Catalog constraints as explanations name them (RuleRef kind and id): `kind:id`.
  const std::vector<std::string>& groups() const { return groups_; }
  /// The group of RuleRef {kind, id}, or -1.
  int group_of(const std::string& kind, const std::string& id) const;
  /// Bit g set when config `i` violates group g (groups beyond 63 share bit 63).
  uint64_t violated(size_t i) const { return violated_[i]; }

  /// What the customer pays for config `i`: the cheapest maximal bundle packing; `tier` is an index
  /// in catalog.tiers or -1.
  int64_t price(size_t i, int tier = -1) const { return prices_[tier + 1][i]; }
  PriceParts price_parts(size_t i, int tier = -1) const;
  /// Every maximal packing of bundles (indices) that config `i` admits, with its total.
  std::vector<std::pair<std::vector<int>, int64_t>> packings(size_t i, int tier = -1) const;
  /// The total of config `i` with the given bundles applied.
  int64_t price_with(size_t i, const std::vector<int>& bundles, int tier = -1) const;

  int tier_index(const std::string& id) const;  ///< -1 when empty or unknown

  /// Resolved expressions (null when the text does not resolve; `error` gets the first problem).
  detail::TExprPtr condition(const std::string& text, std::string* error = nullptr) const;
  detail::TExprPtr quantity(const std::string& text, std::string* error = nullptr) const;
  const detail::TExpr* measure(int m) const { return measures_[m].get(); }
  /// Evaluates a condition / a number on config `i`; `price` in the expression means the price
  /// with `tier` (catalog rules use -1, customer requirements their tier).
  bool holds(const detail::TExpr& e, size_t i, int tier = -1) const;
  int64_t number(const detail::TExpr& e, size_t i, int tier = -1) const;

  /// NAME=VALUE as a choice or a `--where` requirement: option value, block in a slot (or `none`),
  /// service or block true/false, `product=ID`, PRODUCT=true/false. nullopt when the catalog has
  /// no such name or value.
  std::optional<bool> assignment(const std::string& name, const std::string& value, size_t i) const;

  /// The config equal to `c` (its product, options, slots and services), if any.
  std::optional<size_t> find(const Config& c) const;
  /// A one-line description: product, options, slot contents, services.
  std::string describe(size_t i) const;
  std::string describe(const Config& c) const;

  int block_index(const std::string& id) const;
  int slot_index(const std::string& id) const;
  int option_index(const std::string& id) const;
  int service_index(const std::string& id) const;
  int product_index(const std::string& id) const;
  /// Position of block `b` in slot `s`'s list, or -1.
  int position_in_slot(int s, int b) const;

  struct Val;  ///< a value during evaluation (brute_force.cpp)

 private:
  Val eval(const detail::TExpr& e, const Config& c, int64_t price) const;
  Value attribute_value(int block, const std::string& attribute) const;
  uint64_t violations_of(size_t i) const;
  void make_groups();
  bool table_holds(const Rule& r, const Config& c) const;
  void enumerate(size_t max_configs);
  void finish(Config& c) const;
  /// The price terms (amount, category) of config `c` with `bundles` applied, before the tier.
  std::vector<std::pair<int64_t, int>> terms(const Config& c,
                                             const std::vector<int>& bundles) const;
  std::vector<std::vector<int>> maximal_packings(const Config& c) const;
  bool item_present(const std::string& id, const Config& c) const;

  std::unique_ptr<Catalog> catalog_;
  std::unique_ptr<detail::CatalogIndex> index_;
  mutable std::vector<Diagnostic> diagnostics_;
  std::unique_ptr<detail::Resolver> resolver_;
  std::vector<detail::TExprPtr> rule_when_, rule_expr_, service_when_, measures_;
  std::vector<std::string> attribute_ids_;  // by the resolver's attribute index

  std::vector<int> radix_;  // the mixed radix of config indices
  std::vector<Config> configs_;
  std::vector<char> valid_;
  std::vector<uint64_t> violated_;
  std::vector<std::string> groups_;
  std::vector<size_t> valid_list_;
  std::vector<std::vector<int64_t>> prices_;  // [tier + 1][config]
};

/// A customer specification evaluated on every valid product of a BruteForce.
class SpecOracle {
 public:
  /// `error` (when the spec names something the catalog does not have or does not type-check) is
  /// left in error(); the oracle then answers nothing useful.
  SpecOracle(const BruteForce& world, const Spec& spec);

  const std::string& error() const { return error_; }
  int tier() const { return tier_; }
  size_t requirements() const { return spec_.requirements.size(); }
  /// Whether requirement `r` / preference `p` holds on config `i` of the world.
  bool requirement_holds(size_t r, size_t i) const;
  bool preference_met(size_t p, size_t i) const;
  /// Total weight (units) of the preferences config `i` meets.
  int64_t preference_weight(size_t i) const;
  /// Bit r set when requirement r holds on config `i` (at most 64 requirements).
  uint64_t mask(size_t i) const;

  /// Some valid product meets every requirement in `subset` (bit set).
  bool feasible(uint64_t subset) const;
  /// The valid products meeting `subset`.
  std::vector<size_t> products(uint64_t subset) const;
  /// The objective vector of config `i` (lexicographic, smaller is better): for each objective of
  /// the spec (cheapest appended when missing; preferred then cheapest when empty), the price or
  /// the negated preference weight.
  std::vector<int64_t> objective(size_t i) const;
  const std::vector<Objective>& objectives() const { return objectives_; }
  uint64_t all() const {
    return spec_.requirements.size() >= 64 ? ~0ull : (1ull << spec_.requirements.size()) - 1;
  }

 private:
  const BruteForce& w_;
  Spec spec_;
  std::string error_;
  int tier_ = -1;
  std::vector<detail::TExprPtr> req_expr_, prefs_;
  std::vector<const detail::TExpr*> req_measure_;
  std::vector<const detail::TExpr*> objective_measures_;  ///< per objective; null: price or none
  std::vector<Objective> objectives_;
  std::vector<uint64_t> masks_;  // per valid config (same order as world.valid_configs())
};

/// The value text a choice of option value `k` is written with (`42`, `true`, `navy`).
std::string option_value_text(const Option& o, int k);

}  // namespace sumisura::proptest
