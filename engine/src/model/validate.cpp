// validate(): every problem of a catalog, each with file, line, column and what to do about it.
#include <algorithm>
#include <cctype>
#include <optional>
#include <set>
#include <string_view>
#include <tuple>
#include <unordered_map>

#include "core/deadline.hpp"
#include "graph/graph.hpp"
#include "model/assemblies.hpp"
#include "model/catalog_index.hpp"
#include "model/plain_clause.hpp"
#include "model/resolve.hpp"
#include "sumisura/catalog.hpp"

namespace sumisura {
namespace {

using detail::quote_name;

class Validator {
 public:
  explicit Validator(const Catalog& c) : c_(c), index_(c), resolver_(index_, diagnostics_) {}

  std::vector<Diagnostic> run() {
    metadata();
    unique_ids();
    attributes();
    options();
    blocks();
    slots();
    products();
    services();
    bundles();
    tiers();
    measures();
    rules();
    requires_cycles();
    missing_messages();
    // An expression that failed to parse mentions nothing: report unused options only when
    // everything else is right.
    if (!has_errors(diagnostics_)) unused_options();
    std::stable_partition(diagnostics_.begin(), diagnostics_.end(),
                          [](const Diagnostic& d) { return d.severity == Severity::error; });
    return std::move(diagnostics_);
  }

 private:
  void error(Position pos, std::string message) {
    diagnostics_.push_back({Severity::error, c_.source, pos, std::move(message)});
  }
  void warning(Position pos, std::string message) {
    diagnostics_.push_back({Severity::warning, c_.source, pos, std::move(message)});
  }
  static std::string line_of(Position p) {
    return p.line > 0 ? " at line " + std::to_string(p.line) : "";
  }

  void metadata() {
    if (c_.currency.size() != 3 || !std::all_of(c_.currency.begin(), c_.currency.end(),
                                                [](char ch) { return ch >= 'A' && ch <= 'Z'; })) {
      warning({}, "currency '" + c_.currency +
                      "' is not a three-letter ISO 4217 code such as EUR or USD");
    }
  }

  void unique_ids() {
    struct First {
      const char* kind;
      Position where;
    };
    // Keys view the catalog's own strings: imported models have hundreds of thousands of ids.
    std::unordered_map<std::string_view, First> seen;
    seen.reserve(c_.options.size() + c_.blocks.size() + c_.slots.size() + c_.services.size() +
                 c_.products.size() + c_.measures.size());
    auto add = [&](const std::string& id, const char* kind, Position where) {
      detail::check_deadline(c_.source);
      if (id.empty()) return;  // the reader reported it
      auto [it, fresh] = seen.emplace(id, First{kind, where});
      if (!fresh) {
        error(where,
              std::string("duplicate id ") + quote_name(id) + ": already used by the " +
                  it->second.kind + line_of(it->second.where) +
                  "; options, blocks, slots, services, products and measures share one namespace");
      }
    };
    for (const auto& o : c_.options) add(o.id, "option", o.where);
    for (const auto& b : c_.blocks) add(b.id, "block", b.where);
    for (const auto& s : c_.slots) add(s.id, "slot", s.where);
    for (const auto& s : c_.services) add(s.id, "service", s.where);
    for (const auto& p : c_.products) add(p.id, "product", p.where);
    for (const auto& m : c_.measures) add(m.id, "measure", m.where);
    auto own = [&](const auto& items, const char* kind) {
      std::unordered_map<std::string_view, Position> ids;
      ids.reserve(items.size());
      for (const auto& item : items) {
        detail::check_deadline(c_.source);
        if (item.id.empty()) continue;
        auto [it, fresh] = ids.emplace(item.id, item.where);
        if (!fresh) {
          error(item.where, std::string("duplicate ") + kind + " id " + quote_name(item.id) +
                                ": already used" + line_of(it->second));
        }
      }
    };
    own(c_.bundles, "bundle");
    own(c_.tiers, "tier");
    own(c_.rules, "rule");
    own(c_.attributes, "attribute");
  }

