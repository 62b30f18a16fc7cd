// Minimal conflicts: QuickXplain over assumption literals, and their translation to catalog rules.
#pragma once

#include <vector>

#include "reason/request.hpp"
#include "sumisura/result.hpp"

namespace sumisura::detail {

/// A minimal subset of `candidates` that is unsatisfiable together with `background` (Junker's
/// QuickXplain). Precondition: background + candidates is unsatisfiable. When a limit stops it,
/// returns an unsatisfiable subset that may not be minimal and clears `complete`.
std::vector<Lit> quickxplain(SatSolver& solver, const std::vector<Lit>& background,
                             std::vector<Lit> candidates, const SearchLimits& limits,
                             bool& complete);

/// The catalog constraints that, with requirements `required` of the spec, admit no product:
/// a minimal set of them (computed in an explanation solver).
std::vector<RuleRef> explain_rules(const Engine& engine, const PreparedSpec& spec,
                                   const std::vector<int>& required, const SearchLimits& limits,
                                   bool& complete);

/// A rule reference for constraint group g.
RuleRef rule_ref(const Engine& engine, int group);

}  // namespace sumisura::detail
