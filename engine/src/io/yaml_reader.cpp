// Reads Sumisura's YAML catalog format (docs/catalog-format.md) with yaml-cpp.
#include <yaml-cpp/yaml.h>

#include <map>
#include <set>
#include <unordered_set>

#include "core/budgets.hpp"
#include "core/deadline.hpp"
#include "io/readers.hpp"
#include "io/yaml_errors.hpp"
#include "model/resolve.hpp"

namespace sumisura::detail {
namespace {

Position where(const YAML::Node& n) {
  const YAML::Mark m = n.Mark();
  if (m.line < 0) return {};
  return {m.line + 1, m.column + 1};
}

bool is_quoted(const YAML::Node& n) {
  return n.IsScalar() && n.Tag() == "!";
}

class YamlCatalogReader {
 public:
  YamlCatalogReader(std::string source, std::vector<Diagnostic>& diagnostics)
      : source_(std::move(source)), diagnostics_(diagnostics) {}

  Catalog read(const std::string& text) {
    Catalog catalog;
    catalog.source = source_;
    YAML::Node root;
    std::optional<Position> second;
    // yaml-cpp builds the whole tree first, at about 600 bytes a node: a file with more items
    // than the budget (a line, a comma or a colon each: a close estimate of its nodes, aliases
    // aside) is refused before it is parsed.
    uint64_t items = 0;
    for (char ch : text) items += ch == ',' || ch == '\n' || ch == ':';
    if (items > nodes_budget_)
      throw Error(
          ErrorKind::catalog,
          over_budget_message(kYamlNodesBudget, "holds about " + std::to_string(items) +
                                                    " YAML nodes (lines, commas and colons)"),
          source_);
    try {
      root = load_one_document(text, second);
    } catch (const YAML::ParserException& e) {
      error({e.mark.line + 1, e.mark.column + 1},
            "malformed YAML: " + explain_yaml_error(text, e.mark.line, e.msg));
      return catalog;
    } catch (const std::bad_alloc&) {
      throw;  // out of memory is not a syntax error
    } catch (const std::exception& e) {
      error({1, 1}, std::string("malformed YAML: ") + e.what());
      return catalog;
    }
    if (second) {
      error(*second,
            "a second YAML document begins here (after `---`): a catalog file holds one; put "
            "the second catalog in its own file");
      return catalog;
    }
    if (!root.IsDefined() || root.IsNull()) {
      error({1, 1},
            "the file is empty: a catalog needs at least `catalog:` and `options:` or `slots:`");
      return catalog;
    }
    if (!root.IsMap()) {
      error(where(root),
            "a catalog file is a mapping with keys catalog, options, blocks, slots, ...");
      return catalog;
    }
    static const std::vector<std::string> kTop = {"catalog", "attributes", "options",  "blocks",
                                                  "slots",   "assemblies", "products", "services",
                                                  "bundles", "tiers",      "measures", "rules"};
    for_each_key(root, kTop, "at the top level", [&](const std::string& key, const YAML::Node& v) {
      if (key == "catalog")
        read_metadata(v, catalog);
      else if (key == "attributes")
        list(v, key, [&](const YAML::Node& n) { catalog.attributes.push_back(attribute(n)); });
      else if (key == "options")
        list(v, key, [&](const YAML::Node& n) { catalog.options.push_back(option(n)); });
      else if (key == "blocks")
        list(v, key, [&](const YAML::Node& n) { catalog.blocks.push_back(block(n)); });
      else if (key == "slots")
        list(v, key, [&](const YAML::Node& n) { catalog.slots.push_back(slot(n)); });
      else if (key == "assemblies")
        list(v, key, [&](const YAML::Node& n) { catalog.assemblies.push_back(assembly(n)); });
      else if (key == "products")
        list(v, key, [&](const YAML::Node& n) { catalog.products.push_back(product(n)); });
      else if (key == "services")
        list(v, key, [&](const YAML::Node& n) { catalog.services.push_back(service(n)); });
      else if (key == "bundles")
        list(v, key, [&](const YAML::Node& n) { catalog.bundles.push_back(bundle(n)); });
      else if (key == "tiers")
        list(v, key, [&](const YAML::Node& n) { catalog.tiers.push_back(tier(n)); });
      else if (key == "measures")
        list(v, key, [&](const YAML::Node& n) { catalog.measures.push_back(measure(n)); });
      else if (key == "rules")
        list(v, key, [&](const YAML::Node& n) { catalog.rules.push_back(rule(n)); });
    });
    return catalog;
  }

