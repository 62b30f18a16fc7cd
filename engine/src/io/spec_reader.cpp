// Reads customer specifications (YAML or JSON; docs/spec-format.md).
#include <yaml-cpp/yaml.h>

#include "io/readers.hpp"
#include "io/yaml_errors.hpp"
#include "model/expression.hpp"
#include "sumisura/preferences.hpp"
#include "sumisura/spec.hpp"

namespace sumisura {
namespace {

std::string trimmed(const std::string& s) {
  size_t b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

Position where(const YAML::Node& n) {
  const YAML::Mark m = n.Mark();
  if (m.line < 0) return {};
  return {m.line + 1, m.column + 1};
}

class SpecReader {
 public:
  explicit SpecReader(std::string source) : source_(std::move(source)) {}

  /// The one YAML (or JSON) document of `text`, a `what` ("specification", "profile").
  YAML::Node load_root(const std::string& text, const std::string& what) {
    if (size_t bad = detail::first_non_text_byte(text); bad != std::string::npos) {
      fail(detail::position_of(text, bad), "this is not a text file: byte " +
                                               std::to_string(bad + 1) + " is not UTF-8 text (a " +
                                               what + " is YAML or JSON text)");
    }
    YAML::Node root;
    std::optional<Position> second;
    try {
      root = detail::load_one_document(text, second);
    } catch (const YAML::ParserException& e) {
      fail({e.mark.line + 1, e.mark.column + 1},
           "malformed " + what + ": " + detail::explain_yaml_error(text, e.mark.line, e.msg));
    }
    if (second)
      fail(*second,
           "a second YAML document begins here (after `---`): a " + what + " file holds one");
    return root;
  }

  Spec read(const std::string& text) {
    Spec spec;
    spec.source = source_;
    YAML::Node root = load_root(text, "specification");
    if (!root.IsDefined() || root.IsNull()) return spec;  // an empty specification asks for nothing
    if (!root.IsMap())
      fail(where(root),
           "a specification is a mapping with keys product, require, prefer, max, min, objective, "
           "tier");
    for (auto it = root.begin(); it != root.end(); ++it) {
      std::string key = it->first.IsScalar() ? it->first.Scalar() : "";
      YAML::Node v = it->second;  // a copy: it-> returns a temporary proxy
      if (key == "product") {
        Requirement r = Requirement::product_of(scalar(v, key));
        r.where = where(v);
        spec.requirements.push_back(r);
      } else if (key == "require") {
        for (const auto& item : sequence(v, key)) spec.requirements.push_back(requirement(item));
      } else if (key == "prefer") {
        preferences(v, spec);
      } else if (key == "max" || key == "min") {
        if (!v.IsMap())
          fail(where(v), "'" + key + "' must be a mapping such as {price: 300, lead_time: 10}");
        for (auto m = v.begin(); m != v.end(); ++m) {
          std::string measure = scalar(m->first, key);
          Decimal bound = number(m->second, key);
          Requirement r = key == "max" ? Requirement::bound_of(measure, bound)
                                       : Requirement::lower_bound_of(measure, bound);
          r.where = where(m->first);
          spec.requirements.push_back(r);
        }
      } else if (key == "objective") {
        objective(v, spec);
      } else if (key == "tier") {
        spec.tier = scalar(v, key);
        spec.tier_where = where(v);
      } else {
        fail(where(it->first), "unknown key '" + key +
                                   "' in the specification; expected product, require, prefer, "
                                   "max, min, objective or tier");
      }
    }
    return spec;
  }

  Profile read_profile(const std::string& text) {
    Profile profile;
    profile.source = source_;
    YAML::Node root = load_root(text, "profile");
    if (!root.IsDefined() || root.IsNull()) return profile;
    if (!root.IsMap())
      fail(where(root), "a profile is a mapping with keys id, tier, prefer, orders");
    for (auto it = root.begin(); it != root.end(); ++it) {
      std::string key = it->first.IsScalar() ? it->first.Scalar() : "";
      YAML::Node v = it->second;
      if (key == "id") {
        profile.id = scalar(v, key);
      } else if (key == "tier") {
        profile.tier = scalar(v, key);
      } else if (key == "prefer") {
        Spec spec;
        preferences(v, spec);
        profile.preferences = std::move(spec.preferences);
      } else if (key == "orders") {
        for (const auto& item : sequence(v, key)) profile.orders.push_back(order(item));
      } else {
        fail(where(it->first),
             "unknown key '" + key + "' in the profile; expected id, tier, prefer or orders");
      }
    }
    return profile;
  }

 private:
  [[noreturn]] void fail(Position pos, const std::string& message) {
    throw Error(ErrorKind::spec, message, source_, pos,
                {Diagnostic{Severity::error, source_, pos, message}});
  }

  std::string scalar(const YAML::Node& n, const std::string& key) {
    if (!n.IsScalar()) fail(where(n), "'" + key + "' must be a single value");
    return n.Scalar();
  }

  Decimal number(const YAML::Node& n, const std::string& key) {
    auto d = n.IsScalar() ? Decimal::parse(n.Scalar()) : std::nullopt;
    if (!d)
      fail(where(n),
           "'" + key + "' needs a number, not '" + (n.IsScalar() ? n.Scalar() : "a list") + "'");
    return *d;
  }

  std::vector<YAML::Node> sequence(const YAML::Node& n, const std::string& key) {
    std::vector<YAML::Node> out;
    if (n.IsNull()) return out;
    if (n.IsScalar()) {
      out.push_back(n);
      return out;
    }
    if (!n.IsSequence()) fail(where(n), "'" + key + "' must be a list");
    for (const auto& item : n) out.push_back(item);
    return out;
  }

  Requirement requirement(const YAML::Node& item) {
    if (item.IsScalar()) {
      Requirement r = Requirement::expression_of(item.Scalar());
      r.where = expression_position(item);
      return r;
    }
    if (!item.IsMap())
      fail(where(item), "a requirement is a condition, or {expression: ..., weight: ...}");
    Requirement r;
    bool has = false;
    for (auto it = item.begin(); it != item.end(); ++it) {
      std::string key = it->first.IsScalar() ? it->first.Scalar() : "";
      if (key == "expression") {
        r = keep_weight(r, Requirement::expression_of(scalar(it->second, key)));
        r.where = expression_position(it->second);
        has = true;
      } else if (key == "where") {
        r = keep_weight(r, Requirement::parse_where(scalar(it->second, key)));
        r.where = where(it->second);
        has = true;
      } else if (key == "weight") {
        r.weight = number(it->second, key);
      } else {
        fail(where(it->first),
             "unknown key '" + key + "' in a requirement; expected expression, where or weight");
      }
    }
    if (!has) fail(where(item), "a requirement needs 'expression:' (or 'where: NAME=VALUE')");
    if (r.weight <= Decimal()) fail(where(item), "a requirement's weight must be positive");
    return r;
  }

  /// A past order: {choices: {NAME: VALUE, ...} or [{name: ..., value: ...}], total: N}.
  Order order(const YAML::Node& item) {
    Order o;
    o.source = source_;
    o.where = where(item);
    if (!item.IsMap()) fail(where(item), "an order is {choices: {NAME: VALUE, ...}, total: N}");
    for (auto it = item.begin(); it != item.end(); ++it) {
      std::string key = it->first.IsScalar() ? it->first.Scalar() : "";
      YAML::Node v = it->second;
      if (key == "choices" && v.IsMap()) {
        for (auto c = v.begin(); c != v.end(); ++c)
          o.choices.push_back({scalar(c->first, key), choice_value(c->second)});
      } else if (key == "choices" && v.IsSequence()) {
        for (const auto& c : v) {
          if (!c.IsMap() || !c["name"] || !c["value"])
            fail(where(c), "each choice is {name: ..., value: ...}");
          o.choices.push_back({scalar(c["name"], "name"), choice_value(c["value"])});
        }
      } else if (key == "choices") {
        fail(where(v), "'choices' must be a mapping NAME: VALUE or a list of {name, value}");
      } else if (key == "total") {
        o.total = number(v, key);
      } else if (key != "date" && key != "id") {
        fail(where(it->first),
             "unknown key '" + key + "' in an order; expected choices, total, date or id");
      }
    }
    return o;
  }

  std::string choice_value(const YAML::Node& v) {
    if (v.IsNull()) return "none";
    return scalar(v, "choices");
  }

  static Requirement keep_weight(const Requirement& old, Requirement fresh) {
    fresh.weight = old.weight;
    return fresh;
  }

  static Position expression_position(const YAML::Node& n) {
    Position p = where(n);
    if (n.Tag() == "!" && p.line > 0) p.column += 1;  // after the opening quote
    return p;
  }

  void preferences(const YAML::Node& v, Spec& spec) {
    for (const auto& item : sequence(v, "prefer")) {
      Preference p;
      if (item.IsScalar()) {
        p.text = item.Scalar();
        p.where = expression_position(item);
      } else if (item.IsMap() && item.size() == 1 && !item["expression"] && !item["weight"]) {
        auto it = item.begin();  // {'color == black': 3}
        p.text = scalar(it->first, "prefer");
        p.where = expression_position(it->first);
        p.weight = number(it->second, "prefer");
      } else if (item.IsMap()) {
        bool has = false;
        for (auto it = item.begin(); it != item.end(); ++it) {
          std::string key = it->first.IsScalar() ? it->first.Scalar() : "";
          if (key == "expression") {
            p.text = scalar(it->second, key);
            p.where = expression_position(it->second);
            has = true;
          } else if (key == "weight") {
            p.weight = number(it->second, key);
          } else {
            fail(where(it->first),
                 "unknown key '" + key + "' in a preference; expected expression and weight");
          }
        }
        if (!has) fail(where(item), "a preference needs 'expression:'");
      } else {
        fail(where(item),
             "a preference is a condition, {CONDITION: WEIGHT}, or {expression: ..., weight: ...}");
      }
      if (p.weight <= Decimal()) fail(where(item), "a preference's weight must be positive");
      spec.preferences.push_back(p);
    }
  }

  // A list (or one item) of `cheapest`, `minimize weight`, or {minimize: weight}.
  void objective(const YAML::Node& v, Spec& spec) {
    std::vector<YAML::Node> items;
    if (v.IsSequence()) {
      for (const auto& item : v) items.push_back(item);
    } else {
      items.push_back(v);
    }
    for (const auto& item : items) {
      if (item.IsMap() && item.size() == 1) {
        auto only = item.begin();
        std::string kind = scalar(only->first, "objective");
        std::string measure = scalar(only->second, "objective");
        if ((kind != "minimize" && kind != "maximize") || measure.empty())
          fail(where(item), "an objective mapping is {minimize: MEASURE} or {maximize: MEASURE}");
        spec.objective.push_back(
            kind == "minimize" && measure == "price"
                ? Objective(Objective::cheapest)
                : Objective(kind == "minimize" ? Objective::minimize : Objective::maximize,
                            measure));
        continue;
      }
      std::string text = scalar(item, "objective");
      std::vector<Objective> parsed;
      try {
        parsed = parse_objectives(text);
      } catch (const Error& e) {
        fail(where(item), e.what());
      }
      spec.objective.insert(spec.objective.end(), parsed.begin(), parsed.end());
    }
  }

  std::string source_;
};

}  // namespace

Requirement Requirement::expression_of(std::string text) {
  Requirement r;
  r.kind = Kind::expression;
  r.text = std::move(text);
  return r;
}

Requirement Requirement::assignment_of(std::string name, std::string value) {
  Requirement r;
  r.kind = Kind::assignment;
  r.name = std::move(name);
  r.value = std::move(value);
  return r;
}

Requirement Requirement::bound_of(std::string measure, Decimal bound) {
  Requirement r;
  r.kind = Kind::bound;
  r.name = std::move(measure);
  r.bound = bound;
  return r;
}

Requirement Requirement::lower_bound_of(std::string measure, Decimal bound) {
  Requirement r = bound_of(std::move(measure), bound);
  r.at_least = true;
  return r;
}

Requirement Requirement::product_of(std::string product) {
  Requirement r;
  r.kind = Kind::product;
  r.name = std::move(product);
  return r;
}

Requirement Requirement::parse_where(const std::string& text) {
  auto eq = text.rfind('=');
  if (eq == std::string::npos || eq == 0) {
    throw Error(ErrorKind::spec, "'" + text + "' is not NAME=VALUE");
  }
  return assignment_of(text.substr(0, eq), text.substr(eq + 1));
}

std::string Requirement::label() const {
  switch (kind) {
    case Kind::expression:
      return text;
    case Kind::assignment:
      return name + "=" + value;
    case Kind::bound:
      return detail::quote_name(name) + (at_least ? " >= " : " <= ") + bound.to_string();
    case Kind::product:
      return "product = " + name;
  }
  return text;
}

Objective Objective::parse(const std::string& text) {
  std::string t = trimmed(text);
  if (t == "cheapest") return cheapest;
  if (t == "preferred" || t == "most_preferred") return preferred;
  if (t == "most_likely") return most_likely;
  for (auto [word, kind] : {std::pair{"minimize", minimize}, std::pair{"maximize", maximize}}) {
    std::string w = word;
    if (t.size() > w.size() && t.compare(0, w.size(), w) == 0 &&
        (t[w.size()] == ' ' || t[w.size()] == ':')) {
      std::string measure = trimmed(t.substr(w.size() + 1));
      if (measure.empty() || measure.find_first_of(" ,:") != std::string::npos) break;
      if (kind == minimize && measure == "price") return cheapest;
      return {kind, measure};
    }
  }
  throw Error(ErrorKind::spec, "objective '" + text +
                                   "' is not one of cheapest, preferred, most_likely, "
                                   "minimize MEASURE, maximize MEASURE (a list: most important "
                                   "first)");
}

std::string Objective::text() const {
  switch (kind) {
    case cheapest:
      return "cheapest";
    case preferred:
      return "preferred";
    case most_likely:
      return "most_likely";
    case minimize:
      return "minimize " + measure;
    case maximize:
      return "maximize " + measure;
  }
  return "cheapest";
}

std::vector<Objective> parse_objectives(const std::string& text) {
  std::vector<Objective> out;
  size_t start = 0;
  while (true) {
    size_t comma = text.find(',', start);
    out.push_back(Objective::parse(text.substr(start, comma - start)));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

Spec parse_spec(const std::string& text, const std::string& source_name) {
  SpecReader reader(source_name);
  return reader.read(text);
}

Spec load_spec(const std::string& path) {
  return parse_spec(detail::read_file(path, size_t{64} << 20), path == "-" ? "<stdin>" : path);
}

Profile parse_profile(const std::string& text, const std::string& source_name) {
  SpecReader reader(source_name);
  return reader.read_profile(text);
}

Profile load_profile(const std::string& path) {
  return parse_profile(detail::read_file(path, size_t{64} << 20), path == "-" ? "<stdin>" : path);
}

}  // namespace sumisura
