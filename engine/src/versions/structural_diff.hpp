// Elements added, removed or changed between two catalogs (the structural half of diff()).
#pragma once

#include <vector>

#include "sumisura/catalog.hpp"
#include "sumisura/versions.hpp"

namespace sumisura::detail {

/// Catalog fields, then attributes, options, option values, blocks, slots, products, services,
/// bundles, tiers, measures and rules: each removed or changed in the old order, then added.
std::vector<ElementChange> structural_diff(const Catalog& old_catalog, const Catalog& new_catalog);

}  // namespace sumisura::detail
