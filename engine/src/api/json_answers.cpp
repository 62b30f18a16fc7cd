// JSON forms of session states, explanations, repairs, domains, counts, analyses, samples and
// catalog descriptions
// (sumisura/json.hpp): one definition for the CLI, the service and C++ callers.
#include <nlohmann/json.hpp>

#include "api/json_shapes.hpp"
#include "sumisura/json.hpp"

namespace sumisura {
namespace {

using Json = nlohmann::ordered_json;
using detail::decimal_json;
using detail::value_json;

// Text from readers is valid UTF-8 (io/ checks it); replace rather than throw should anything
// else slip through, so that an answer is never lost to one bad character.
std::string dump(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Json choices_json(const std::vector<Choice>& choices) {
  Json out = Json::array();
  for (const auto& c : choices) out.push_back(c.name + "=" + c.value);
  return out;
}

Json values_json(const std::vector<Value>& values) {
  Json out = Json::array();
  for (const auto& v : values) out.push_back(value_json(v));
  return out;
}

Json price_json(const PriceSpec& p) {
  Json out = {{"amount", decimal_json(p.amount)}};
  if (!p.of.empty()) {
    out["percent"] = decimal_json(p.percent);
    out["of"] = p.of;
  }
  return out;
}

Json option_json(const Option& o) {
  static const char* kinds[] = {"enumeration", "integer", "boolean"};
  Json values = Json::array();
  for (const auto& v : o.values) {
    values.push_back(
        {{"value", value_json(v.value)}, {"label", v.label}, {"price", decimal_json(v.price)}});
  }
  Json out = {{"id", o.id},
              {"label", o.label},
              {"description", o.description},
              {"kind", kinds[static_cast<int>(o.kind)]},
              {"values", std::move(values)}};
  out["default"] = o.default_value ? value_json(*o.default_value) : Json(nullptr);
  if (!o.parent.empty()) out["parent"] = o.parent;
  return out;
}

Json block_json(const Block& b) {
  detail::NamedObject attributes;
  for (const auto& [name, value] : b.attributes) attributes.set(name, value_json(value));
  return {{"id", b.id},
          {"label", b.label},
          {"description", b.description},
          {"price", decimal_json(b.price)},
          {"attributes", std::move(attributes).take()},
          {"requires", b.requires_blocks},
          {"excludes", b.excludes_blocks}};
}

}  // namespace

std::string to_json(const SessionState& s) {
  Json out;
  out["consistent"] = s.consistent;
  out["complete"] = s.complete;
  detail::NamedObject domains, chosen, implied, defaults;
  for (const auto& v : s.variables) {
    domains.set(v.name, values_json(v.valid_values()));
    if (v.chosen) chosen.set(v.name, value_json(*v.chosen));
    if (v.implied) implied.set(v.name, value_json(*v.implied));
    if (v.default_value) defaults.set(v.name, value_json(*v.default_value));
  }
  out["domains"] = std::move(domains).take();
  out["chosen"] = std::move(chosen).take();
  out["implied"] = std::move(implied).take();
  out["defaults"] = std::move(defaults).take();
  if (s.price_min) {
    out["price"] = {{"min", decimal_json(*s.price_min)},
                    {"max", s.price_max ? decimal_json(*s.price_max) : Json(nullptr)},
                    {"currency", s.currency}};
  }
  if (s.price_limited) out["price_limited"] = true;  // ask again: the work so far is kept
  if (!s.count.empty()) out["count"] = s.count;      // valid products left (compiled form)
  return dump(out);
}

std::string to_json(const Explanation& e) {
  return dump({{"available", e.available},
               {"choices", choices_json(e.choices)},
               {"rules", detail::rules_json(e.rules)},
               {"minimal", e.minimal}});
}

std::string to_json(const ResumeReport& r) {
  Json dropped = Json::array();
  for (const auto& d : r.dropped) {
    Json e = {{"choice", d.choice.name + "=" + d.choice.value}, {"reason", d.reason}};
    if (!d.explanation.choices.empty() || !d.explanation.rules.empty())
      e["explanation"] = Json::parse(to_json(d.explanation));
    dropped.push_back(std::move(e));
  }
  return dump({{"catalog_changed", r.catalog_changed},
               {"saved_version", r.saved_version},
               {"kept", choices_json(r.kept)},
               {"dropped", dropped}});
}

std::string to_json(const std::vector<ChoiceRepair>& repairs) {
  Json out = Json::array();
  for (const auto& r : repairs) out.push_back({{"drop", choices_json(r.drop)}});
  return dump(out);
}

std::string to_json(const Domains& d) {
  Json out;
  if (!d.feasible) {
    out["status"] = "infeasible";
    out["conflict"] = d.conflict.requirements;
    return dump(out);
  }
  out["status"] = d.complete ? "ok" : "unknown";
  detail::NamedObject domains;
  for (const auto& e : d.entries) domains.set(e.name, values_json(e.values));
  out["domains"] = std::move(domains).take();
  return dump(out);
}

std::string to_json(const Count& c) {
  Json out = {{"exact", c.exact}, {"count", c.exact ? Json(c.count) : Json(nullptr)}};
  if (!c.exact) out["reason"] = c.reason;
  return dump(out);
}

std::string to_json(const Analysis& a) {
  Json out;
  out["feasible"] = a.feasible;
  out["complete"] = a.complete;
  out["counted"] = a.counted;
  out["total"] = a.counted ? Json(a.total) : Json(nullptr);
  if (!a.counted) out["reason"] = a.reason;
  out["dead"] = a.dead;
  out["core"] = a.core;
  out["false_optional"] = a.false_optional;
  Json variables = Json::array();
  for (const auto& v : a.variables) {
    Json values = Json::array();
    for (const auto& x : v.values) {
      Json value = {{"value", value_json(x.value)}};
      if (a.counted) {
        value["count"] = x.count.empty() ? Json(nullptr) : Json(x.count);
        value["share"] = x.share;
      }
      value["dead"] = x.dead;
      value["core"] = x.core;
      values.push_back(std::move(value));
    }
    variables.push_back({{"name", v.name},
                         {"kind", v.kind},
                         {"false_optional", v.false_optional},
                         {"values", std::move(values)}});
  }
  out["variables"] = std::move(variables);
  return dump(out);
}

std::string to_json(const Samples& s) {
  Json out;
  out["uniform"] = s.uniform;
  if (!s.uniform) out["reason"] = s.reason;
  Json products = Json::array();
  for (size_t p = 0; p < s.products.size(); ++p) {
    detail::NamedObject product;
    for (size_t c = 0; c < s.columns.size(); ++c)
      product.set(s.columns[c].name, value_json(s.value(p, c)));
    products.push_back(std::move(product).take());
  }
  out["products"] = std::move(products);
  return dump(out);
}

std::string describe_json(const Catalog& c) {
  Json out = {{"name", c.name},
              {"version", c.version},
              {"currency", c.currency},
              {"description", c.description}};
  Json options = Json::array();
  for (const auto& o : c.options) options.push_back(option_json(o));
  out["options"] = std::move(options);
  Json products = Json::array();
  for (const auto& p : c.products) {
    products.push_back({{"id", p.id},
                        {"label", p.label},
                        {"description", p.description},
                        {"base_price", decimal_json(p.base_price)},
                        {"options", p.options},
                        {"slots", p.slots}});
  }
  out["products"] = std::move(products);
  Json slots = Json::array();
  for (const auto& s : c.slots) {
    slots.push_back({{"id", s.id},
                     {"label", s.label},
                     {"min", s.min},
                     {"max", s.max},
                     {"repeat", s.repeat},
                     {"blocks", s.blocks},
                     // The blocks it holds by default (once per block held), [] empty, null none.
                     {"default", s.default_blocks ? Json(*s.default_blocks) : Json(nullptr)}});
    if (!s.counts.empty()) slots.back()["counts"] = s.counts;  // never the counts in between
  }
  out["slots"] = std::move(slots);
  Json blocks = Json::array();
  for (const auto& b : c.blocks) blocks.push_back(block_json(b));
  out["blocks"] = std::move(blocks);
  Json services = Json::array();
  for (const auto& s : c.services) {
    services.push_back({{"id", s.id},
                        {"label", s.label},
                        {"description", s.description},
                        {"price", price_json(s.price)},
                        {"offered_when", s.offered_when}});
  }
  out["services"] = std::move(services);
  Json bundles = Json::array();
  for (const auto& b : c.bundles) {
    bundles.push_back({{"id", b.id},
                       {"label", b.label},
                       {"items", b.items},
                       {"discount_amount", decimal_json(b.discount_amount)},
                       {"discount_percent", decimal_json(b.discount_percent)}});
  }
  out["bundles"] = std::move(bundles);
  Json tiers = Json::array();
  for (const auto& t : c.tiers) {
    tiers.push_back(
        {{"id", t.id}, {"label", t.label}, {"discount_percent", decimal_json(t.discount_percent)}});
  }
  out["tiers"] = std::move(tiers);
  Json measures = Json::array();
  for (const auto& m : c.measures)
    measures.push_back({{"id", m.id}, {"label", m.label}, {"unit", m.unit}});
  out["measures"] = std::move(measures);
  return dump(out);
}

namespace {

Json ranking_json(const std::vector<ScoredValue>& ranking) {
  Json out = Json::array();
  for (const auto& r : ranking) out.push_back({{"value", value_json(r.value)}, {"score", r.score}});
  return out;
}

}  // namespace

std::string to_json(const std::vector<ScoredValue>& ranking) {
  return dump(ranking_json(ranking));
}

std::string to_json(const Recommendation& recommendation) {
  return dump(Json{{"name", recommendation.name}, {"values", ranking_json(recommendation.values)}});
}

}  // namespace sumisura
