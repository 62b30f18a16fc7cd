#include "compile/defaults.hpp"

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>

#include "model/assemblies.hpp"

namespace sumisura::detail {

std::vector<int> default_values(const Model& m) {
  const Catalog& c = *m.catalog;
  std::vector<int> out(m.vars.size(), -1);
  for (size_t o = 0; o < c.options.size(); ++o) {
    if (!c.options[o].default_value) continue;
    if (auto k = m.index->option_value_index(o, *c.options[o].default_value))
      out[m.option_var[o]] = static_cast<int>(*k);
  }
  for (size_t s = 0; s < c.slots.size(); ++s) {
    const Slot& slot = c.slots[s];
    if (!slot.default_blocks) continue;
    const auto& d = *slot.default_blocks;
    if (m.slot_var[s] >= 0) {
      int k = 0;  // none
      if (!d.empty()) {
        auto at = std::find(slot.blocks.begin(), slot.blocks.end(), d.front());
        if (at == slot.blocks.end()) continue;  // validation reports it
        k = static_cast<int>(at - slot.blocks.begin()) + 1;
      }
      if (k < m.vars[m.slot_var[s]].size()) out[m.slot_var[s]] = k;
      continue;
    }
    for (size_t pos = 0; pos < m.quantity_vars[s].size() && pos < slot.blocks.size(); ++pos) {
      int var = m.quantity_vars[s][pos];
      int q = static_cast<int>(std::count(d.begin(), d.end(), slot.blocks[pos]));
      if (q < m.vars[var].size()) out[var] = q;
    }
  }
  return out;
}

namespace {

/// For a slot of an assembly instance that may be absent (the expansion wrote its "when absent"
/// rule): the FdVar of the slot holding the instance, and the values of it that hold the instance.
/// Nothing for other slots.
std::optional<std::pair<int, std::vector<int>>> instance_presence(
    const Model& m, const std::set<std::string>& absent_rules, const Slot& slot) {
  if (!absent_rules.count(slot.id + " when absent")) return std::nullopt;
  std::optional<InstanceRef> owner = owner_instance(*m.index, slot.id);
  if (!owner) return std::nullopt;
  const InstanceRef& instance = *owner;
  auto h = m.index->slot_index(instance.slot);
  if (!h) return std::nullopt;
  int var = m.slot_var[*h] >= 0               ? m.slot_var[*h]
            : m.quantity_vars[*h].size() == 1 ? m.quantity_vars[*h][0]
                                              : -1;
  if (var < 0) return std::nullopt;
  std::vector<int> present;  // a single-block holder: value 1 is the instance; else a quantity
  for (int v = instance.number; v < m.vars[var].size(); ++v) present.push_back(v);
  return std::make_pair(var, present);
}

}  // namespace

std::vector<std::vector<int>> default_costs(const Model& m) {
  const Catalog& c = *m.catalog;
  std::vector<int> defaults = default_values(m);
  std::vector<std::vector<int>> out(m.vars.size());
  for (size_t v = 0; v < m.vars.size(); ++v) {
    out[v].assign(static_cast<size_t>(m.vars[v].size()), 0);
    if (defaults[v] < 0) continue;
    for (int k = 0; k < m.vars[v].size(); ++k) out[v][k] = k != defaults[v] ? 1 : 0;
  }
  // An absent assembly instance holds nothing, which departs from a slot default that holds
  // something: a present instance pays the same on the slot holding it, so that defaults settle
  // ties among instances present without favouring one more instance.
  std::set<std::string> absent_rules;
  for (const auto& r : c.rules) {
    if (r.generated) absent_rules.insert(r.id);
  }
  for (size_t s = 0; s < c.slots.size() && !absent_rules.empty(); ++s) {
    auto presence = instance_presence(m, absent_rules, c.slots[s]);
    if (!presence) continue;
    std::vector<int> vars =
        m.slot_var[s] >= 0 ? std::vector<int>{m.slot_var[s]} : m.quantity_vars[s];
    for (int var : vars) {
      if (defaults[var] <= 0) continue;  // no default, or empty: what an absent instance holds
      for (int v : presence->second) out[presence->first][v] += 1;
    }
  }
  if (m.product_var < 0) return out;
  for (size_t s = 0; s < c.slots.size(); ++s) {
    std::vector<int> vars =
        m.slot_var[s] >= 0 ? std::vector<int>{m.slot_var[s]} : m.quantity_vars[s];
    for (int var : vars) {
      if (defaults[var] <= 0) continue;  // no default, or empty: what products without it hold
      for (size_t p = 0; p < c.products.size(); ++p) {
        const auto& slots = c.products[p].slots;
        bool has =
            slots.empty() || std::find(slots.begin(), slots.end(), c.slots[s].id) != slots.end();
        if (has) out[m.product_var][p] += 1;
      }
    }
  }
  return out;
}

}  // namespace sumisura::detail
