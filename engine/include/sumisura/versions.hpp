// Catalog versions: what changed between two versions of a catalog (structure and meaning), and
// what a new version does to orders saved under an older one (docs/versions.md).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "sumisura/configurator.hpp"
#include "sumisura/preferences.hpp"
#include "sumisura/result.hpp"
#include "sumisura/spec.hpp"

namespace sumisura {

/// One field of an element that differs between the versions, as text.
struct FieldChange {
  std::string field;   ///< "price", "label", "values", "expression", "default", ...
  std::string before;  ///< empty when the field was not set
  std::string after;
};

/// An element added, removed or changed. Elements are matched by id (values by option and value).
struct ElementChange {
  /// catalog, attribute, option, value, block, slot, product, service, bundle, tier, measure, rule
  std::string kind;
  std::string id;                   ///< values: OPTION=VALUE
  std::string change;               ///< added, removed, changed
  std::vector<FieldChange> fields;  ///< for `changed`
};

/// Options for diff().
struct DiffOptions {
  size_t examples = 3;  ///< concrete products to show on each side
  uint64_t seed = 1;    ///< which examples (the same seed gives the same ones)
  /// Budget of the compilations behind the exact counts (three: each version over the variables
  /// compared, and both together).
  CompileOptions compile;
  Limits limits;  ///< for dead and available values where no compiled form exists
};

/// What changed between two versions of a catalog.
struct CatalogDiff {
  std::string old_name, old_version, new_name, new_version;
  std::vector<ElementChange> changes;  ///< structural: in catalog order, old then new elements

  /// Meaning. Products are compared on the variables (options, slots, services, the product,
  /// block quantities) both versions have; a slot, service, block quantity or boolean option that
  /// only one version has counts as empty / off / 0 / false in the other, so a product of the old
  /// version that used it is not made by the new one. Other variables that only one version has
  /// (an enumerated option, products) are left out of the comparison, listed in `not_compared`.
  std::vector<std::string> not_compared;
  bool counted = false;  ///< the counts are exact (both versions and their conjunction compiled)
  std::string reason;    ///< why there are no counts
  std::string old_products, new_products;  ///< valid products of each version (decimal digits)
  std::string common;                      ///< products both versions make
  std::string only_old, only_new;  ///< made by the old version and not the new one, and reverse
  /// A few products of each kind, as NAME=VALUE per compared variable.
  std::vector<std::vector<Choice>> only_old_examples, only_new_examples;
  /// NAME=VALUE: in some valid product of the old version and in none of the new one (including
  /// values the new version removed), and the reverse.
  std::vector<Choice> became_dead, became_available;
  /// The products' sets are equal: counted, nothing on either side only, and every variable
  /// compared.
  bool same_products() const {
    return counted && only_old == "0" && only_new == "0" && not_compared.empty();
  }
};

/// Compares two versions of a catalog. Missing counts (a version that does not compile within
/// the budget) are a `reason`, never an error.
CatalogDiff diff(const Configurator& old_version, const Configurator& new_version,
                 const DiffOptions& options = {});
/// The diff as one JSON object (the shape of `sumisura diff --json`, docs/versions.md).
std::string to_json(const CatalogDiff& diff, int indent = -1);
/// The diff as text for a terminal.
std::string to_text(const CatalogDiff& diff);

/// Reads saved orders (the formats of load_orders) for revalidation against `configurator`: names
/// and values the catalog no longer has are kept (revalidate reports them), only malformed text is
/// an error. A saved order may carry "tier" (JSON) to be repriced at that tier.
std::vector<Order> parse_saved_orders(const Configurator& configurator, const std::string& text,
                                      const std::string& source_name = "<orders>");
std::vector<Order> load_saved_orders(const Configurator& configurator, const std::string& path);

enum class Verdict {
  valid,      ///< still valid, same price (or no old price to compare)
  repriced,   ///< still valid, another price
  broken,     ///< the catalog no longer makes it: see problems, rules and repairs
  undecided,  ///< a limit stopped the check
};
const char* to_string(Verdict verdict);

/// A way to make a broken order valid: the choices given up (fewest first, then the oldest), and
/// the product the rest yields.
struct OrderRepair {
  std::vector<Choice> drop;
  std::optional<Decimal> total;
  std::vector<Choice> product;  ///< the repaired order's choices (every variable it sets)
};

/// What a set of choices comes to under the catalog; equal orders share one.
struct Finding {
  std::vector<std::string> problems;  ///< choices naming what the catalog no longer has
  std::vector<Choice> unknown;        ///< those choices
  Conflict conflict;                  ///< for broken orders: choices and the rules they break
  std::vector<OrderRepair> repairs;   ///< best first (the session repair ranking)
};

struct OrderCheck {
  size_t index = 0;  ///< position in the order book
  std::string source;
  int line = 0;
  Verdict verdict = Verdict::undecided;
  std::optional<Decimal> old_total, new_total;
  /// The order is a whole product (Order::complete, or its choices set every variable); when
  /// false (a saved session), new_total is its cheapest valid completion.
  bool complete = true;
  size_t finding = 0;  ///< index in Revalidation::findings
};

struct Revalidation {
  std::vector<OrderCheck> orders;
  std::vector<Finding> findings;  ///< one per distinct set of choices
  size_t valid = 0, repriced = 0, broken = 0, undecided = 0;
  size_t distinct = 0;  ///< distinct choice sets checked (equal orders share one check)
  double seconds = 0;
  const Finding& finding(const OrderCheck& check) const { return findings[check.finding]; }
};

struct RevalidateOptions {
  Limits limits;        ///< per distinct order
  int max_repairs = 3;  ///< per broken order
  /// Called after every distinct order checked: done, total distinct.
  std::function<void(size_t done, size_t total)> progress;
  int threads = 0;  ///< 0: one per core
};

/// Checks saved orders against `configurator`'s catalog: still valid at the same price, valid at
/// a new price, or broken with the rules that break it and the minimal repairs that keep most of
/// the customer's choices. Equal orders are checked once.
Revalidation revalidate(const Configurator& configurator, const std::vector<Order>& orders,
                        const RevalidateOptions& options = {});
/// Order `i` with its finding, as one JSON object.
std::string to_json(const Revalidation& revalidation, size_t i, int indent = -1);
/// Every check as JSON lines then a summary line (`sumisura revalidate --json`).
std::string to_json(const Revalidation& revalidation);

}  // namespace sumisura