 private:
  /// Counts a node as the reader walks it (an alias as often as it is used, since every use
  /// becomes catalog data), within the budget and the deadline.
  void visit(const YAML::Node& n) {
    check_deadline(source_);
    if (++visited_ <= nodes_budget_) return;
    throw Error(ErrorKind::catalog,
                over_budget_message(kYamlNodesBudget,
                                    "expands, as it is read, beyond its budget of nodes (an alias "
                                    "counts each time it is used)"),
                source_, where(n));
  }

  void error(Position pos, std::string message) {
    // A broken file can produce thousands of errors; the first hundred say enough.
    if (++errors_ > 100) {
      if (errors_ == 101) {
        diagnostics_.push_back({Severity::error, source_, pos, "too many errors; stopping here"});
      }
      return;
    }
    diagnostics_.push_back({Severity::error, source_, pos, std::move(message)});
  }

  template <typename F>
  void for_each_key(const YAML::Node& map, const std::vector<std::string>& allowed,
                    const std::string& context, F&& f) {
    std::set<std::string> seen;
    for (auto it = map.begin(); it != map.end(); ++it) {
      YAML::Node key = it->first;  // a copy: it-> returns a temporary proxy
      visit(key);
      if (!key.IsScalar()) {
        error(where(key), "keys must be plain names " + context);
        continue;
      }
      const std::string& k = key.Scalar();
      if (!seen.insert(k).second) {
        error(where(key), "key '" + k + "' appears twice " + context + "; keep one");
        continue;
      }
      if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
        std::string best = closest_name(k, allowed);
        std::string expected;
        for (const auto& a : allowed) expected += (expected.empty() ? "" : ", ") + a;
        error(where(key), "unknown key '" + k + "' " + context +
                              (best.empty() ? "" : " (did you mean '" + best + "'?)") +
                              "; expected one of: " + expected);
        continue;
      }
      f(k, it->second);
    }
  }

  template <typename F>
  void list(const YAML::Node& n, const std::string& what, F&& f) {
    if (n.IsNull()) return;
    if (!n.IsSequence()) {
      error(where(n), "'" + what + "' must be a list (each item starting with '- ')");
      return;
    }
    for (const auto& item : n) {
      visit(item);
      if (!item.IsMap()) {
        error(where(item), "each item of '" + what + "' must be a mapping such as '- id: ...'");
        continue;
      }
      f(item);
    }
  }

  std::string scalar(const YAML::Node& n, const std::string& key) {
    if (n.IsNull()) return "";
    if (!n.IsScalar()) {
      error(where(n), "'" + key + "' must be a single value, not a list or mapping");
      return "";
    }
    return n.Scalar();
  }

  std::string expression(const YAML::Node& n, const std::string& key, Position& pos) {
    pos = where(n);
    if (!n.IsScalar()) {
      error(where(n), "'" + key + "' must be an expression (text), not a list or mapping");
      return "";
    }
    // A quoted expression starts one column after its quote. (Block scalars keep the position of
    // their indicator: close enough to find the line.)
    if (is_quoted(n) && pos.line > 0 && n.Scalar().find('\n') == std::string::npos) pos.column += 1;
    return n.Scalar();
  }

  std::vector<std::string> names(const YAML::Node& n, const std::string& key) {
    std::vector<std::string> out;
    if (n.IsNull()) return out;
    if (n.IsScalar()) {
      out.push_back(n.Scalar());
      return out;
    }
    if (!n.IsSequence()) {
      error(where(n), "'" + key + "' must be a list of ids, like [a, b]");
      return out;
    }
    for (const auto& item : n) {
      visit(item);
      if (!item.IsScalar()) {
        error(where(item), "'" + key + "' must list ids, not lists or mappings");
        continue;
      }
      out.push_back(item.Scalar());
    }
    return out;
  }