  void attributes() {
    for (const auto& decl : c_.attributes) {
      if (decl.default_value && !fits(*decl.default_value, decl.type)) {
        error(decl.where, "default of attribute " + quote_name(decl.id) + " is not a " +
                              detail::attribute_type_name(decl.type));
      }
    }
    // Blocks must agree with the declared or first-seen type of each attribute.
    std::unordered_map<std::string, std::pair<std::string, AttributeType>> first_seen;
    for (const auto& b : c_.blocks) {
      for (const auto& [name, v] : b.attributes) {
        auto id = index_.attribute(name);
        if (!id) continue;
        const auto& info = index_.attributes()[*id];
        if (info.declared) {
          if (!fits(v, info.type)) {
            error(b.where, "attribute " + quote_name(name) + " of block " + quote_name(b.id) +
                               " is " + describe(v) + ", but it is declared as a " +
                               detail::attribute_type_name(info.type));
          }
          continue;
        }
        if (v.is_list() && v.as_list().empty()) continue;
        AttributeType t = type_of(v);
        if (v.is_list() && !homogeneous(v)) {
          error(b.where, "attribute " + quote_name(name) + " of block " + quote_name(b.id) +
                             " mixes numbers and text; a set holds one kind of value");
          continue;
        }
        auto [it, fresh] = first_seen.emplace(name, std::make_pair(b.id, t));
        if (!fresh && it->second.second != t) {
          error(b.where, "attribute " + quote_name(name) + " is " + describe(v) + " in block " +
                             quote_name(b.id) + " but a " +
                             detail::attribute_type_name(it->second.second) + " in block " +
                             quote_name(it->second.first) +
                             "; declare it under 'attributes:' and make them agree");
        }
      }
    }
  }

  static bool homogeneous(const Value& v) {
    if (v.as_list().empty()) return true;
    bool numbers = v.as_list()[0].is_number();
    for (const auto& item : v.as_list()) {
      if (item.is_list() || item.is_boolean() || item.is_number() != numbers) return false;
    }
    return true;
  }
  static AttributeType type_of(const Value& v) {
    switch (v.kind()) {
      case ValueKind::number:
        return AttributeType::number;
      case ValueKind::string:
        return AttributeType::string;
      case ValueKind::boolean:
        return AttributeType::boolean;
      case ValueKind::list:
        return !v.as_list().empty() && v.as_list()[0].is_number() ? AttributeType::number_set
                                                                  : AttributeType::string_set;
    }
    return AttributeType::number;
  }
  static bool fits(const Value& v, AttributeType t) {
    if (v.is_list()) {
      if (!detail::is_set_type(t) || !homogeneous(v)) return false;
      return v.as_list().empty() ||
             (v.as_list()[0].is_number() == (t == AttributeType::number_set));
    }
    return type_of(v) == t;
  }
  static std::string describe(const Value& v) {
    switch (v.kind()) {
      case ValueKind::number:
        return "a number (" + v.to_string() + ")";
      case ValueKind::string:
        return "text (\"" + v.to_string() + "\")";
      case ValueKind::boolean:
        return "a boolean";
      case ValueKind::list:
        return "a set " + v.to_string();
    }
    return "?";
  }

  void options() {
    for (size_t o = 0; o < c_.options.size(); ++o) {
      const Option& opt = c_.options[o];
      if (opt.values.empty()) {
        if (!(opt.range_min && opt.range_max && *opt.range_max < *opt.range_min)) {
          error(opt.where, "option " + quote_name(opt.id) +
                               " has an empty domain: give it at least one value");
        }
        continue;
      }
      std::set<std::string> seen;
      for (const auto& v : opt.values) {
        std::string text = v.value.to_string();
        bool wrong_kind = (opt.kind == OptionKind::enumeration && !v.value.is_string()) ||
                          (opt.kind == OptionKind::integer &&
                           !(v.value.is_number() && v.value.as_number().is_integer())) ||
                          (opt.kind == OptionKind::boolean && !v.value.is_boolean());
        if (wrong_kind) {
          error(v.where, "value " + text + " of option " + quote_name(opt.id) +
                             " does not match the option's kind");
        }
        if (opt.kind == OptionKind::enumeration && text.empty()) {
          error(v.where, "option " + quote_name(opt.id) + " has an empty value name");
        }
        if (!seen.insert(text).second) {
          error(v.where, "option " + quote_name(opt.id) + " lists value " + text + " twice");
        }
      }
      if (opt.kind == OptionKind::boolean &&
          (opt.values.size() != 2 || !opt.values[0].value.is_boolean() ||
           opt.values[0].value.as_boolean() || !opt.values[1].value.is_boolean() ||
           !opt.values[1].value.as_boolean())) {
        error(opt.where, "boolean option " + quote_name(opt.id) +
                             " must have exactly the values false and true");
      }
      if (opt.default_value && !index_.option_value_index(o, *opt.default_value)) {
        error(opt.where, "default " + opt.default_value->to_string() + " of option " +
                             quote_name(opt.id) + " is not one of its values");
      }
      feature_tree(opt);
    }
  }

