// Revalidation results as JSON (`sumisura revalidate --json`, Python) and as text.
#include <nlohmann/json.hpp>

#include "sumisura/versions.hpp"

namespace sumisura {
namespace {

nlohmann::ordered_json amount(const std::optional<Decimal>& d) {
  if (!d) return nullptr;
  return nlohmann::ordered_json::parse(d->to_string());
}

nlohmann::ordered_json check_json(const OrderCheck& c, const Finding& f) {
  nlohmann::ordered_json j;
  j["index"] = c.index;
  j["source"] = c.source;
  j["line"] = c.line;
  j["verdict"] = to_string(c.verdict);
  j["old_total"] = amount(c.old_total);
  j["new_total"] = amount(c.new_total);
  j["complete"] = c.complete;
  j["problems"] = f.problems;
  if (c.verdict == Verdict::broken) {
    nlohmann::ordered_json rules = nlohmann::ordered_json::array();
    for (const auto& r : f.conflict.rules)
      rules.push_back({{"id", r.id}, {"kind", r.kind}, {"message", r.message}});
    j["conflict"] = {{"choices", f.conflict.requirements}, {"rules", rules}};
    nlohmann::ordered_json repairs = nlohmann::ordered_json::array();
    for (const auto& r : f.repairs) {
      nlohmann::ordered_json drop = nlohmann::ordered_json::array();
      for (const auto& ch : r.drop) drop.push_back(ch.name + "=" + ch.value);
      nlohmann::ordered_json product = nlohmann::ordered_json::object();
      for (const auto& ch : r.product) product[ch.name] = ch.value;
      repairs.push_back({{"drop", drop}, {"total", amount(r.total)}, {"product", product}});
    }
    j["repairs"] = repairs;
  }
  return j;
}

}  // namespace

std::string to_json(const Revalidation& r, size_t i, int indent) {
  return check_json(r.orders[i], r.finding(r.orders[i])).dump(indent);
}

std::string to_json(const Revalidation& r) {
  std::string out;
  for (const auto& c : r.orders) out += check_json(c, r.finding(c)).dump() + '\n';
  nlohmann::ordered_json summary{{"orders", r.orders.size()}, {"valid", r.valid},
                                 {"repriced", r.repriced},    {"broken", r.broken},
                                 {"undecided", r.undecided},  {"distinct", r.distinct},
                                 {"seconds", r.seconds}};
  out += nlohmann::ordered_json{{"summary", summary}}.dump() + '\n';
  return out;
}

}  // namespace sumisura
