// A top-down decision-DNNF compiler for CNF (the sharpSAT / dsharp / d4 architecture, our own
// code): unit propagation on watched literals, dynamic decomposition of the residual formula into
// connected components, a cache of compiled components keyed on their residual formula, conflict
// learning (first UIP). Decisions take first the variables that a minimum-degree elimination order
// of the formula's primal graph (Boost.Graph) eliminates last: they sit at the top of its
// elimination tree, so deciding them splits the formula into components early (the idea behind
// c2d's dtrees and d4's partitioning, computed once); VSADS (occurrences in the component plus
// conflict activity) breaks ties. The trace of the search is the circuit: every decision is an OR
// of two AND nodes, every decomposition an AND of the components' circuits.
//
// Variables outside the scope are projected out: decisions take scope variables first, and a
// component left with none is only checked for satisfiability. Catalog encodings define their
// auxiliary variables (gates, ladders, sums) functionally, so such components are rare.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compile/cnf.hpp"
#include "compiled/compile_budget.hpp"
#include "compiled/dnnf.hpp"

namespace sumisura::detail {

struct DnnfOutcome {
  std::optional<Dnnf> dnnf;  ///< empty when a budget ran out or the compilation was cancelled
  std::string why_not;
  CompileProgress stats;
};

/// Compiles the CNF in `cnf` (variables 1..cnf.num_vars()) projected on the variables v with
/// scope[v] set. Runs on a thread of its own with a large stack (the search recurses once per
/// decision).
DnnfOutcome compile_dnnf(const CnfBuffer& cnf, const std::vector<char>& scope,
                         const CompileBudget& budget);

}  // namespace sumisura::detail
