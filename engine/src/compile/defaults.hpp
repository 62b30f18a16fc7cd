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

}  // namespace sumisura::detail
