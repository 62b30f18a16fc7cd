// Reading a configured product out of a solver model: selections, bill of materials, price.
#pragma once

#include "reason/request.hpp"
#include "search/optimize.hpp"
#include "sumisura/result.hpp"

namespace sumisura::detail {

/// Fills the product part of `out` (everything but status, conflict, repairs and stats).
void extract_product(const Engine& engine, const PreparedSpec& spec, const Request& request,
                     const Snapshot& model, ConfigureResult& out);

/// The value index an FdVar takes in a model.
int value_of(const Model& model, int var, const Snapshot& snapshot);
/// The value index of every FdVar in a model (what the catalog's Checker reads).
std::vector<uint32_t> values_of(const Model& model, const Snapshot& snapshot);

}  // namespace sumisura::detail
