// Price breakdown and bill of materials.
#include "commerce/pricing.hpp"

namespace sumisura::detail {

PriceBreakdown price_breakdown(const std::vector<PriceTerm>& terms, const Snapshot& model,
                               const std::string& currency) {
  int64_t parts[6] = {0, 0, 0, 0, 0, 0};
  for (const auto& t : terms) {
    if (model.value(t.lit)) parts[static_cast<int>(t.category)] += t.amount;
  }
  PriceBreakdown p;
  p.base = Decimal::from_units(parts[static_cast<int>(PriceCategory::base)]);
  p.options = Decimal::from_units(parts[static_cast<int>(PriceCategory::options)]);
  p.blocks = Decimal::from_units(parts[static_cast<int>(PriceCategory::blocks)]);
  p.services = Decimal::from_units(parts[static_cast<int>(PriceCategory::services)]);
  p.bundles = Decimal::from_units(parts[static_cast<int>(PriceCategory::bundles)]);
  p.tier = Decimal::from_units(parts[static_cast<int>(PriceCategory::tier)]);
  int64_t total = 0;
  for (int64_t x : parts) total += x;
  p.total = Decimal::from_units(total);
  p.currency = currency;
  return p;
}

std::vector<BomLine> bill_of_materials(const Model& m, const std::vector<int>& assembly,
                                       const Snapshot& s) {
  const Catalog& c = *m.catalog;
  std::vector<BomLine> lines;
  for (int b : assembly) {
    for (int slot : m.index->slots_of_block(b)) {
      int pos = m.index->block_position_in_slot(slot, b);
      int quantity = 0;
      if (m.slot_var[slot] >= 0) {
        quantity = s.value(m.value_lit(m.slot_var[slot], pos + 1)) ? 1 : 0;
      } else {
        int var = m.quantity_vars[slot][pos];
        for (int k = 1; k < m.vars[var].size(); ++k) {
          if (s.value(m.value_lit(var, k))) quantity = k;
        }
      }
      if (quantity == 0) continue;
      BomLine line;
      line.block = c.blocks[b].id;
      line.label = c.blocks[b].label;
      line.slot = c.slots[slot].id;
      line.quantity = quantity;
      line.unit_price = c.blocks[b].price;
      line.line_price = Decimal::from_units(c.blocks[b].price.units() * quantity);
      lines.push_back(line);
    }
  }
  return lines;
}

}  // namespace sumisura::detail
