// Past orders from a sales table or from JSON (configure results, saved sessions, plain choice
// objects), checked against the catalog and named by file and line when wrong.
#include <map>
#include <sstream>

#include "io/readers.hpp"
#include "memory/json_input.hpp"
#include "memory/preference_data.hpp"
#include "reason/engine.hpp"
#include "sumisura/configurator.hpp"

namespace sumisura {
namespace detail {
namespace {

std::vector<std::string> split_fields(const std::string& line) {
  std::vector<std::string> out;
  std::string field;
  auto flush = [&] {
    if (!field.empty()) out.push_back(field);
    field.clear();
  };
  for (char ch : line) {
    if (ch == ' ' || ch == '\t' || ch == ',' || ch == ';' || ch == '\r') {
      flush();
    } else {
      field.push_back(ch);
    }
  }
  flush();
  return out;
}

bool blank_or_comment(const std::string& line) {
  for (char ch : line) {
    if (ch == '#') return true;
    if (ch != ' ' && ch != '\t' && ch != '\r') return false;
  }
  return true;
}

/// A table: a header naming variables, then one order per line.
std::vector<Order> read_table(const OrderColumns& columns, const std::string& text,
                              const std::string& source, bool lenient) {
  std::istringstream in(text);
  std::string line;
  int number = 0;
  std::vector<std::string> header;
  std::vector<Order> out;
  while (std::getline(in, line)) {
    ++number;
    if (blank_or_comment(line)) continue;
    std::vector<std::string> fields = split_fields(line);
    if (header.empty()) {
      header = std::move(fields);
      for (const auto& name : header) {
        if (!lenient && columns.column(name) < 0) {
          bad_input(source, number,
                    "the header names '" + name +
                        "', which is no option, slot, service or quantity of the catalog");
        }
      }
      continue;
    }
    if (fields.size() != header.size()) {
      bad_input(source, number,
                std::to_string(fields.size()) + " values for the header's " +
                    std::to_string(header.size()) + " variables");
    }
    Order o;
    o.source = source;
    o.where = {number, 1};
    o.complete = true;
    for (size_t i = 0; i < fields.size(); ++i) o.choices.push_back({header[i], fields[i]});
    out.push_back(std::move(o));
  }
  if (header.empty()) bad_input(source, 1, "no header line naming the variables");
  return out;
}

std::string scalar_text(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "none";
  return v.dump();
}

std::optional<Decimal> json_amount(const nlohmann::json& v) {
  if (!v.is_number()) return std::nullopt;
  return Decimal::parse(v.dump());
}

void read_tier(Order& o, const nlohmann::json& j, const std::string& source, int line) {
  if (!j.contains("tier") || j["tier"].is_null()) return;
  if (!j["tier"].is_string()) bad_input(source, line, "\"tier\" must be text");
  o.tier = j["tier"].get<std::string>();
}

/// The choices of one JSON order (see parse_orders for the shapes).
Order json_order(const Catalog& catalog, const OrderColumns& columns, const nlohmann::json& j,
                 const std::string& source, int line, bool lenient) {
  Order o;
  o.source = source;
  o.where = {line, 1};
  if (!j.is_object()) bad_input(source, line, "an order must be a JSON object");
  auto add = [&](const std::string& name, const nlohmann::json& value) {
    if (value.is_object()) bad_input(source, line, "the value of '" + name + "' is an object");
    int col = columns.column(name);
    const Slot* multi = nullptr;
    for (const auto& s : catalog.slots) {
      if (s.id == name && col < 0) multi = &s;
    }
    if (!multi) {
      if (value.is_array() && lenient) {
        // A slot that held several blocks in the version the order was saved under: now a slot
        // of one block (its block, or none), or gone (each block's quantity, which revalidation
        // reports as unknown unless it is 0).
        if (col >= 0 && value.size() <= 1) {
          o.choices.push_back({name, value.empty() ? "none" : scalar_text(value[0])});
          return;
        }
        std::map<std::string, int> held;
        for (const auto& b : value) ++held[scalar_text(b)];
        for (const auto& [block, n] : held)
          o.choices.push_back({name + "." + block, std::to_string(n)});
        return;
      }
      if (value.is_array()) bad_input(source, line, "'" + name + "' takes one value, not a list");
      o.choices.push_back({name, scalar_text(value)});
      return;
    }
    // A slot holding several blocks: a block id, a list of them (repeats count), or none.
    std::vector<std::string> held;
    if (value.is_array()) {
      for (const auto& b : value) held.push_back(scalar_text(b));
    } else if (!value.is_null() && scalar_text(value) != "none") {
      held.push_back(scalar_text(value));
    }
    for (const auto& b : held) {
      if (columns.column(name + "." + b) >= 0) continue;
      if (!lenient) bad_input(source, line, "slot '" + name + "' has no block '" + b + "'");
      // Kept for revalidation, which reports a block the slot no longer takes.
      if (std::none_of(o.choices.begin(), o.choices.end(),
                       [&](const Choice& c) { return c.name == name + "." + b; }))
        o.choices.push_back(
            {name + "." + b, std::to_string(std::count(held.begin(), held.end(), b))});
    }
    for (const auto& b : multi->blocks) {
      if (columns.column(name + "." + b) < 0) continue;
      o.choices.push_back(
          {name + "." + b, std::to_string(std::count(held.begin(), held.end(), b))});
    }
  };
  if (j.contains("selections")) {  // a configure result
    o.complete = true;
    std::string status = j.value("status", std::string("optimal"));
    if (status != "optimal" && status != "feasible")
      bad_input(source, line, "this configure result is no product (status " + status + ")");
    if (!j["selections"].is_object()) bad_input(source, line, "\"selections\" must be an object");
    for (const auto& [name, value] : j["selections"].items()) add(name, value);
    if (j.contains("product") && !j["product"].is_null()) add("product", j["product"]);
    if (j.contains("services") && j["services"].is_array()) {
      for (const auto& s : catalog.services) {
        bool in = false;
        for (const auto& x : j["services"])
          in = in || (x.is_string() && x.get<std::string>() == s.id);
        o.choices.push_back({s.id, in ? "true" : "false"});
      }
      if (lenient) {  // services the catalog no longer has, kept for revalidation to report
        for (const auto& x : j["services"]) {
          if (!x.is_string()) continue;
          std::string id = x.get<std::string>();
          if (std::none_of(catalog.services.begin(), catalog.services.end(),
                           [&](const Service& s) { return s.id == id; }))
            o.choices.push_back({id, "true"});
        }
      }
    }
    if (j.contains("price") && j["price"].is_object() && j["price"].contains("total"))
      o.total = json_amount(j["price"]["total"]);
    read_tier(o, j, source, line);
    // configure --json says how much a tier took off, not which tier: without "tier", the order
    // is compared at its price before that discount (what a catalog version changes).
    if (o.total && o.tier.empty() && j["price"].is_object() && j["price"].contains("tier")) {
      if (auto discount = json_amount(j["price"]["tier"]))
        o.total = Decimal::from_units(o.total->units() - discount->units());
    }
    return o;
  }
  if (!j.contains("choices"))
    bad_input(source, line,
              "an order needs \"choices\" (or is a configure result or a saved session)");
  const auto& choices = j["choices"];
  if (choices.is_object()) {
    for (const auto& [name, value] : choices.items()) add(name, value);
  } else if (choices.is_array()) {  // a saved session: [{"name": ..., "value": ...}]
    for (const auto& c : choices) {
      if (!c.is_object() || !c.contains("name") || !c["name"].is_string() || !c.contains("value"))
        bad_input(source, line, "each choice must be {\"name\": ..., \"value\": ...}");
      add(c["name"].get<std::string>(), c["value"]);
    }
  } else {
    bad_input(source, line, "\"choices\" must be an object or a list");
  }
  if (j.contains("total")) {
    o.total = json_amount(j["total"]);
    if (!o.total) bad_input(source, line, "\"total\" must be a number");
  }
  read_tier(o, j, source, line);
  return o;
}

std::vector<Order> read_json(const Catalog& catalog, const OrderColumns& columns,
                             const std::string& text, const std::string& source, bool lenient) {
  std::vector<Order> out;
  // One JSON value (an order, or a list of them) or JSON lines (one order per line).
  nlohmann::json whole = nlohmann::json::parse(text, nullptr, false);
  bool lines = whole.is_discarded();
  if (!lines) {
    whole = parse_json_input(text, source);
    if (whole.is_array()) {
      for (const auto& o : whole)
        out.push_back(json_order(catalog, columns, o, source, 1, lenient));
    } else {
      out.push_back(json_order(catalog, columns, whole, source, 1, lenient));
    }
    return out;
  }
  std::istringstream in(text);
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (blank_or_comment(line)) continue;
    nlohmann::json j = parse_json_input(line, source, number);
    out.push_back(json_order(catalog, columns, j, source, number, lenient));
  }
  return out;
}

}  // namespace

std::vector<Order> read_orders(const Configurator& configurator, const OrderColumns& columns,
                               const std::string& text, const std::string& source, bool lenient) {
  size_t first = text.find_first_not_of(" \t\r\n");
  bool json = first != std::string::npos && (text[first] == '{' || text[first] == '[');
  return json ? read_json(configurator.catalog(), columns, text, source, lenient)
              : read_table(columns, text, source, lenient);
}

}  // namespace detail

std::vector<Order> parse_orders(const Configurator& configurator, const std::string& text,
                                const std::string& source) {
  detail::OrderColumns columns = detail::OrderColumns::of(*configurator.engine());
  std::vector<Order> orders = detail::read_orders(configurator, columns, text, source, false);
  // Values are checked here, so that a wrong one is named by its line before anything learns.
  detail::PreferenceData check;
  check.columns = std::move(columns);
  for (const auto& o : orders) check.row(o);
  return orders;
}

std::vector<Order> load_orders(const Configurator& configurator, const std::string& path) {
  return parse_orders(configurator, detail::read_file(path, detail::kMaxModelFileBytes), path);
}

}  // namespace sumisura