  /// `parent` names another boolean option; `mandatory` needs a parent.
  void feature_tree(const Option& opt) {
    if (opt.parent.empty()) {
      if (opt.mandatory)
        error(opt.where, "option " + quote_name(opt.id) +
                             " is mandatory but has no parent; give 'parent' or drop 'mandatory'");
      return;
    }
    auto p = index_.option_index(opt.parent);
    const Option* parent = p ? &c_.options[*p] : nullptr;
    if (!parent) {
      error(opt.where, "parent " + quote_name(opt.parent) + " of option " + quote_name(opt.id) +
                           " is not an option of the catalog");
    } else if (parent == &opt) {
      error(opt.where, "option " + quote_name(opt.id) + " is its own parent");
    } else if (parent->kind != OptionKind::boolean || opt.kind != OptionKind::boolean) {
      error(opt.where, "option " + quote_name(opt.id) + " and its parent " +
                           quote_name(opt.parent) +
                           " must both be boolean (a parent is a feature of a feature tree)");
    }
  }

  void blocks() {
    for (size_t b = 0; b < c_.blocks.size(); ++b) {
      const Block& blk = c_.blocks[b];
      if (blk.price < Decimal()) {
        warning(blk.where, "block " + quote_name(blk.id) +
                               " has a negative price; is that a refund on purpose?");
      }
      auto check_refs = [&](const std::vector<std::string>& refs, const char* key) {
        std::set<std::string> seen;
        for (const auto& r : refs) {
          if (!seen.insert(r).second) {
            error(blk.where, "block " + quote_name(blk.id) + " lists " + quote_name(r) +
                                 " twice in '" + key + "'");
            continue;
          }
          if (r == blk.id) {
            error(blk.where, "block " + quote_name(blk.id) + " " + key + " itself");
            continue;
          }
          if (!index_.block_index(r)) {
            error(blk.where, "block " + quote_name(blk.id) + " " + key + " unknown block " +
                                 quote_name(r) + suggestion(r, block_ids()));
          }
        }
      };
      check_refs(blk.requires_blocks, "requires");
      check_refs(blk.excludes_blocks, "excludes");
      for (const auto& r : blk.requires_blocks) {
        if (std::find(blk.excludes_blocks.begin(), blk.excludes_blocks.end(), r) !=
            blk.excludes_blocks.end()) {
          error(blk.where, "block " + quote_name(blk.id) + " both requires and excludes " +
                               quote_name(r) + ", so it can never be chosen");
        }
      }
      if (index_.slots_of_block(b).empty()) {
        warning(blk.where,
                "block " + quote_name(blk.id) +
                    " is in no slot, so it can never be chosen; add it to a slot's blocks");
      }
    }
  }

  std::vector<std::string> block_ids() const {
    std::vector<std::string> ids;
    for (const auto& b : c_.blocks) ids.push_back(b.id);
    return ids;
  }
  static std::string suggestion(const std::string& name, const std::vector<std::string>& ids) {
    std::string best = detail::closest_name(name, ids);
    return best.empty() ? "" : " (did you mean " + quote_name(best) + "?)";
  }