  std::optional<Decimal> number(const YAML::Node& n, const std::string& key) {
    if (!n.IsScalar()) {
      error(where(n), "'" + key + "' must be a number");
      return std::nullopt;
    }
    auto d = Decimal::parse(n.Scalar());
    if (!d) {
      error(where(n),
            "'" + key + "' must be a number with at most 6 decimals, not '" + n.Scalar() + "'");
    }
    return d;
  }

  std::optional<int64_t> integer(const YAML::Node& n, const std::string& key) {
    auto d = number(n, key);
    if (!d) return std::nullopt;
    if (!d->is_integer()) {
      error(where(n), "'" + key + "' must be a whole number, not " + d->to_string());
      return std::nullopt;
    }
    return d->integer_part();
  }

  std::optional<bool> boolean(const YAML::Node& n, const std::string& key) {
    if (n.IsScalar()) {
      const std::string& s = n.Scalar();
      if (s == "true" || s == "yes") return true;
      if (s == "false" || s == "no") return false;
    }
    error(where(n), "'" + key + "' must be true or false");
    return std::nullopt;
  }

  // A plain scalar is a number or a boolean when it reads as one; quoted scalars are strings.
  std::optional<Value> value(const YAML::Node& n, const std::string& key, bool allow_list) {
    if (n.IsNull()) {
      error(where(n), "'" + key + "' has no value");
      return std::nullopt;
    }
    if (n.IsSequence()) {
      if (!allow_list) {
        error(where(n), "'" + key + "' must be a single value");
        return std::nullopt;
      }
      std::vector<Value> items;
      for (const auto& item : n) {
        visit(item);
        auto v = value(item, key, false);
        if (!v) return std::nullopt;
        items.push_back(*v);
      }
      return Value::list(std::move(items));
    }
    if (!n.IsScalar()) {
      error(where(n), "'" + key + "' must be a value, not a mapping");
      return std::nullopt;
    }
    const std::string& s = n.Scalar();
    if (!is_quoted(n)) {
      if (s == "true") return Value::boolean(true);
      if (s == "false") return Value::boolean(false);
      if (!s.empty() && (std::isdigit(static_cast<unsigned char>(s[0])) || s[0] == '-' ||
                         s[0] == '+' || s[0] == '.')) {
        if (auto d = Decimal::parse(s)) return Value::number(*d);
      }
    }
    return Value::string(s);
  }

  std::string require_id(const YAML::Node& n, const std::string& what) {
    if (!n["id"]) {
      error(where(n), what + " needs an 'id'");
      return "";
    }
    std::string id = scalar(n["id"], "id");
    if (id.empty()) error(where(n["id"]), what + " id must not be empty");
    return id;
  }

  void read_metadata(const YAML::Node& n, Catalog& c) {
    if (!n.IsMap()) {
      error(where(n), "'catalog' must be a mapping with name, version and currency");
      return;
    }
    for_each_key(n, {"name", "version", "currency", "description"}, "in 'catalog'",
                 [&](const std::string& k, const YAML::Node& v) {
                   std::string s = scalar(v, k);
                   if (k == "name")
                     c.name = s;
                   else if (k == "version")
                     c.version = s;
                   else if (k == "currency")
                     c.currency = s;
                   else
                     c.description = s;
                 });
  }

  AttributeDecl attribute(const YAML::Node& n) {
    AttributeDecl a;
    a.where = where(n);
    a.id = require_id(n, "an attribute");
    for_each_key(n, {"id", "type", "unit", "default"}, "in attribute '" + a.id + "'",
                 [&](const std::string& k, const YAML::Node& v) {
                   if (k == "type") {
                     std::string t = scalar(v, k);
                     if (t == "number")
                       a.type = AttributeType::number;
                     else if (t == "string")
                       a.type = AttributeType::string;
                     else if (t == "boolean")
                       a.type = AttributeType::boolean;
                     else if (t == "number_set")
                       a.type = AttributeType::number_set;
                     else if (t == "string_set")
                       a.type = AttributeType::string_set;
                     else
                       error(where(v),
                             "attribute type must be number, string, boolean, number_set or "
                             "string_set, not '" +
                                 t + "'");
                   } else if (k == "unit") {
                     a.unit = scalar(v, k);
                   } else if (k == "default") {
                     a.default_value = value(v, k, true);
                   }
                 });
    return a;
  }

