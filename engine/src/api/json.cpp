// JSON form of results: one definition for the CLI and the Python package.
#include <nlohmann/json.hpp>

#include "api/json_shapes.hpp"
#include "sumisura/configurator.hpp"
#include "sumisura/result.hpp"

namespace sumisura {
namespace detail {

nlohmann::ordered_json decimal_json(Decimal d) {
  if (d.is_integer()) return d.integer_part();
  return d.to_double();
}

nlohmann::ordered_json value_json(const Value& v) {
  switch (v.kind()) {
    case ValueKind::boolean:
      return v.as_boolean();
    case ValueKind::number:
      return decimal_json(v.as_number());
    case ValueKind::string:
      return v.as_string();
    case ValueKind::list: {
      nlohmann::ordered_json a = nlohmann::ordered_json::array();
      for (const auto& item : v.as_list()) a.push_back(value_json(item));
      return a;
    }
  }
  return nullptr;
}

nlohmann::ordered_json rules_json(const std::vector<RuleRef>& rules) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& r : rules) {
    out.push_back({{"id", r.id},
                   {"kind", r.kind},
                   {"message", r.message},
                   {"file", r.file},
                   {"line", r.line},
                   {"column", r.column}});
  }
  return out;
}

nlohmann::ordered_json result_json(const ConfigureResult& r, bool with_repairs) {
  nlohmann::ordered_json j;
  j["status"] = to_string(r.status);
  j["product"] =
      r.product.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(r.product);
  NamedObject selections;
  for (const auto& o : r.options) selections.set(o.option, value_json(o.value));
  // One shape per slot, whatever it holds: a slot that may hold several blocks is a list (its
  // ids repeated per quantity, empty when none), a single-block slot the block id or null.
  for (const auto& s : r.slots) {
    if (!s.several) {
      selections.set(s.slot, s.blocks.empty() ? nlohmann::ordered_json(nullptr)
                                              : nlohmann::ordered_json(s.blocks[0].block));
      continue;
    }
    nlohmann::ordered_json blocks = nlohmann::ordered_json::array();
    for (const auto& b : s.blocks) {
      for (int q = 0; q < b.quantity; ++q) blocks.push_back(b.block);
    }
    selections.set(s.slot, std::move(blocks));
  }
  j["selections"] = std::move(selections).take();
  j["services"] = r.services;
  j["bundles"] = r.bundles;
  if (r.has_product()) {
    const PriceBreakdown& p = r.price;
    j["price"] = {{"base", decimal_json(p.base)},       {"options", decimal_json(p.options)},
                  {"blocks", decimal_json(p.blocks)},   {"services", decimal_json(p.services)},
                  {"bundles", decimal_json(p.bundles)}, {"tier", decimal_json(p.tier)},
                  {"total", decimal_json(p.total)},     {"currency", p.currency}};
  } else {
    j["price"] = nullptr;
  }
  nlohmann::ordered_json bom = nlohmann::ordered_json::array();
  for (const auto& line : r.bom) {
    bom.push_back({{"block", line.block},
                   {"label", line.label},
                   {"slot", line.slot},
                   {"quantity", line.quantity},
                   {"unit_price", decimal_json(line.unit_price)},
                   {"line_price", decimal_json(line.line_price)}});
  }
  j["bom"] = bom;
  NamedObject measures;
  for (const auto& m : r.measures) measures.set(m.measure, decimal_json(m.value));
  j["measures"] = std::move(measures).take();
  nlohmann::ordered_json prefs = nlohmann::ordered_json::array();
  for (const auto& p : r.preferences) {
    prefs.push_back({{"expression", p.text}, {"weight", decimal_json(p.weight)}, {"met", p.met}});
  }
  j["preferences"] = prefs;
  // `conflict` lists the requirements as stated (NAME=VALUE for --where ones), like `domains`;
  // the catalog constraints they clash with are in `conflict_rules`.
  j["conflict"] = r.conflict.requirements;
  j["conflict_rules"] = rules_json(r.conflict.rules);
  j["conflict_minimal"] = r.conflict.minimal;
  if (with_repairs) {
    nlohmann::ordered_json repairs = nlohmann::ordered_json::array();
    for (const auto& rep : r.repairs) {
      nlohmann::ordered_json relax = nlohmann::ordered_json::array();
      for (const auto& x : rep.relax)
        relax.push_back({{"requirement", x.requirement}, {"to", decimal_json(x.to)}});
      repairs.push_back({{"drop", rep.drop},
                         {"relax", relax},
                         {"weight_lost", decimal_json(rep.weight_lost)},
                         {"result", rep.result ? result_json(*rep.result, false)
                                               : nlohmann::ordered_json(nullptr)}});
    }
    j["repairs"] = repairs;
  }
  j["stats"] = {{"seconds", r.stats.seconds},
                {"solver_calls", r.stats.solver_calls},
                {"compiled", r.stats.compiled}};
  return j;
}

}  // namespace detail

std::string to_json(const ConfigureResult& result, int indent) {
  return detail::result_json(result, true).dump(indent);
}

}  // namespace sumisura