  void slots() {
    for (const auto& s : c_.slots) {
      std::set<std::string> seen;
      size_t known = 0;
      for (const auto& b : s.blocks) {
        if (!seen.insert(b).second) {
          error(s.where, "slot " + quote_name(s.id) + " lists block " + quote_name(b) + " twice");
          continue;
        }
        if (!index_.block_index(b)) {
          error(s.where, "slot " + quote_name(s.id) + " names unknown block " + quote_name(b) +
                             suggestion(b, block_ids()));
          continue;
        }
        ++known;
      }
      if (s.min < 0 || s.max < 0) {
        error(s.where, "slot " + quote_name(s.id) + " has a negative cardinality");
      } else if (s.min > s.max) {
        error(s.where, "slot " + quote_name(s.id) + " has cardinality " + std::to_string(s.min) +
                           ".." + std::to_string(s.max) +
                           ": the lower bound exceeds the upper bound");
      } else if (s.max == 0) {
        error(s.where, "slot " + quote_name(s.id) +
                           " can hold no block (cardinality 0); remove it or raise its maximum");
      } else if (s.blocks.empty()) {
        error(s.where,
              "slot " + quote_name(s.id) + " lists no blocks; give it the blocks that may fill it");
      } else if (!s.repeat && static_cast<size_t>(s.min) > known) {
        error(s.where, "slot " + quote_name(s.id) + " needs at least " + std::to_string(s.min) +
                           " different blocks but only " + std::to_string(known) +
                           " may fill it; add blocks, lower the minimum, or set 'repeat: true'");
      } else if (!s.repeat && static_cast<size_t>(s.max) > known && known > 0) {
        warning(s.where,
                "slot " + quote_name(s.id) + " allows " + std::to_string(s.max) +
                    " blocks but only " + std::to_string(known) +
                    " different ones may fill it (without 'repeat: true' each at most once)");
      }
      if (!s.counts.empty() &&
          (!std::is_sorted(s.counts.begin(), s.counts.end()) ||
           std::adjacent_find(s.counts.begin(), s.counts.end()) != s.counts.end() ||
           s.counts.front() != s.min || s.counts.back() != s.max)) {
        error(s.where, "slot " + quote_name(s.id) + " allows the counts " + cardinality_text(s) +
                           ", which are not ascending from its minimum " + std::to_string(s.min) +
                           " to its maximum " + std::to_string(s.max));
      }
      slot_default(s, seen);
    }
  }

  /// A slot's default names blocks of the slot, each once unless the slot repeats, within its
  /// cardinality.
  void slot_default(const Slot& s, const std::set<std::string>& blocks) {
    if (!s.default_blocks) return;
    const auto& d = *s.default_blocks;
    std::set<std::string> seen;
    for (const auto& b : d) {
      if (!blocks.count(b)) {
        error(s.where, "the default of slot " + quote_name(s.id) + " names " + quote_name(b) +
                           ", which is not among its blocks" + suggestion(b, s.blocks));
        return;
      }
      if (!seen.insert(b).second && !s.repeat) {
        error(s.where, "the default of slot " + quote_name(s.id) + " names " + quote_name(b) +
                           " twice; without 'repeat: true' a block fills the slot at most once");
        return;
      }
    }
    int n = static_cast<int>(d.size());
    if (!allows_count(s, n)) {
      error(s.where, "the default of slot " + quote_name(s.id) + " holds " + std::to_string(n) +
                         (n == 1 ? " block" : " blocks") + ", but the slot holds " +
                         cardinality_text(s));
    }
  }

  void products() {
    for (const auto& p : c_.products) {
      for (const auto& o : p.options) {
        if (!index_.option_index(o))
          error(p.where, "product " + quote_name(p.id) + " names unknown option " + quote_name(o));
      }
      for (const auto& s : p.slots) {
        if (!index_.slot_index(s))
          error(p.where, "product " + quote_name(p.id) + " names unknown slot " + quote_name(s));
      }
      if (p.base_price < Decimal())
        warning(p.where, "product " + quote_name(p.id) + " has a negative base price");
    }
  }

  void services() {
    for (const auto& s : c_.services) {
      const PriceSpec& p = s.price;
      if (p.percent < Decimal())
        error(s.where, "service " + quote_name(s.id) + " has a negative percentage price");
      if (p.percent != Decimal()) {
        if (p.of != "product" && p.of != "blocks" && p.of != "base" && !index_.slot_index(p.of)) {
          error(s.where, "price of service " + quote_name(s.id) + " is a percentage of '" + p.of +
                             "': it must be product, blocks, base or a slot id");
        }
      }
      if (p.amount < Decimal())
        warning(s.where, "service " + quote_name(s.id) + " has a negative price");
      if (!s.offered_when.empty()) resolver_.boolean(s.offered_when, s.offered_when_where);
    }
  }