  Option option(const YAML::Node& n) {
    Option o;
    o.where = where(n);
    o.id = require_id(n, "an option");
    std::string declared_type;
    Position type_pos;
    const YAML::Node* values_node = nullptr;
    YAML::Node values_copy;
    Decimal boolean_price;
    bool has_price = false;
    for_each_key(n,
                 {"id", "label", "description", "type", "values", "range", "default", "price",
                  "parent", "mandatory"},
                 "in option '" + o.id + "'", [&](const std::string& k, const YAML::Node& v) {
                   if (k == "label")
                     o.label = scalar(v, k);
                   else if (k == "parent")
                     o.parent = scalar(v, k);
                   else if (k == "mandatory") {
                     if (auto b = boolean(v, k)) o.mandatory = *b;
                   } else if (k == "description")
                     o.description = scalar(v, k);
                   else if (k == "type") {
                     declared_type = scalar(v, k);
                     type_pos = where(v);
                   } else if (k == "values") {
                     values_copy = v;
                     values_node = &values_copy;
                   } else if (k == "range") {
                     range(v, o);
                   } else if (k == "default") {
                     o.default_value = value(v, k, false);
                   } else if (k == "price") {
                     if (auto d = number(v, k)) {
                       boolean_price = *d;
                       has_price = true;
                     }
                   }
                 });
    if (!declared_type.empty() && declared_type != "enumeration" && declared_type != "integer" &&
        declared_type != "boolean") {
      error(type_pos,
            "option type must be enumeration, integer or boolean, not '" + declared_type + "'");
    }
    if (declared_type == "boolean") {
      o.kind = OptionKind::boolean;
      if (values_node || o.range_min) {
        error(o.where,
              "boolean option '" + o.id + "' takes no 'values' or 'range' (it is false or true)");
      }
      o.values = {{Value::boolean(false), "", {}, o.where},
                  {Value::boolean(true), "", boolean_price, o.where}};
      return o;
    }
    if (has_price) {
      error(o.where,
            "option '" + o.id +
                "': 'price' belongs to boolean options; give each value its own price instead");
    }
    if (values_node && o.range_min) {
      error(o.where, "option '" + o.id + "' has both 'values' and 'range'; keep one");
    }
    if (o.range_min) {
      o.kind = OptionKind::integer;
      if (!declared_type.empty() && declared_type != "integer") {
        error(type_pos, "option '" + o.id + "' has a range, so its type is integer");
      }
      return o;
    }
    if (!values_node) {
      error(o.where, "option '" + o.id + "' needs 'values', a 'range', or 'type: boolean'");
      return o;
    }
    option_values(*values_node, o, declared_type);
    return o;
  }

  void range(const YAML::Node& v, Option& o) {
    if (!v.IsSequence() || v.size() != 2) {
      error(where(v), "'range' must be [LOWEST, HIGHEST], e.g. [36, 48]");
      return;
    }
    auto lo = integer(v[0], "range");
    auto hi = integer(v[1], "range");
    if (!lo || !hi) return;
    o.range_min = *lo;
    o.range_max = *hi;
    constexpr int64_t kMaxRange = 100000;
    if (*hi < *lo) {
      error(where(v), "empty range [" + std::to_string(*lo) + ", " + std::to_string(*hi) +
                          "]: the first bound must not exceed the second");
      return;
    }
    if (*hi - *lo >= kMaxRange) {
      error(where(v),
            "range of option '" + o.id +
                "' has more than 100000 values; options are finite choices, so narrow it");
      return;
    }
    for (int64_t x = *lo; x <= *hi; ++x) o.values.push_back({Value::integer(x), "", {}, where(v)});
  }

