// A catalog as plain value types: what a shop sells and the rules that bind it.
//
// These types say nothing about files or solvers. Readers fill them (YAML, DIMACS, XCSP, UVL),
// validation checks them, the Configurator compiles them. docs/catalog-format.md is the reference
// for what each field means; the YAML keys there have the same names as the fields here.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sumisura/error.hpp"
#include "sumisura/value.hpp"

namespace sumisura {

/// The declared type of a block attribute. Undeclared attributes take the type of their values.
enum class AttributeType { number, string, boolean, number_set, string_set };
/// The type as catalogs write it: number, string, boolean, number_set, string_set.
const char* to_string(AttributeType type);

struct AttributeDecl {
  std::string id;
  AttributeType type = AttributeType::number;
  std::string unit;                    ///< for display only ("g", "days")
  std::optional<Value> default_value;  ///< used for blocks without the attribute and empty slots
  Position where;
  bool operator==(const AttributeDecl&) const = default;
};

enum class OptionKind { enumeration, integer, boolean };

struct OptionValue {
  Value value;        ///< string for enumerations, integral number for integers, boolean
  std::string label;  ///< display label; empty means "show the value"
  Decimal price;      ///< surcharge when this value is chosen (may be negative)
  Position where;
  bool operator==(const OptionValue&) const = default;
};

/// A product-level choice with a finite domain.
struct Option {
  std::string id;
  std::string label;
  std::string description;
  OptionKind kind = OptionKind::enumeration;
  /// Every value, in display order. Booleans always hold false then true; an integer range holds
  /// every integer of the range (range_min/range_max remember that it was written as a range).
  std::vector<OptionValue> values;
  std::optional<int64_t> range_min, range_max;
  std::optional<Value> default_value;
  /// Feature models: the boolean option this one refines (its parent in the feature tree), and
  /// whether the tree declares it mandatory. Descriptive only (the rules state what must hold);
  /// analysis reports non-mandatory children that every product with their parent has
  /// (false-optional). The UVL reader fills them.
  std::string parent;
  bool mandatory = false;
  Position where;
  bool operator==(const Option&) const = default;
};

/// A boolean option as the YAML reader builds it: values false then true, the price on true.
Option boolean_option(std::string id, Decimal price_when_true = {}, Position where = {});

/// A prebuilt module: a sole, an upper, a memory module.
struct Block {
  std::string id;
  std::string label;
  std::string description;
  Decimal price;
  std::map<std::string, Value> attributes;
  std::vector<std::string> requires_blocks;  ///< blocks that must be present (assembled first)
  std::vector<std::string> excludes_blocks;  ///< blocks that cannot be present with this one
  Position where;
  bool operator==(const Block&) const = default;
};

/// Where blocks go in a product, with how many it holds.
struct Slot {
  std::string id;
  std::string label;
  int min = 1;  ///< fewest blocks the slot holds
  int max = 1;  ///< most blocks the slot holds
  /// The counts it may hold when not every one from min to max is allowed ("0 or 2 bags, never
  /// 1"), ascending, min first and max last; empty: every count from min to max.
  std::vector<int> counts;
  /// Whether the same block may fill the slot several times (quantity > 1).
  bool repeat = false;
  std::vector<std::string> blocks;  ///< the blocks that may fill it
  /// What the slot holds when nothing else decides (equal prices, no preference): the catalog
  /// designer's choice, as option defaults are. A block id once per block held (twice: two of it,
  /// in a repeat slot); empty: the slot stays empty. Unset: no default.
  std::optional<std::vector<std::string>> default_blocks;
  /// The sub-assembly each thing the slot holds is an instance of (empty: the slot holds blocks).
  /// Such a slot lists no blocks: each instance has the assembly's own options and slots, and the
  /// cardinality says how many instances the product has.
  std::string assembly;
  Position where;
  bool operator==(const Slot&) const = default;
};

/// Sets a slot's min, max and counts from its cardinality as YAML writes it: a count ("1"), a
/// range ("0..3"), or counts and ranges separated by commas ("0, 2", "0, 2..4"; with gaps, the
/// counts are listed one by one, up to 10000). False, leaving the slot as it was, when the text is
/// none of these.
bool parse_cardinality(std::string_view text, Slot& slot);
/// A slot's cardinality as YAML writes it: "1", "0..3", or "0, 2".
std::string cardinality_text(const Slot& slot);
/// Whether a slot may hold `count` blocks.
bool allows_count(const Slot& slot, int count);

/// A product family: which options and slots it has and its base price. A catalog without
/// products has one implicit product holding every option and slot.
struct Product {
  std::string id;
  std::string label;
  std::string description;
  Decimal base_price;
  std::vector<std::string> options;  ///< empty: every option
  std::vector<std::string> slots;    ///< empty: every slot
  Position where;
  bool operator==(const Product&) const = default;
};

/// What a price is: a fixed amount, or a percentage of other prices.
struct PriceSpec {
  Decimal amount;   ///< fixed part
  Decimal percent;  ///< percentage part (10 means 10%)
  /// What the percentage is taken of: "product" (base + options + blocks), "blocks", "base",
  /// or the id of a slot. Empty when there is no percentage part.
  std::string of;
  bool operator==(const PriceSpec&) const = default;
};

/// An add-on sold with a product: warranty, engraving, fitting, installation.
struct Service {
  std::string id;
  std::string label;
  std::string description;
  PriceSpec price;
  std::string offered_when;  ///< expression; empty: always offered
  Position where;
  Position offered_when_where;
  bool operator==(const Service&) const = default;
};

/// Items sold together for less. Applies when every item is in the product; an item earns at most
/// one bundle's discount, and the engine picks the combination of bundles cheapest for the
/// customer.
struct Bundle {
  std::string id;
  std::string label;
  std::vector<std::string> items;  ///< ids of blocks, services or products
  Decimal discount_amount;         ///< fixed discount
  Decimal discount_percent;        ///< percent of the items' prices
  Position where;
  bool operator==(const Bundle&) const = default;
};

/// A customer tier with its own discount on the total. A tier with `lifetime_value` is earned:
/// a customer whose past orders add up to at least that much has it (tier_of in preferences.hpp).
struct Tier {
  std::string id;
  std::string label;
  Decimal discount_percent;
  std::optional<Decimal> lifetime_value;
  Position where;
  bool operator==(const Tier&) const = default;
};

/// A named quantity customers can bound (lead time, weight): an expression such as max(lead_days).
struct Measure {
  std::string id;
  std::string label;
  std::string unit;
  std::string expression;
  Position where;
  Position expression_where;
  bool operator==(const Measure&) const = default;
};

enum class RuleKind {
  require,  ///< `expression` must hold (when `when` holds)
  forbid,   ///< `expression` must not hold (when `when` holds)
  table,    ///< the columns must take one of the rows (allow) or none of them (forbid)
};

/// A constraint with an id and the message customers see when it stands in their way.
struct Rule {
  std::string id;
  std::string message;
  RuleKind kind = RuleKind::require;
  std::string when;        ///< condition; empty: always
  std::string expression;  ///< for require / forbid
  /// For tables: the option or slot ids the columns refer to, and the rows as written
  /// (values, block ids, `none`, or `*` for any value).
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
  bool rows_allowed = true;  ///< true: rows are the allowed combinations; false: forbidden ones
  std::vector<std::string> products;  ///< products the rule applies to; empty: all
  /// The instance of a sub-assembly the rule belongs to (`hd_units[2]`, `front_wheel`): its names
  /// are looked up in that instance first (`disks` is `hd_units[2].disks`), and it holds only when
  /// the instance is in the product. Empty: a rule of the catalog. Expanding assemblies sets it.
  std::string scope;
  /// Written by the engine, not by the catalog designer (an absent instance holds nothing,
  /// identical instances come in order): explanations shown to shoppers leave it out.
  bool generated = false;
  Position where;
  Position when_where;
  Position expression_where;
  bool operator==(const Rule&) const = default;
};

/// A sub-assembly: a part built of its own options, slots and rules, of which a product holds one
/// or several instances (a PC's hard-disk units, each with its own disks and controller). A slot
/// with `assembly` holds its instances; each instance gets its own copy of the options and slots,
/// named after the instance (`hd_units[1].disks`, or `front_wheel.bags` for a slot of one), and
/// the assembly itself is priced and counted like a block with its id.
struct Assembly {
  std::string id;
  std::string label;
  std::string description;
  Decimal price;                            ///< of each instance
  std::map<std::string, Value> attributes;  ///< of each instance, as a block's
  std::vector<Option> options;              ///< each instance's own choices
  std::vector<Slot> slots;                  ///< each instance's parts (may hold assemblies)
  std::vector<Rule> rules;                  ///< over the instance's names; no `products`
  Position where;
  bool operator==(const Assembly&) const = default;
};

/// Everything a shop sells, and how it fits together.
struct Catalog {
  std::string name;
  std::string version;
  std::string currency = "EUR";
  std::string description;
  /// The file the catalog was read from (empty when built in code); diagnostics name it.
  std::string source;