  void bundles() {
    for (const auto& b : c_.bundles) {
      if (b.items.empty()) {
        error(b.where,
              "bundle " + quote_name(b.id) +
                  " has no items; list the blocks, services or products it sells together");
      }
      std::set<std::string> seen;
      for (const auto& item : b.items) {
        if (!seen.insert(item).second) {
          error(b.where, "bundle " + quote_name(b.id) + " lists " + quote_name(item) + " twice");
          continue;
        }
        auto sym = index_.find(item);
        if (!sym ||
            (sym->kind != detail::SymbolKind::block && sym->kind != detail::SymbolKind::service &&
             sym->kind != detail::SymbolKind::product)) {
          error(b.where,
                "bundle " + quote_name(b.id) + " item " + quote_name(item) +
                    (sym ? " is " + detail::a_kind(sym->kind) : std::string(" is unknown")) +
                    "; bundle items are blocks, services or products");
        }
      }
      if (b.discount_amount != Decimal() && b.discount_percent != Decimal()) {
        error(b.where, "bundle " + quote_name(b.id) +
                           " has both an amount and a percentage discount; keep one");
      }
      if (b.discount_percent < Decimal() || b.discount_percent > Decimal::from_integer(100)) {
        error(b.where, "bundle " + quote_name(b.id) + " discount must be between 0% and 100%");
      }
      if (b.discount_amount < Decimal()) {
        error(b.where,
              "bundle " + quote_name(b.id) + " has a negative discount (that is a surcharge)");
      }
      if (b.discount_amount == Decimal() && b.discount_percent == Decimal()) {
        warning(b.where, "bundle " + quote_name(b.id) + " gives no discount");
      }
    }
  }

  void tiers() {
    for (const auto& t : c_.tiers) {
      if (t.discount_percent < Decimal() || t.discount_percent > Decimal::from_integer(100)) {
        error(t.where, "tier " + quote_name(t.id) + " discount must be between 0% and 100%");
      }
      if (t.lifetime_value && *t.lifetime_value < Decimal()) {
        error(t.where, "tier " + quote_name(t.id) + " lifetime_value must not be negative");
      }
    }
  }

  void measures() {
    for (size_t m = 0; m < c_.measures.size(); ++m) {
      if (!c_.measures[m].expression.empty()) resolver_.measure(m);
    }
  }

  void rules() {
    for (const auto& r : c_.rules) {
      detail::check_deadline(c_.source);  // a catalog read within a limit is checked within it
      for (const auto& p : r.products) {
        if (!index_.product_index(p))
          error(r.where, "rule " + quote_name(r.id) + " names unknown product " + quote_name(p));
      }
      if (r.kind == RuleKind::table) {
        if (!r.scope.empty() || !r.when.empty()) resolver_.rule_when(r);
        table(r);
        continue;
      }
      if (r.expression.empty()) {
        error(r.expression_where.line ? r.expression_where : r.where,
              "rule " + quote_name(r.id) + " has an empty condition");
        continue;
      }
      if (!r.when.empty() || !r.scope.empty()) {
        auto when = resolver_.rule_when(r);
        if (when && when->op == detail::TOp::constant && !when->value.as_boolean()) {
          warning(r.when_where,
                  "rule " + quote_name(r.id) + " can never fire: its 'when' is always false");
        }
      }
      // A plain clause over Boolean options (DIMACS brings them by the hundred thousand) is
      // valid as it stands: no need for the full parser.
      if (r.when.empty() && r.scope.empty() &&
          plain_option_clause(index_, r.expression, plain_names_, plain_lits_))
        continue;
      resolver_.rule_expression(r);
    }
  }
  std::vector<std::pair<std::string, bool>> plain_names_;
  std::vector<std::pair<int, bool>> plain_lits_;

