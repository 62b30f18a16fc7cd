// diff(): the structural change between two catalog versions and its meaning, and their JSON and
// text forms.
#include <nlohmann/json.hpp>

#include "versions/product_diff.hpp"
#include "versions/structural_diff.hpp"

namespace sumisura {

CatalogDiff diff(const Configurator& old_version, const Configurator& new_version,
                 const DiffOptions& options) {
  CatalogDiff out;
  const Catalog& a = old_version.catalog();
  const Catalog& b = new_version.catalog();
  out.old_name = a.name;
  out.old_version = a.version;
  out.new_name = b.name;
  out.new_version = b.version;
  out.changes = detail::structural_diff(a, b);
  detail::product_diff(old_version, new_version, options, out);
  return out;
}

namespace {

nlohmann::ordered_json choices_json(const std::vector<Choice>& choices) {
  nlohmann::ordered_json o = nlohmann::ordered_json::object();
  for (const auto& c : choices) o[c.name] = c.value;
  return o;
}

nlohmann::ordered_json labels_json(const std::vector<Choice>& choices) {
  nlohmann::ordered_json a = nlohmann::ordered_json::array();
  for (const auto& c : choices) a.push_back(c.name + "=" + c.value);
  return a;
}

std::string change_line(const ElementChange& c) {
  std::string line;
  line += c.change == "added" ? "  + " : c.change == "removed" ? "  - " : "  ~ ";
  line += c.kind;
  line += ' ';
  line += c.id;
  for (size_t i = 0; i < c.fields.size(); ++i) {
    const FieldChange& f = c.fields[i];
    line += i == 0 ? ": " : "; ";
    line += f.field;
    line += ' ';
    line += f.before.empty() ? "(none)" : f.before;
    line += " -> ";
    line += f.after.empty() ? "(none)" : f.after;
  }
  return line;
}

std::string example_line(const std::vector<Choice>& example) {
  // Feature models have thousands of variables: the text shows the first ones, --json all.
  constexpr size_t kShown = 24;
  std::string line = "      ";
  for (size_t i = 0; i < example.size(); ++i) {
    if (i == kShown) {
      line += ", ... (" + std::to_string(example.size() - kShown) + " more; --json shows all)";
      break;
    }
    if (i) line += ", ";
    line += example[i].name;
    line += '=';
    line += example[i].value;
  }
  return line;
}

}  // namespace

std::string to_json(const CatalogDiff& d, int indent) {
  nlohmann::ordered_json j;
  j["old"] = {{"name", d.old_name}, {"version", d.old_version}};
  j["new"] = {{"name", d.new_name}, {"version", d.new_version}};
  nlohmann::ordered_json changes = nlohmann::ordered_json::array();
  for (const auto& c : d.changes) {
    nlohmann::ordered_json e{{"kind", c.kind}, {"id", c.id}, {"change", c.change}};
    if (!c.fields.empty()) {
      nlohmann::ordered_json fields = nlohmann::ordered_json::array();
      for (const auto& f : c.fields)
        fields.push_back({{"field", f.field}, {"before", f.before}, {"after", f.after}});
      e["fields"] = fields;
    }
    changes.push_back(e);
  }
  j["changes"] = changes;
  nlohmann::ordered_json p;
  p["counted"] = d.counted;
  if (d.counted) {
    p["old"] = d.old_products;
    p["new"] = d.new_products;
    p["common"] = d.common;
    p["only_old"] = d.only_old;
    p["only_new"] = d.only_new;
    nlohmann::ordered_json a = nlohmann::ordered_json::array(), b = a;
    for (const auto& e : d.only_old_examples) a.push_back(choices_json(e));
    for (const auto& e : d.only_new_examples) b.push_back(choices_json(e));
    p["only_old_examples"] = a;
    p["only_new_examples"] = b;
  } else {
    p["reason"] = d.reason;
  }
  p["not_compared"] = d.not_compared;
  j["products"] = p;
  j["became_dead"] = labels_json(d.became_dead);
  j["became_available"] = labels_json(d.became_available);
  j["same_products"] = d.same_products();
  return j.dump(indent);
}

std::string to_text(const CatalogDiff& d) {
  std::string out = d.old_name + " " + (d.old_version.empty() ? "(no version)" : d.old_version);
  out += " -> ";
  out += d.new_name + " " + (d.new_version.empty() ? "(no version)" : d.new_version);
  out += '\n';
  out += d.changes.empty() ? "No structural change.\n"
                           : "Changes (" + std::to_string(d.changes.size()) + "):\n";
  for (const auto& c : d.changes) out += change_line(c) + '\n';
  if (d.counted) {
    out +=
        "Products: old " + d.old_products + ", new " + d.new_products + ", both " + d.common + '\n';
    auto side = [&](const char* what, const std::string& n,
                    const std::vector<std::vector<Choice>>& examples) {
      out += std::string("  made by the ") + what + " version only: " + n;
      out += examples.empty() ? "\n" : ", for example:\n";
      for (const auto& e : examples) out += example_line(e) + '\n';
    };
    side("old", d.only_old, d.only_old_examples);
    side("new", d.only_new, d.only_new_examples);
  } else {
    out += "Products not counted: " + d.reason + '\n';
  }
  for (const auto& n : d.not_compared) out += "  not compared: " + n + '\n';
  auto values = [&](const char* what, const std::vector<Choice>& list) {
    if (list.empty()) return;
    out += what;
    for (size_t i = 0; i < list.size(); ++i)
      out += (i ? ", " : " ") + list[i].name + "=" + list[i].value;
    out += '\n';
  };
  values("Values that become dead:", d.became_dead);
  values("Values that become available:", d.became_available);
  if (d.same_products()) out += "Both versions make exactly the same products.\n";
  return out;
}

}  // namespace sumisura
