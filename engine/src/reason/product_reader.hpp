// Reading a product whose values are all known (the compiled form's optimum) without a solver:
// unit propagation of the catalog's clauses under those values, then of the spec's own gates
// (preferences, measures) under the result.
#pragma once

#include <cstdint>
#include <vector>

#include "reason/request.hpp"
#include "sumisura/result.hpp"

namespace sumisura::detail {

/// Fills the product part of `out` for the product that takes `values` (a value index per
/// FdVar), as extract_product does from a solver's model, propagating `cnf` (the model's clauses,
/// or the fewer a relaxed compiled form holds, whose other rules the caller checked). False when
/// propagation does not settle what the answer reads (the caller then asks a solver) or
/// conflicts: the values break a constraint.
bool read_product(const Engine& engine, const PreparedSpec& spec,
                  const std::vector<uint32_t>& values, const CnfBuffer& cnf, ConfigureResult& out);

}  // namespace sumisura::detail