  void option_values(const YAML::Node& v, Option& o, const std::string& declared_type) {
    if (!v.IsSequence()) {
      error(where(v), "'values' must be a list, e.g. [black, navy]");
      return;
    }
    bool numbers = false, strings = false;
    for (const auto& item : v) {
      visit(item);
      OptionValue ov;
      ov.where = where(item);
      const YAML::Node* raw = &item;
      YAML::Node inner;
      if (item.IsMap()) {
        for_each_key(item, {"value", "label", "price"}, "in a value of option '" + o.id + "'",
                     [&](const std::string& k, const YAML::Node& x) {
                       if (k == "label")
                         ov.label = scalar(x, k);
                       else if (k == "price") {
                         if (auto d = number(x, k)) ov.price = *d;
                       } else
                         inner = x;
                     });
        if (!inner) {
          error(where(item),
                "a value written as a mapping needs 'value:', e.g. {value: oxblood, label: "
                "Oxblood, price: 15}");
          continue;
        }
        raw = &inner;
      }
      auto val = value(*raw, "values", false);
      if (!val) continue;
      if (val->is_boolean()) val = Value::string(raw->Scalar());
      if (val->is_number()) {
        if (!val->as_number().is_integer()) {
          error(where(*raw),
                "option values are whole numbers or names, not " + val->as_number().to_string());
          continue;
        }
        numbers = true;
      } else {
        strings = true;
      }
      ov.value = *val;
      o.values.push_back(ov);
    }
    if (numbers && strings) {
      if (declared_type == "enumeration") {
        for (auto& ov : o.values) ov.value = Value::string(ov.value.to_string());
        numbers = false;
      } else {
        error(where(v),
              "option '" + o.id +
                  "' mixes numbers and names; quote the numbers or add 'type: enumeration'");
      }
    }
    if (declared_type == "enumeration" && numbers) {
      for (auto& ov : o.values) ov.value = Value::string(ov.value.to_string());
      numbers = false;
    }
    if (declared_type == "integer" && strings) {
      error(where(v),
            "option '" + o.id + "' has type integer, so its values must be whole numbers");
    }
    o.kind = numbers ? OptionKind::integer : OptionKind::enumeration;
    if (o.kind == OptionKind::enumeration && o.default_value && o.default_value->is_number()) {
      o.default_value = Value::string(o.default_value->to_string());
    }
  }

  Block block(const YAML::Node& n) {
    Block b;
    b.where = where(n);
    b.id = require_id(n, "a block");
    for_each_key(n, {"id", "label", "description", "price", "attributes", "requires", "excludes"},
                 "in block '" + b.id + "'", [&](const std::string& k, const YAML::Node& v) {
                   if (k == "label")
                     b.label = scalar(v, k);
                   else if (k == "description")
                     b.description = scalar(v, k);
                   else if (k == "price") {
                     if (auto d = number(v, k)) b.price = *d;
                   } else if (k == "attributes") {
                     attributes(v, "block '" + b.id + "'", b.attributes);
                   } else if (k == "requires") {
                     b.requires_blocks = names(v, k);
                   } else if (k == "excludes") {
                     b.excludes_blocks = names(v, k);
                   }
                 });
    return b;
  }

  void attributes(const YAML::Node& v, const std::string& owner,
                  std::map<std::string, Value>& out) {
    if (!v.IsMap()) {
      error(where(v), "'attributes' must be a mapping such as {material: leather, weight: 220}");
      return;
    }
    std::set<std::string> seen;
    for (auto it = v.begin(); it != v.end(); ++it) {
      visit(it->first);
      if (!it->first.IsScalar()) {
        error(where(it->first), "attribute names must be plain names");
        continue;
      }
      std::string name = it->first.Scalar();
      if (!seen.insert(name).second) {
        error(where(it->first), "attribute '" + name + "' appears twice in " + owner);
        continue;
      }
      if (auto val = value(it->second, name, true)) out[name] = *val;
    }
  }

