// The catalog designer's defaults as values of the finite-domain variables: what configure keeps
// when nothing else decides between products, and what sessions show before the customer chooses.
#pragma once

#include <vector>

#include "compile/model.hpp"

namespace sumisura::detail {

/// Per FdVar: the value index the catalog names as its default, or -1. Options take their
/// `default`; a slot's `default` is a value of its variable (single-block slots: the block, or
/// none) or a quantity per block (slots holding several).
std::vector<int> default_values(const Model& model);

/// Per FdVar and value: what taking that value costs when ties are settled by the catalog's
/// defaults (1 per variable away from its default). A product without a slot holds it empty, which
/// departs from a non-empty slot default without anyone choosing it: the products that have the
/// slot pay the same 1 (on the product variable), so the default favours none of them — as an
/// option a product does not show keeps its default.
std::vector<std::vector<int>> default_costs(const Model& model);

}  // namespace sumisura::detail
