// The price breakdown and bill of materials of a configured product.
#pragma once

#include <vector>

#include "compile/model.hpp"
#include "search/optimize.hpp"
#include "sumisura/result.hpp"

namespace sumisura::detail {

/// Sums the price terms that hold in `model`, by category.
PriceBreakdown price_breakdown(const std::vector<PriceTerm>& terms, const Snapshot& model,
                               const std::string& currency);

/// One line per block and slot holding it, in assembly order.
std::vector<BomLine> bill_of_materials(const Model& model, const std::vector<int>& assembly,
                                       const Snapshot& snapshot);

}  // namespace sumisura::detail