  std::vector<AttributeDecl> attributes;
  std::vector<Option> options;
  std::vector<Block> blocks;
  std::vector<Slot> slots;
  std::vector<Assembly> assemblies;
  std::vector<Product> products;
  std::vector<Service> services;
  std::vector<Bundle> bundles;
  std::vector<Tier> tiers;
  std::vector<Measure> measures;
  std::vector<Rule> rules;

  /// Equality of content: sources and positions never make two catalogs different.
  bool operator==(const Catalog& other) const;
};

/// The file formats Sumisura reads. `compiled`: a compiled catalog file (`sumisura compile`), which
/// holds the catalog in one of the other formats besides its compiled form.
enum class ModelFormat { automatic, yaml, dimacs, xcsp, uvl, compiled };

/// Reads a catalog or model file. `automatic` recognises compiled catalog files by their content
/// and chooses the other formats by extension (.yaml/.yml, .dimacs/.cnf, .xml, .uvl, .sumisura).
/// Throws Error(kind catalog) with file, line and column when the file cannot be read as that
/// format; semantic problems are left to validate().
Catalog load_catalog(const std::string& path, ModelFormat format = ModelFormat::automatic);
/// Reads a catalog from text (YAML unless told otherwise); `source_name` names it in errors.
Catalog parse_catalog(const std::string& text, ModelFormat format = ModelFormat::yaml,
                      const std::string& source_name = "<string>");
/// The catalog in Sumisura's YAML format. Loading the text gives an equal catalog.
std::string to_yaml(const Catalog& catalog);
/// Writes to_yaml(catalog) to a file; throws Error(kind io) when it cannot.
void save_catalog(const Catalog& catalog, const std::string& path);
/// The format `automatic` would pick for a path, or nothing when the extension is unknown.
std::optional<ModelFormat> format_from_path(const std::string& path);
std::optional<ModelFormat> format_from_name(const std::string& name);  ///< "yaml", "dimacs", ...

/// Every problem in the catalog, errors then warnings, each naming file, line and column.
std::vector<Diagnostic> validate(const Catalog& catalog);

/// Counts a catalog reports in `sumisura check`.
struct CatalogSummary {
  size_t options = 0, blocks = 0, slots = 0, products = 0, services = 0, bundles = 0, rules = 0;
  size_t constraints = 0;  ///< rules, plus block requires/excludes, plus the assemblies' rules
  size_t assemblies = 0;   ///< sub-assemblies (their options, slots and rules are counted apart)
};
CatalogSummary summarize(const Catalog& catalog);

/// The blocks in an order they can be assembled: a block comes after every block it requires.
/// Throws Error(kind catalog) when `requires` chains form a cycle (validate() reports it first).
std::vector<std::string> assembly_order(const Catalog& catalog);

}  // namespace sumisura
