// The structural half of diff(): elements added, removed or changed between two catalogs,
// matched by id, field by field.
#include "versions/structural_diff.hpp"

#include <set>
#include <sstream>

namespace sumisura::detail {
namespace {

std::string text(const Value& v) {
  return v.to_string();
}
std::string text(const Decimal& d) {
  return d.to_string();
}
std::string text(const std::string& s) {
  return s;
}
std::string text(bool b) {
  return b ? "true" : "false";
}
std::string text(int i) {
  return std::to_string(i);
}
template <class T>
std::string text(const std::optional<T>& o) {
  return o ? text(*o) : std::string();
}
std::string text(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}
/// A slot's default: none set, `none` (empty), or the blocks it holds.
std::string text(const std::optional<std::vector<std::string>>& blocks) {
  if (!blocks) return {};
  return blocks->empty() ? "none" : text(*blocks);
}
std::string text(const std::map<std::string, Value>& attributes) {
  std::string out;
  for (const auto& [k, v] : attributes) out += (out.empty() ? "" : ", ") + k + ": " + v.to_string();
  return out;
}
std::string text(const PriceSpec& p) {
  std::string out = p.amount.to_string();
  if (!(p.percent == Decimal())) out += " + " + p.percent.to_string() + "% of " + p.of;
  return out;
}
std::string text(const std::vector<std::vector<std::string>>& rows) {
  std::string out;
  for (const auto& r : rows) out += (out.empty() ? "[" : "; [") + text(r) + "]";
  return out;
}
const char* text(OptionKind k) {
  return k == OptionKind::enumeration ? "enumeration"
         : k == OptionKind::integer   ? "integer"
                                      : "boolean";
}
const char* text(RuleKind k) {
  return k == RuleKind::require ? "require" : k == RuleKind::forbid ? "forbid" : "table";
}

/// Collects the fields of one element pair that differ.
class Fields {
 public:
  template <class T>
  void operator()(const char* name, const T& before, const T& after) {
    if (before == after) return;
    out.push_back({name, std::string(text(before)), std::string(text(after))});
  }
  std::vector<FieldChange> out;
};

class Differ {
 public:
  explicit Differ(std::vector<ElementChange>& out) : out_(out) {}

  /// Elements of one kind matched by id: removed (old order), changed, then added (new order).
  template <class T, class Id, class Compare>
  void elements(const char* kind, const std::vector<T>& before, const std::vector<T>& after, Id id,
                Compare compare) {
    std::map<std::string, const T*> in_new;
    for (const auto& e : after) in_new[id(e)] = &e;
    std::set<std::string> in_old;
    for (const auto& e : before) {
      in_old.insert(id(e));
      auto it = in_new.find(id(e));
      if (it == in_new.end()) {
        out_.push_back({kind, id(e), "removed", {}});
        continue;
      }
      Fields f;
      compare(f, e, *it->second);
      if (!f.out.empty()) out_.push_back({kind, id(e), "changed", std::move(f.out)});
    }
    for (const auto& e : after) {
      if (!in_old.count(id(e))) out_.push_back({kind, id(e), "added", {}});
    }
  }

