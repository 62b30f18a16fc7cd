// How the finite-domain variables of a model are shown to users: the name, the kind and the values
// of every option, slot, service, the product, and each block's quantity in a slot that holds
// several blocks (named SLOT.BLOCK).
#pragma once

#include <string>
#include <vector>

#include "compile/model.hpp"
#include "sumisura/analysis.hpp"

namespace sumisura::detail {

/// The user's view of FdVar `var`.
Column describe_variable(const Model& model, int var);

}  // namespace sumisura::detail
