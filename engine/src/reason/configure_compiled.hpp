// configure on the priced compiled form: where the catalog compiles (with its prices) and every
// requirement and preference of the spec reads one variable (a value, a set of values) or bounds
// the price, the best product is one lexicographic pass over the circuit, a conflict is
// QuickXplain with a pass as its oracle, and repairs are drop sets tried in their order of cost,
// one pass each: exact, with no search and no time limit that matters.
#pragma once

#include "reason/request.hpp"
#include "sumisura/configurator.hpp"

namespace sumisura::detail {

/// Repairs are found by trying drop sets (at most 2^n) only for specs with at most this many
/// requirements; longer specs get their repairs from search.
constexpr size_t kMaxCompiledRepairRequirements = 12;

/// Answers `configure` on the compiled form when the engine has one that was asked for
/// (Engine::compiled_for_configure) and the spec allows it; false (and `out` untouched) otherwise,
/// for search to answer. Among equally good products it may pick another than search would.
bool configure_compiled(const Engine& engine, const PreparedSpec& spec, const Limits& limits,
                        const SearchLimits& search, ConfigureResult& out);

}  // namespace sumisura::detail