  void table(const Rule& r) {
    struct Column {
      int option = -1, slot = -1;
    };
    std::vector<Column> columns;
    bool ok = true;
    std::set<std::string> seen;
    for (const auto& name : r.columns) {
      Column col;
      if (!seen.insert(name).second) {
        error(r.where,
              "table " + quote_name(r.id) + " names column " + quote_name(name) + " twice");
        ok = false;
      }
      if (auto o = index_.option_index(name)) {
        col.option = *o;
        resolver_mentions(*o);
      } else if (auto s = index_.slot_index(name)) {
        col.slot = *s;
      } else {
        error(r.where, "table " + quote_name(r.id) + " column " + quote_name(name) +
                           " is not an option or a slot");
        ok = false;
      }
      columns.push_back(col);
    }
    if (r.columns.empty()) {
      error(r.where, "table " + quote_name(r.id) + " has no columns");
      return;
    }
    if (!ok) return;
    if (r.rows.empty() && r.rows_allowed) {
      warning(r.where,
              "table " + quote_name(r.id) + " allows no row, so no product can satisfy it");
    }
    int reported = 0;
    for (size_t i = 0; i < r.rows.size() && reported < 20; ++i) {
      const auto& row = r.rows[i];
      std::string where = "row " + std::to_string(i + 1) + " of table " + quote_name(r.id);
      if (row.size() != columns.size()) {
        error(r.where, where + " has " + std::to_string(row.size()) + " cells for " +
                           std::to_string(columns.size()) + " columns");
        ++reported;
        continue;
      }
      for (size_t k = 0; k < row.size(); ++k) {
        const std::string& cell = row[k];
        if (cell == "*") continue;
        if (columns[k].option >= 0) {
          if (!index_.option_value_index(columns[k].option, cell)) {
            error(r.where, where + ": " + quote_name(c_.options[columns[k].option].id) +
                               " has no value '" + cell + "'");
            ++reported;
          }
        } else {
          const Slot& s = c_.slots[columns[k].slot];
          if (cell == "none") {
            bool always_there =
                std::all_of(c_.products.begin(), c_.products.end(), [&](const Product& p) {
                  return p.slots.empty() ||
                         std::find(p.slots.begin(), p.slots.end(), s.id) != p.slots.end();
                });
            if (s.min > 0 && always_there) {
              warning(r.where, where + ": slot " + quote_name(s.id) +
                                   " is never empty, so 'none' never matches");
            }
            continue;
          }
          auto b = index_.block_index(cell);
          if (!b || index_.block_position_in_slot(columns[k].slot, *b) < 0) {
            error(r.where, where + ": '" + cell + "' is not a block of slot " + quote_name(s.id));
            ++reported;
          }
        }
      }
    }
  }

  void resolver_mentions(int option) { table_mentions_.insert(option); }

  void requires_cycles() {
    std::vector<detail::Edge> edges;
    for (size_t b = 0; b < c_.blocks.size(); ++b) {
      for (const auto& r : c_.blocks[b].requires_blocks) {
        if (auto t = index_.block_index(r); t && *t != static_cast<int>(b))
          edges.push_back({static_cast<int>(b), *t});
      }
    }
    for (const auto& cycle : detail::directed_cycles(c_.blocks.size(), edges)) {
      std::string path;
      for (int v : cycle) path += quote_name(c_.blocks[v].id) + " requires ";
      path += quote_name(c_.blocks[cycle.front()].id);
      error(c_.blocks[cycle.front()].where,
            "blocks require each other in a cycle (" + path +
                "), so there is no order to assemble them; remove one of these 'requires'");
    }
  }

  void missing_messages() {
    size_t missing = 0;
    for (const auto& r : c_.rules) {
      if (!r.message.empty()) continue;
      if (++missing <= 20) {
        warning(r.where,
                "rule " + quote_name(r.id) +
                    " has no message: customers will see only its id when it stands in their way; "
                    "write the sentence they should read");
      }
    }
    if (missing > 20) warning({}, std::to_string(missing - 20) + " more rules have no message");
  }

  void unused_options() {
    std::vector<bool> in_product(c_.options.size(), false);
    const auto& mentioned = resolver_.options_mentioned();
    int reported = 0;
    size_t unused = 0;
    for (size_t o = 0; o < c_.options.size(); ++o) {
      if (mentioned[o] || table_mentions_.count(o)) continue;
      bool priced = false;
      for (const auto& v : c_.options[o].values) priced |= v.price != Decimal();
      if (priced) continue;  // a priced option matters even when no rule names it
      ++unused;
      if (reported++ < 20) {
        warning(c_.options[o].where,
                "option " + quote_name(c_.options[o].id) +
                    " is mentioned by no rule and changes no price; is a rule missing?");
      }
    }
    if (unused > 20) {
      warning({}, std::to_string(unused - 20) + " more options are mentioned by no rule");
    }
  }

