// Writes a catalog in Sumisura's YAML format; reading the text back gives an equal catalog.
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <map>

#include "io/readers.hpp"
#include "sumisura/catalog.hpp"

namespace sumisura {
namespace {

// Strings that the reader would take for a number or a boolean must be quoted, and so must those
// a plain scalar would not keep as they are: control characters (a carriage return, a tab) and
// spaces at either end.
bool needs_quotes(const std::string& s) {
  if (s.empty() || s == "true" || s == "false") return true;
  if (Decimal::parse(s)) return true;
  if (s.front() == ' ' || s.back() == ' ') return true;
  for (char ch : s) {
    if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) return true;
  }
  return false;
}

void text(YAML::Emitter& out, const std::string& s) {
  if (needs_quotes(s)) out << YAML::DoubleQuoted;
  out << s;
}

void value(YAML::Emitter& out, const Value& v) {
  switch (v.kind()) {
    case ValueKind::boolean:
      out << (v.as_boolean() ? "true" : "false");
      break;
    case ValueKind::number:
      out << v.as_number().to_string();
      break;
    case ValueKind::string:
      text(out, v.as_string());
      break;
    case ValueKind::list:
      out << YAML::Flow << YAML::BeginSeq;
      for (const auto& item : v.as_list()) value(out, item);
      out << YAML::EndSeq;
      break;
  }
}

void names(YAML::Emitter& out, const char* key, const std::vector<std::string>& ids,
           bool always = false) {
  if (ids.empty() && !always) return;
  out << YAML::Key << key << YAML::Value << YAML::Flow << YAML::BeginSeq;
  for (const auto& id : ids) text(out, id);
  out << YAML::EndSeq;
}

void field(YAML::Emitter& out, const char* key, const std::string& s) {
  if (s.empty()) return;
  out << YAML::Key << key << YAML::Value;
  text(out, s);
}

void money(YAML::Emitter& out, const char* key, Decimal d, bool always = false) {
  if (d == Decimal() && !always) return;
  out << YAML::Key << key << YAML::Value << d.to_string();
}

void option(YAML::Emitter& out, const Option& o) {
  out << YAML::BeginMap;
  field(out, "id", o.id);
  field(out, "label", o.label);
  field(out, "description", o.description);
  field(out, "parent", o.parent);
  if (o.mandatory) out << YAML::Key << "mandatory" << YAML::Value << true;
  if (o.kind == OptionKind::boolean) {
    out << YAML::Key << "type" << YAML::Value << "boolean";
    if (o.values.size() == 2) money(out, "price", o.values[1].price);
  } else if (o.range_min && o.range_max) {
    out << YAML::Key << "range" << YAML::Value << YAML::Flow << YAML::BeginSeq << *o.range_min
        << *o.range_max << YAML::EndSeq;
  } else {
    if (o.kind == OptionKind::enumeration) {
      bool numeric_looking = false;
      for (const auto& v : o.values) numeric_looking |= needs_quotes(v.value.to_string());
      if (numeric_looking || o.values.empty())
        out << YAML::Key << "type" << YAML::Value << "enumeration";
    } else if (o.values.empty()) {
      out << YAML::Key << "type" << YAML::Value << "integer";
    }
    bool plain = true;
    for (const auto& v : o.values) plain &= v.label.empty() && v.price == Decimal();
    out << YAML::Key << "values" << YAML::Value;
    if (plain) out << YAML::Flow;
    out << YAML::BeginSeq;
    for (const auto& v : o.values) {
      if (v.label.empty() && v.price == Decimal()) {
        value(out, v.value);
        continue;
      }
      out << YAML::Flow << YAML::BeginMap << YAML::Key << "value" << YAML::Value;
      value(out, v.value);
      field(out, "label", v.label);
      money(out, "price", v.price);
      out << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }
  if (o.default_value) {
    out << YAML::Key << "default" << YAML::Value;
    value(out, *o.default_value);
  }
  out << YAML::EndMap;
}

void attributes(YAML::Emitter& out, const std::map<std::string, Value>& attributes) {
  if (attributes.empty()) return;
  out << YAML::Key << "attributes" << YAML::Value << YAML::Flow << YAML::BeginMap;
  for (const auto& [k, v] : attributes) {
    out << YAML::Key;
    text(out, k);
    out << YAML::Value;
    value(out, v);
  }
  out << YAML::EndMap;
}

void block(YAML::Emitter& out, const Block& b) {
  out << YAML::BeginMap;
  field(out, "id", b.id);
  field(out, "label", b.label);
  field(out, "description", b.description);
  money(out, "price", b.price, true);
  attributes(out, b.attributes);
  names(out, "requires", b.requires_blocks);
  names(out, "excludes", b.excludes_blocks);
  out << YAML::EndMap;
}

std::string percent_text(Decimal d) {
  return d.to_string() + "%";
}

void price(YAML::Emitter& out, const PriceSpec& p) {
  out << YAML::Key << "price" << YAML::Value;
  if (p.percent == Decimal()) {
    out << p.amount.to_string();
  } else if (p.amount == Decimal()) {
    out << percent_text(p.percent) + " of " + p.of;
  } else {
    out << YAML::Flow << YAML::BeginMap;
    money(out, "amount", p.amount, true);
    out << YAML::Key << "percent" << YAML::Value << p.percent.to_string();
    field(out, "of", p.of);
    out << YAML::EndMap;
  }
}

void rule(YAML::Emitter& out, const Rule& r) {
  out << YAML::BeginMap;
  field(out, "id", r.id);
  field(out, "message", r.message);
  names(out, "products", r.products);
  field(out, "scope", r.scope);
  if (r.generated) out << YAML::Key << "generated" << YAML::Value << true;
  switch (r.kind) {
    case RuleKind::require:
    case RuleKind::forbid:
      field(out, "when", r.when);
      out << YAML::Key << (r.kind == RuleKind::require ? "require" : "forbid") << YAML::Value;
      text(out, r.expression);
      break;
    case RuleKind::table:
      // Written even without columns (`table:` left empty): without it the rows read back as
      // rows of no table, which the reader refuses (validation reports the empty table instead).
      names(out, "table", r.columns, /*always=*/true);
      out << YAML::Key << (r.rows_allowed ? "allow" : "forbid") << YAML::Value << YAML::BeginSeq;
      for (const auto& row : r.rows) {
        out << YAML::Flow << YAML::BeginSeq;
        for (const auto& cell : row) {
          // Cells are read verbatim, so only YAML's own special characters need quotes.
          out << cell;
        }
        out << YAML::EndSeq;
      }
      out << YAML::EndSeq;
      break;
  }
  out << YAML::EndMap;
}

template <typename T, typename F>
void section(YAML::Emitter& out, const char* key, const std::vector<T>& items, F&& write) {
  if (items.empty()) return;
  out << YAML::Key << key << YAML::Value << YAML::BeginSeq;
  for (const auto& item : items) write(out, item);
  out << YAML::EndSeq;
}

void slot(YAML::Emitter& o, const Slot& s) {
  o << YAML::BeginMap;
  field(o, "id", s.id);
  field(o, "label", s.label);
  o << YAML::Key << "cardinality" << YAML::Value;
  if (s.counts.empty()) {
    o << cardinality_text(s);
  } else {  // [0, 2]: a flow list reads back as the counts
    o << YAML::Flow << YAML::BeginSeq;
    std::string text = cardinality_text(s);
    for (size_t at = 0;;) {
      size_t comma = text.find(", ", at);
      o << text.substr(at, comma == std::string::npos ? std::string::npos : comma - at);
      if (comma == std::string::npos) break;
      at = comma + 2;
    }
    o << YAML::EndSeq;
  }
  if (s.repeat) o << YAML::Key << "repeat" << YAML::Value << true;
  field(o, "assembly", s.assembly);
  // A slot of instances lists no blocks (check says so when it does: written as read).
  if (s.assembly.empty() || !s.blocks.empty()) {
    o << YAML::Key << "blocks" << YAML::Value << YAML::Flow << YAML::BeginSeq;
    for (const auto& b : s.blocks) text(o, b);
    o << YAML::EndSeq;
  }
  if (s.default_blocks) {
    o << YAML::Key << "default" << YAML::Value;
    if (s.default_blocks->empty()) {
      o << "none";
    } else if (s.default_blocks->size() == 1 && s.max == 1) {
      text(o, s.default_blocks->front());
    } else {
      o << YAML::Flow << YAML::BeginSeq;
      for (const auto& b : *s.default_blocks) text(o, b);
      o << YAML::EndSeq;
    }
  }
  o << YAML::EndMap;
}

void assembly(YAML::Emitter& o, const Assembly& a) {
  o << YAML::BeginMap;
  field(o, "id", a.id);
  field(o, "label", a.label);
  field(o, "description", a.description);
  money(o, "price", a.price);
  attributes(o, a.attributes);
  section(o, "options", a.options, option);
  section(o, "slots", a.slots, slot);
  section(o, "rules", a.rules, rule);
  o << YAML::EndMap;
}

}  // namespace

std::string to_yaml(const Catalog& c) {
  YAML::Emitter out;
  out.SetIndent(2);
  out << YAML::BeginMap;
  out << YAML::Key << "catalog" << YAML::Value << YAML::BeginMap;
  field(out, "name", c.name);
  field(out, "version", c.version);
  out << YAML::Key << "currency" << YAML::Value;  // always: an absent currency reads as EUR
  text(out, c.currency);
  field(out, "description", c.description);
  out << YAML::EndMap;

  section(out, "attributes", c.attributes, [](YAML::Emitter& o, const AttributeDecl& a) {
    o << YAML::Flow << YAML::BeginMap;
    field(o, "id", a.id);
    o << YAML::Key << "type" << YAML::Value << to_string(a.type);
    field(o, "unit", a.unit);
    if (a.default_value) {
      o << YAML::Key << "default" << YAML::Value;
      value(o, *a.default_value);
    }
    o << YAML::EndMap;
  });
  section(out, "options", c.options, option);
  section(out, "blocks", c.blocks, block);
  section(out, "slots", c.slots, slot);
  section(out, "assemblies", c.assemblies, assembly);
  section(out, "products", c.products, [](YAML::Emitter& o, const Product& p) {
    o << YAML::BeginMap;
    field(o, "id", p.id);
    field(o, "label", p.label);
    field(o, "description", p.description);
    money(o, "base_price", p.base_price, true);
    names(o, "options", p.options);
    names(o, "slots", p.slots);
    o << YAML::EndMap;
  });
  section(out, "services", c.services, [](YAML::Emitter& o, const Service& s) {
    o << YAML::BeginMap;
    field(o, "id", s.id);
    field(o, "label", s.label);
    field(o, "description", s.description);
    price(o, s.price);
    field(o, "offered_when", s.offered_when);
    o << YAML::EndMap;
  });
  section(out, "bundles", c.bundles, [](YAML::Emitter& o, const Bundle& b) {
    o << YAML::BeginMap;
    field(o, "id", b.id);
    field(o, "label", b.label);
    names(o, "items", b.items);
    o << YAML::Key << "discount" << YAML::Value;
    if (b.discount_percent != Decimal())
      o << percent_text(b.discount_percent);
    else
      o << b.discount_amount.to_string();
    o << YAML::EndMap;
  });
  section(out, "tiers", c.tiers, [](YAML::Emitter& o, const Tier& t) {
    o << YAML::BeginMap;
    field(o, "id", t.id);
    field(o, "label", t.label);
    o << YAML::Key << "discount" << YAML::Value << percent_text(t.discount_percent);
    if (t.lifetime_value)
      o << YAML::Key << "lifetime_value" << YAML::Value << t.lifetime_value->to_string();
    o << YAML::EndMap;
  });
  section(out, "measures", c.measures, [](YAML::Emitter& o, const Measure& m) {
    o << YAML::BeginMap;
    field(o, "id", m.id);
    field(o, "label", m.label);
    field(o, "unit", m.unit);
    field(o, "expression", m.expression);
    o << YAML::EndMap;
  });
  section(out, "rules", c.rules, rule);
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

void save_catalog(const Catalog& catalog, const std::string& path) {
  detail::write_file(path, to_yaml(catalog));
}

}  // namespace sumisura
