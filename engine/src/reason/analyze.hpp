// Checks that need the solver: a catalog that admits no product, rules whose condition never holds
// in a valid product, blocks and option values no valid product can have.
#pragma once

#include <vector>

#include "reason/engine.hpp"

namespace sumisura::detail {

/// Appends errors and warnings about `engine`'s catalog to `out`, within `seconds`.
void semantic_checks(const Engine& engine, double seconds, std::vector<Diagnostic>& out);

}  // namespace sumisura::detail