  const Catalog& c_;
  std::vector<Diagnostic> diagnostics_;
  detail::CatalogIndex index_;
  detail::Resolver resolver_;
  std::set<int> table_mentions_;
};

}  // namespace

std::vector<Diagnostic> validate(const Catalog& catalog) {
  std::optional<Catalog> expanded;
  return detail::validate_expanding(catalog, expanded);
}

namespace detail {

std::vector<Diagnostic> validate_expanding(const Catalog& catalog,
                                           std::optional<Catalog>& expanded) {
  bool assemblies =
      !catalog.assemblies.empty() || std::any_of(catalog.slots.begin(), catalog.slots.end(),
                                                 [](const Slot& s) { return !s.assembly.empty(); });
  if (!assemblies) {
    Validator v(catalog);
    return v.run();
  }
  auto diagnostics = check_assemblies(catalog);
  if (has_errors(diagnostics)) return diagnostics;
  // What instances hold is checked on the expanded catalog. Each instance repeats its assembly's
  // problems at the same place, naming itself (`hd_units[1].disks`, `hd_units[2].disks`): one
  // report per place and message, instance numbers aside.
  expanded = expand_assemblies(catalog);
  Validator v(*expanded);
  auto without_numbers = [](const std::string& message) {
    std::string out;
    for (size_t i = 0; i < message.size(); ++i) {
      size_t j = i + 1;
      while (message[i] == '[' && j < message.size() &&
             std::isdigit(static_cast<unsigned char>(message[j])))
        ++j;
      if (message[i] == '[' && j > i + 1 && j < message.size() && message[j] == ']') {
        out += "[]";
        i = j;
      } else {
        out += message[i];
      }
    }
    return out;
  };
  std::set<std::tuple<int, int, Severity, std::string>> seen;
  for (auto& d : v.run()) {
    if (seen.insert({d.position.line, d.position.column, d.severity, without_numbers(d.message)})
            .second)
      diagnostics.push_back(std::move(d));
  }
  return diagnostics;
}

}  // namespace detail

CatalogSummary summarize(const Catalog& c) {
  CatalogSummary s;
  s.options = c.options.size();
  s.blocks = c.blocks.size();
  s.slots = c.slots.size();
  s.products = c.products.size();
  s.services = c.services.size();
  s.bundles = c.bundles.size();
  s.rules = c.rules.size();
  s.constraints = c.rules.size();
  for (const auto& b : c.blocks)
    s.constraints += b.requires_blocks.size() + b.excludes_blocks.size();
  s.assemblies = c.assemblies.size();
  for (const auto& a : c.assemblies) s.constraints += a.rules.size();
  return s;
}

std::vector<std::string> assembly_order(const Catalog& c) {
  detail::CatalogIndex index(c);
  std::vector<detail::Edge> edges;
  for (size_t b = 0; b < c.blocks.size(); ++b) {
    for (const auto& r : c.blocks[b].requires_blocks) {
      // A required block is assembled before the block that requires it.
      if (auto t = index.block_index(r); t && *t != static_cast<int>(b))
        edges.push_back({*t, static_cast<int>(b)});
    }
  }
  std::vector<int> order;
  if (!detail::topological_order(c.blocks.size(), edges, order)) {
    throw Error(ErrorKind::catalog,
                "blocks require each other in a cycle; run `sumisura check` to see it", c.source);
  }
  std::vector<std::string> ids;
  for (int b : order) ids.push_back(c.blocks[b].id);
  return ids;
}

bool Catalog::operator==(const Catalog& o) const {
  return name == o.name && version == o.version && currency == o.currency &&
         description == o.description && attributes == o.attributes && options == o.options &&
         blocks == o.blocks && slots == o.slots && assemblies == o.assemblies &&
         products == o.products && services == o.services && bundles == o.bundles &&
         tiers == o.tiers && measures == o.measures && rules == o.rules;
}

}  // namespace sumisura
