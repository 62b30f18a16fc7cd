// What configure() answers: the product, its price, its bill of materials, or why there is none.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sumisura/error.hpp"
#include "sumisura/value.hpp"

namespace sumisura {

enum class Status {
  optimal,     ///< the best product, proven best
  feasible,    ///< a valid product; a limit stopped the proof that it is the best
  infeasible,  ///< no product meets the requirements (see conflict and repairs)
  unknown,     ///< a limit stopped the search before any product was found
};

const char* to_string(Status status);

struct OptionChoice {
  std::string option;
  Value value;
  std::string label;  ///< display label of the value (empty: the value itself)
};

struct SlotItem {
  std::string block;
  int quantity = 1;
};

struct SlotFill {
  std::string slot;
  std::vector<SlotItem> blocks;  ///< empty when the slot is empty
  /// The slot may hold several blocks: its JSON selection is always a list (empty when none),
  /// whatever it holds; a single-block slot's is the block id or null.
  bool several = false;
};

/// One line of the bill of materials.
struct BomLine {
  std::string block;
  std::string label;
  std::string slot;
  int quantity = 1;
  Decimal unit_price;
  Decimal line_price;
};

struct PriceBreakdown {
  Decimal base;      ///< the product's base price
  Decimal options;   ///< option surcharges
  Decimal blocks;    ///< the blocks
  Decimal services;  ///< services
  Decimal bundles;   ///< bundle discounts (zero or negative)
  Decimal tier;      ///< the customer tier's discount (zero or negative)
  Decimal total;     ///< what the customer pays
  std::string currency;
};

struct MeasureValue {
  std::string measure;
  Decimal value;
  std::string unit;
};

struct PreferenceOutcome {
  std::string text;
  Decimal weight;
  bool met = false;
};

/// A catalog constraint named in an explanation.
struct RuleRef {
  std::string id;
  /// rule, requires, excludes, slot, service, product, bundle, or assembly (a rule the engine
  /// wrote for assembly instances: an absent one holds nothing, identical ones come in order)
  std::string kind;
  std::string message;
  std::string file;
  int line = 0;
  int column = 0;
};

/// The rules of an explanation a shopper reads: the designer's own (rules, requires, excludes,
/// service offers, bundles), without the catalog's structure (how many blocks a slot holds, which
/// slots a product has, how assembly instances are laid out) that every product obeys anyway; the
/// structure only when nothing else explains the conflict. Machine answers (JSON) keep every rule,
/// with its kind.
std::vector<RuleRef> shopper_rules(const std::vector<RuleRef>& rules);

/// A minimal set of the customer's requirements that cannot hold together, with the catalog
/// constraints they clash with: drop any one requirement and the rest can be met.
struct Conflict {
  std::vector<std::string> requirements;  ///< labels, as the customer stated them
  std::vector<int> requirement_indices;   ///< positions in the specification
  std::vector<RuleRef> rules;
  bool minimal = true;  ///< false when a limit stopped the minimisation
};

struct ConfigureResult;

/// A bound the customer could relax instead of dropping it: an upper bound raised, a lower bound
/// (`min:`) lowered.
struct Relaxation {
  std::string requirement;  ///< label, e.g. `price <= 300`, `stowage >= 150`
  Decimal to;  ///< the nearest bound that works with the rest kept: the least upper bound, the
               ///< greatest lower bound
};

/// A minimal set of requirements to give up (or bounds to relax) so that a product exists.
struct Repair {
  std::vector<std::string> drop;  ///< labels of requirements given up
  std::vector<int> drop_indices;
  std::vector<Relaxation> relax;                  ///< bounds in `drop` that may be relaxed instead
  Decimal weight_lost;                            ///< total weight of the requirements dropped
  std::shared_ptr<const ConfigureResult> result;  ///< the product this repair yields
};

struct SolveStats {
  double seconds = 0;
  int64_t solver_calls = 0;
  /// Answered on the compiled form (passes over the circuit) rather than by search.
  bool compiled = false;
};

struct ConfigureResult {
  Status status = Status::unknown;
  std::string product;  ///< chosen product (empty when the catalog has none)
  std::vector<OptionChoice> options;
  std::vector<SlotFill> slots;
  std::vector<std::string> services;
  std::vector<std::string> bundles;  ///< bundles applied
  std::vector<BomLine> bom;          ///< in assembly order
  PriceBreakdown price;
  std::vector<MeasureValue> measures;
  std::vector<PreferenceOutcome> preferences;
  Conflict conflict;            ///< when infeasible
  std::vector<Repair> repairs;  ///< when infeasible, best first
  SolveStats stats;
  bool has_product() const { return status == Status::optimal || status == Status::feasible; }
};

}  // namespace sumisura

namespace sumisura {

/// The result as one JSON object (the shape of `sumisura configure --json`, docs/cli.md):
/// status, product, selections, services, bundles, price, bom, measures, preferences,
/// conflict, repairs, stats. `indent` < 0 prints it on one line.
std::string to_json(const ConfigureResult& result, int indent = -1);

}  // namespace sumisura
