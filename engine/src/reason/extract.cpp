// Reading a configured product out of a solver model.
#include "reason/extract.hpp"

#include <algorithm>

#include "commerce/pricing.hpp"

namespace sumisura::detail {

int value_of(const Model& m, int var, const Snapshot& s) {
  const FdVar& fd = m.vars[var];
  for (int k = 0; k < fd.size(); ++k) {
    if (s.value(fd.lits[k])) return k;
  }
  return 0;
}

std::vector<uint32_t> values_of(const Model& model, const Snapshot& snapshot) {
  std::vector<uint32_t> values(model.vars.size());
  for (size_t v = 0; v < values.size(); ++v)
    values[v] = value_of(model, static_cast<int>(v), snapshot);
  return values;
}

void extract_product(const Engine& engine, const PreparedSpec& spec, const Request& request,
                     const Snapshot& s, ConfigureResult& out) {
  const Model& m = engine.model();
  const Catalog& c = engine.catalog();
  const Product* product = nullptr;
  if (m.product_var >= 0) {
    int p = value_of(m, m.product_var, s);
    product = &c.products[p];
    out.product = product->id;
  }
  auto has = [](const std::vector<std::string>& list, const std::string& id) {
    return list.empty() || std::find(list.begin(), list.end(), id) != list.end();
  };
  for (size_t o = 0; o < c.options.size(); ++o) {
    if (product && !has(product->options, c.options[o].id)) continue;  // not part of this product
    int k = value_of(m, m.option_var[o], s);
    const OptionValue& v = c.options[o].values[k];
    out.options.push_back({c.options[o].id, v.value, v.label});
  }
  for (size_t slot = 0; slot < c.slots.size(); ++slot) {
    if (product && !has(product->slots, c.slots[slot].id)) continue;
    SlotFill fill{c.slots[slot].id, {}, m.slot_var[slot] < 0};
    if (m.slot_var[slot] >= 0) {
      int k = value_of(m, m.slot_var[slot], s);
      if (k > 0) fill.blocks.push_back({c.slots[slot].blocks[k - 1], 1});
    } else {
      for (size_t pos = 0; pos < m.quantity_vars[slot].size(); ++pos) {
        int q = value_of(m, m.quantity_vars[slot][pos], s);
        if (q > 0) fill.blocks.push_back({c.slots[slot].blocks[pos], q});
      }
    }
    out.slots.push_back(fill);
  }
  for (size_t i = 0; i < c.services.size(); ++i) {
    if (s.value(m.service_included[i])) out.services.push_back(c.services[i].id);
  }
  for (size_t i = 0; i < c.bundles.size(); ++i) {
    if (s.value(m.bundle_applied[i])) out.bundles.push_back(c.bundles[i].id);
  }
  out.bom = bill_of_materials(m, engine.assembly(), s);
  out.price = price_breakdown(request.terms, s, c.currency);
  for (size_t k = 0; k < c.measures.size(); ++k) {
    out.measures.push_back({c.measures[k].id, Decimal::from_units(evaluate(request.measures[k], s)),
                            c.measures[k].unit});
  }
  for (size_t i = 0; i < spec.spec.preferences.size(); ++i) {
    const Preference& p = spec.spec.preferences[i];
    out.preferences.push_back({p.text, p.weight, s.value(request.preferences[i])});
  }
}

}  // namespace sumisura::detail