  Assembly assembly(const YAML::Node& n) {
    Assembly a;
    a.where = where(n);
    a.id = require_id(n, "an assembly");
    for_each_key(n,
                 {"id", "label", "description", "price", "attributes", "options", "slots", "rules"},
                 "in assembly '" + a.id + "'", [&](const std::string& k, const YAML::Node& v) {
                   if (k == "label")
                     a.label = scalar(v, k);
                   else if (k == "description")
                     a.description = scalar(v, k);
                   else if (k == "price") {
                     if (auto d = number(v, k)) a.price = *d;
                   } else if (k == "attributes") {
                     attributes(v, "assembly '" + a.id + "'", a.attributes);
                   } else if (k == "options") {
                     list(v, k, [&](const YAML::Node& item) { a.options.push_back(option(item)); });
                   } else if (k == "slots") {
                     list(v, k, [&](const YAML::Node& item) { a.slots.push_back(slot(item)); });
                   } else if (k == "rules") {
                     list(v, k, [&](const YAML::Node& item) { a.rules.push_back(rule(item)); });
                   }
                 });
    return a;
  }

  Slot slot(const YAML::Node& n) {
    Slot s;
    s.where = where(n);
    s.id = require_id(n, "a slot");
    for_each_key(n, {"id", "label", "cardinality", "blocks", "repeat", "default", "assembly"},
                 "in slot '" + s.id + "'", [&](const std::string& k, const YAML::Node& v) {
                   if (k == "label")
                     s.label = scalar(v, k);
                   else if (k == "assembly")
                     s.assembly = scalar(v, k);
                   else if (k == "blocks")
                     s.blocks = names(v, k);
                   else if (k == "default") {
                     // `none` (or []) is an empty slot; a list names blocks once per block held.
                     s.default_blocks = names(v, k);
                     if (*s.default_blocks == std::vector<std::string>{"none"})
                       s.default_blocks->clear();
                   } else if (k == "repeat") {
                     if (auto r = boolean(v, k)) s.repeat = *r;
                   } else if (k == "cardinality") {
                     cardinality(v, s);
                   }
                 });
    return s;
  }

  void cardinality(const YAML::Node& v, Slot& s) {
    // A list ([0, 2], [0, 2..4]) is the counts the slot may hold, as "0, 2" says it.
    std::string text;
    if (v.IsSequence()) {
      for (const auto& item : v) {
        visit(item);
        text += (text.empty() ? "" : ", ") + (item.IsScalar() ? item.Scalar() : "?");
      }
    } else {
      text = scalar(v, "cardinality");
    }
    if (!parse_cardinality(text, s)) {
      error(where(v),
            "cardinality must be a count such as 1, a range such as 0..1 or 1..3, or the counts "
            "allowed, such as [0, 2] (never 1; listed counts go up to 10000), not '" +
                text + "'");
    }
  }

  Product product(const YAML::Node& n) {
    Product p;
    p.where = where(n);
    p.id = require_id(n, "a product");
    for_each_key(n, {"id", "label", "description", "base_price", "options", "slots"},
                 "in product '" + p.id + "'", [&](const std::string& k, const YAML::Node& v) {
                   if (k == "label")
                     p.label = scalar(v, k);
                   else if (k == "description")
                     p.description = scalar(v, k);
                   else if (k == "base_price") {
                     if (auto d = number(v, k)) p.base_price = *d;
                   } else if (k == "options")
                     p.options = names(v, k);
                   else if (k == "slots")
                     p.slots = names(v, k);
                 });
    return p;
  }

  // "10%" -> 10; "12.5" -> nothing (not a percentage)
  std::optional<Decimal> percent(const std::string& text) {
    if (text.empty() || text.back() != '%') return std::nullopt;
    std::string body = text.substr(0, text.size() - 1);
    while (!body.empty() && body.back() == ' ') body.pop_back();
    return Decimal::parse(body);
  }

