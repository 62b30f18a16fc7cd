// The public compile options as the compiled back end's budget.
#pragma once

#include "compiled/compile_budget.hpp"
#include "sumisura/analysis.hpp"

namespace sumisura::detail {

/// The engine's default budget with what `options` set (work, memory, nodes, seconds, progress).
CompileBudget budget_of(const CompileOptions& options);

}  // namespace sumisura::detail