 private:
  std::vector<ElementChange>& out_;
};

template <class T>
std::string id_of(const T& e) {
  return e.id;
}

/// What a rule says and its message, without its id.
std::string rule_content(const Rule& r) {
  std::string key = text(r.kind);
  key += '\x1f' + r.message;
  key += '\x1f' + r.when + '\x1f' + r.expression + '\x1f' + text(r.columns) + '\x1f' + text(r.rows);
  key += r.rows_allowed ? "\x1f"
                          "allow"
                          "\x1f"
                        : "\x1f"
                          "forbid"
                          "\x1f";
  key += text(r.products);
  return key;
}

struct KeyedValue {
  std::string id;  // OPTION=VALUE
  const OptionValue* value;
  bool operator==(const KeyedValue&) const = default;
};

std::vector<KeyedValue> values_of(const Option& o) {
  std::vector<KeyedValue> out;
  for (const auto& v : o.values) out.push_back({o.id + "=" + v.value.to_string(), &v});
  return out;
}

}  // namespace

std::vector<ElementChange> structural_diff(const Catalog& a, const Catalog& b) {
  std::vector<ElementChange> out;
  {
    Fields f;
    f("name", a.name, b.name);
    f("version", a.version, b.version);
    f("currency", a.currency, b.currency);
    f("description", a.description, b.description);
    if (!f.out.empty()) out.push_back({"catalog", b.name, "changed", std::move(f.out)});
  }
  Differ d(out);
  d.elements("attribute", a.attributes, b.attributes, id_of<AttributeDecl>,
             [](Fields& f, const AttributeDecl& x, const AttributeDecl& y) {
               f("type", std::string(to_string(x.type)), std::string(to_string(y.type)));
               f("unit", x.unit, y.unit);
               f("default", x.default_value, y.default_value);
             });
  d.elements("option", a.options, b.options, id_of<Option>,
             [](Fields& f, const Option& x, const Option& y) {
               f("label", x.label, y.label);
               f("description", x.description, y.description);
               f("kind", std::string(text(x.kind)), std::string(text(y.kind)));
               f("default", x.default_value, y.default_value);
               f("parent", x.parent, y.parent);
               f("mandatory", x.mandatory, y.mandatory);
             });
  // Values of the options both versions have (an option added or removed says it all).
  for (const auto& x : a.options) {
    for (const auto& y : b.options) {
      if (x.id != y.id) continue;
      d.elements("value", values_of(x), values_of(y), id_of<KeyedValue>,
                 [](Fields& f, const KeyedValue& p, const KeyedValue& q) {
                   f("label", p.value->label, q.value->label);
                   f("price", p.value->price, q.value->price);
                 });
    }
  }
  d.elements("block", a.blocks, b.blocks, id_of<Block>,
             [](Fields& f, const Block& x, const Block& y) {
               f("label", x.label, y.label);
               f("description", x.description, y.description);
               f("price", x.price, y.price);
               f("attributes", x.attributes, y.attributes);
               f("requires", x.requires_blocks, y.requires_blocks);
               f("excludes", x.excludes_blocks, y.excludes_blocks);
             });
  d.elements("slot", a.slots, b.slots, id_of<Slot>, [](Fields& f, const Slot& x, const Slot& y) {
    f("label", x.label, y.label);
    f("min", x.min, y.min);
    f("max", x.max, y.max);
    // Counts left out in between ("0, 2"), when some are.
    auto gaps = [](const Slot& s) {
      return s.counts.empty() ? std::string() : cardinality_text(s);
    };
    f("counts", gaps(x), gaps(y));
    f("repeat", x.repeat, y.repeat);
    f("blocks", x.blocks, y.blocks);
    f("default", x.default_blocks, y.default_blocks);
  });
  d.elements("product", a.products, b.products, id_of<Product>,
             [](Fields& f, const Product& x, const Product& y) {
               f("label", x.label, y.label);
               f("description", x.description, y.description);
               f("base_price", x.base_price, y.base_price);
               f("options", x.options, y.options);
               f("slots", x.slots, y.slots);
             });
  d.elements("service", a.services, b.services, id_of<Service>,
             [](Fields& f, const Service& x, const Service& y) {
               f("label", x.label, y.label);
               f("description", x.description, y.description);
               f("price", text(x.price), text(y.price));
               f("offered_when", x.offered_when, y.offered_when);
             });
  d.elements("bundle", a.bundles, b.bundles, id_of<Bundle>,
             [](Fields& f, const Bundle& x, const Bundle& y) {
               f("label", x.label, y.label);
               f("items", x.items, y.items);
               f("discount_amount", x.discount_amount, y.discount_amount);
               f("discount_percent", x.discount_percent, y.discount_percent);
             });
  d.elements("tier", a.tiers, b.tiers, id_of<Tier>, [](Fields& f, const Tier& x, const Tier& y) {
    f("label", x.label, y.label);
    f("discount_percent", x.discount_percent, y.discount_percent);
    f("lifetime_value", x.lifetime_value, y.lifetime_value);
  });
  d.elements("measure", a.measures, b.measures, id_of<Measure>,
             [](Fields& f, const Measure& x, const Measure& y) {
               f("label", x.label, y.label);
               f("unit", x.unit, y.unit);
               f("expression", x.expression, y.expression);
             });
  // Rules whose content (everything but the id) both versions have are the same rule,
  // whatever their ids: readers of DIMACS, XCSP and UVL number them by position, so one clause
  // removed would otherwise renumber, and seem to change, every clause after it. The others are
  // matched by id.
  std::multiset<std::string> in_both;
  {
    std::multiset<std::string> old_contents;
    for (const auto& r : a.rules) old_contents.insert(rule_content(r));
    for (const auto& r : b.rules) {
      auto it = old_contents.find(rule_content(r));
      if (it == old_contents.end()) continue;
      in_both.insert(*it);
      old_contents.erase(it);
    }
  }
  auto unmatched = [&](const std::vector<Rule>& rules) {
    std::multiset<std::string> left = in_both;
    std::vector<Rule> out;
    for (const auto& r : rules) {
      auto it = left.find(rule_content(r));
      if (it != left.end()) {
        left.erase(it);  // the same rule (perhaps renumbered): nothing to say
        continue;
      }
      out.push_back(r);
    }
    return out;
  };
  d.elements("rule", unmatched(a.rules), unmatched(b.rules), id_of<Rule>,
             [](Fields& f, const Rule& x, const Rule& y) {
               f("message", x.message, y.message);
               f("kind", std::string(text(x.kind)), std::string(text(y.kind)));
               f("when", x.when, y.when);
               f("expression", x.expression, y.expression);
               f("columns", x.columns, y.columns);
               f("rows", x.rows, y.rows);
               f("rows_allowed", x.rows_allowed, y.rows_allowed);
               f("products", x.products, y.products);
             });
  return out;
}

}  // namespace sumisura::detail