  PriceSpec price_spec(const YAML::Node& v, const std::string& owner) {
    PriceSpec p;
    if (v.IsMap()) {
      for_each_key(v, {"amount", "percent", "of"}, "in the price of '" + owner + "'",
                   [&](const std::string& k, const YAML::Node& x) {
                     if (k == "amount") {
                       if (auto d = number(x, k)) p.amount = *d;
                     } else if (k == "percent") {
                       std::string s = scalar(x, k);
                       auto d = percent(s);
                       if (!d) d = Decimal::parse(s);
                       if (!d)
                         error(where(x), "'percent' must be a number such as 10 or 10%");
                       else
                         p.percent = *d;
                     } else {
                       p.of = scalar(x, k);
                     }
                   });
      if (p.percent != Decimal() && p.of.empty()) p.of = "product";
      return p;
    }
    std::string text = scalar(v, "price");
    if (auto d = Decimal::parse(text)) {
      p.amount = *d;
      return p;
    }
    // "10% of product"
    auto pct = text.find('%');
    if (pct != std::string::npos) {
      auto d = percent(text.substr(0, pct + 1));
      std::string rest = text.substr(pct + 1);
      auto first = rest.find_first_not_of(' ');
      rest = first == std::string::npos ? "" : rest.substr(first);
      if (d && (rest.rfind("of ", 0) == 0 || rest.empty())) {
        p.percent = *d;
        p.of = rest.empty() ? "product" : rest.substr(3);
        while (!p.of.empty() && p.of.back() == ' ') p.of.pop_back();
        return p;
      }
    }
    error(where(v), "price of '" + owner +
                        "' must be a number (12.5), a percentage ('10% of product') or {amount: 5, "
                        "percent: 10, of: blocks}");
    return p;
  }

  void discount(const YAML::Node& v, const std::string& owner, Decimal& amount, Decimal& pct,
                bool allow_amount) {
    std::string text = scalar(v, "discount");
    if (auto d = percent(text)) {
      pct = *d;
      return;
    }
    if (allow_amount) {
      if (auto d = Decimal::parse(text)) {
        amount = *d;
        return;
      }
    }
    error(where(v),
          "discount of '" + owner + "' must be " +
              (allow_amount ? "an amount (5) or a percentage (10%)" : "a percentage such as 5%"));
  }

  Service service(const YAML::Node& n) {
    Service s;
    s.where = where(n);
    s.id = require_id(n, "a service");
    for_each_key(n, {"id", "label", "description", "price", "offered_when"},
                 "in service '" + s.id + "'", [&](const std::string& k, const YAML::Node& v) {
                   if (k == "label")
                     s.label = scalar(v, k);
                   else if (k == "description")
                     s.description = scalar(v, k);
                   else if (k == "price")
                     s.price = price_spec(v, s.id);
                   else if (k == "offered_when")
                     s.offered_when = expression(v, k, s.offered_when_where);
                 });
    return s;
  }

  Bundle bundle(const YAML::Node& n) {
    Bundle b;
    b.where = where(n);
    b.id = require_id(n, "a bundle");
    for_each_key(n, {"id", "label", "items", "discount"}, "in bundle '" + b.id + "'",
                 [&](const std::string& k, const YAML::Node& v) {
                   if (k == "label")
                     b.label = scalar(v, k);
                   else if (k == "items")
                     b.items = names(v, k);
                   else if (k == "discount")
                     discount(v, b.id, b.discount_amount, b.discount_percent, true);
                 });
    return b;
  }

  Tier tier(const YAML::Node& n) {
    Tier t;
    t.where = where(n);
    t.id = require_id(n, "a tier");
    Decimal unused;
    for_each_key(n, {"id", "label", "discount", "lifetime_value"}, "in tier '" + t.id + "'",
                 [&](const std::string& k, const YAML::Node& v) {
                   if (k == "label")
                     t.label = scalar(v, k);
                   else if (k == "discount")
                     discount(v, t.id, unused, t.discount_percent, false);
                   else if (k == "lifetime_value")
                     t.lifetime_value = number(v, k);
                 });
    return t;
  }

  Measure measure(const YAML::Node& n) {
    Measure m;
    m.where = where(n);
    m.id = require_id(n, "a measure");
    for_each_key(n, {"id", "label", "unit", "expression"}, "in measure '" + m.id + "'",
                 [&](const std::string& k, const YAML::Node& v) {
                   if (k == "label")
                     m.label = scalar(v, k);
                   else if (k == "unit")
                     m.unit = scalar(v, k);
                   else if (k == "expression")
                     m.expression = expression(v, k, m.expression_where);
                 });
    if (m.expression.empty())
      error(m.where, "measure '" + m.id + "' needs an 'expression', e.g. max(lead_days)");
    return m;
  }

