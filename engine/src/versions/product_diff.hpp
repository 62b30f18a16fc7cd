// Which products each of two catalog versions makes that the other does not (the meaning half of
// diff()).
#pragma once

#include "sumisura/configurator.hpp"
#include "sumisura/versions.hpp"

namespace sumisura::detail {

/// Fills the meaning fields of `out`: variables not compared, exact counts and examples where
/// the versions compile, and the values that become dead or available.
void product_diff(const Configurator& old_version, const Configurator& new_version,
                  const DiffOptions& options, CatalogDiff& out);

}  // namespace sumisura::detail