  Rule rule(const YAML::Node& n) {
    Rule r;
    r.where = where(n);
    r.id = require_id(n, "a rule");
    bool has_require = false, has_forbid = false, has_table = false, has_allow = false;
    YAML::Node forbid_node;
    for_each_key(n,
                 {"id", "message", "when", "require", "forbid", "table", "allow", "products",
                  "scope", "generated"},
                 "in rule '" + r.id + "'", [&](const std::string& k, const YAML::Node& v) {
                   if (k == "message")
                     r.message = scalar(v, k);
                   else if (k == "scope")
                     r.scope = scalar(v, k);
                   else if (k == "generated") {
                     if (auto g = boolean(v, k)) r.generated = *g;
                   } else if (k == "when")
                     r.when = expression(v, k, r.when_where);
                   else if (k == "require") {
                     has_require = true;
                     r.expression = expression(v, k, r.expression_where);
                   } else if (k == "forbid") {
                     has_forbid = true;
                     forbid_node = v;
                   } else if (k == "table") {
                     has_table = true;
                     r.columns = names(v, k);
                   } else if (k == "allow") {
                     has_allow = true;
                     r.rows = rows(v, k);
                   } else if (k == "products") {
                     r.products = names(v, k);
                   }
                 });
    if (has_table) {
      r.kind = RuleKind::table;
      if (has_require)
        error(r.where,
              "rule '" + r.id + "' is a table; it takes 'allow' or 'forbid' rows, not 'require'");
      if (has_allow && has_forbid)
        error(r.where, "table rule '" + r.id + "' has both 'allow' and 'forbid'; keep one");
      if (has_forbid) {
        r.rows_allowed = false;
        r.rows = rows(forbid_node, "forbid");
      } else if (!has_allow) {
        error(r.where, "table rule '" + r.id +
                           "' needs 'allow:' rows (the allowed combinations) or 'forbid:' rows");
      }
      if (!r.when.empty())
        error(r.when_where, "table rule '" + r.id + "' cannot have 'when'; add a column instead");
      return r;
    }
    if (has_allow) error(r.where, "rule '" + r.id + "' has 'allow' rows but no 'table' columns");
    if (has_require && has_forbid)
      error(r.where, "rule '" + r.id + "' has both 'require' and 'forbid'; keep one");
    if (has_forbid) {
      r.kind = RuleKind::forbid;
      r.expression = expression(forbid_node, "forbid", r.expression_where);
    } else if (!has_require) {
      error(r.where,
            "rule '" + r.id + "' needs 'require: CONDITION', 'forbid: CONDITION' or a 'table'");
    }
    return r;
  }

  std::vector<std::vector<std::string>> rows(const YAML::Node& v, const std::string& key) {
    std::vector<std::vector<std::string>> out;
    if (!v.IsSequence()) {
      error(where(v), "'" + key + "' must be a list of rows such as [[a, b], [c, d]]");
      return out;
    }
    for (const auto& row : v) {
      visit(row);
      if (!row.IsSequence()) {
        error(where(row), "each row of '" + key + "' must be a list such as [a, b]");
        continue;
      }
      std::vector<std::string> cells;
      for (const auto& cell : row) {
        visit(cell);
        if (!cell.IsScalar()) {
          error(where(cell), "table cells must be single values");
          continue;
        }
        cells.push_back(cell.Scalar());
      }
      out.push_back(std::move(cells));
    }
    return out;
  }

  std::string source_;
  std::vector<Diagnostic>& diagnostics_;
  uint64_t visited_ = 0;
  const uint64_t nodes_budget_ = budget_value(kYamlNodesBudget);
  int errors_ = 0;
};

}  // namespace

Catalog read_yaml_catalog(const std::string& text, const std::string& source,
                          std::vector<Diagnostic>& diagnostics) {
  YamlCatalogReader reader(source, diagnostics);
  return reader.read(text);
}

}  // namespace sumisura::detail
