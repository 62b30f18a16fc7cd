// Minimal conflicts: QuickXplain over assumption literals, and their translation to catalog rules.
#pragma once

#include <vector>

#include "reason/request.hpp"
#include "search/optimize.hpp"
#include "sumisura/result.hpp"

namespace sumisura::detail {

/// A minimal subset of `candidates` that is unsatisfiable together with `background` (Junker's
/// QuickXplain). Precondition: background + candidates is unsatisfiable. When a limit stops it,
/// returns an unsatisfiable subset that may not be minimal and clears `complete`.
std::vector<Lit> quickxplain(SatSolver& solver, const std::vector<Lit>& background,
                             std::vector<Lit> candidates, const SearchLimits& limits,
                             bool& complete);

/// Bounds on the price checked by minimisation rather than assumed as clauses: CDCL refutes a
/// budget poorly. Either one budget `at_most` that always holds, or, with `selectors`, the
/// selector literal of each budget: a budget counts when its selector is among the assumptions.
struct PriceBound {
  Circuit* circuit = nullptr;
  const Linear* total = nullptr;
  int64_t at_most = 0;
  std::vector<std::pair<Lit, int64_t>> selectors;
};

/// Whether the assumptions `all` hold together, their budgets checked by minimisation (see
/// PriceBound; `price` may be null). unknown: a limit stopped it. When sat, `model` (if given)
/// holds a product within the budgets.
SatResult solve_within_budgets(SatSolver& solver, const std::vector<Lit>& all,
                               const PriceBound* price, const SearchLimits& limits,
                               Snapshot* model = nullptr);

/// QuickXplain with budgets checked by minimisation (see PriceBound).
std::vector<Lit> quickxplain(SatSolver& solver, const std::vector<Lit>& background,
                             std::vector<Lit> candidates, const SearchLimits& limits,
                             bool& complete, const PriceBound& price);

/// The catalog constraints that, with requirements `required` of the spec, admit no product:
/// a minimal set of them (computed in an explanation solver).
std::vector<RuleRef> explain_rules(const Engine& engine, const PreparedSpec& spec,
                                   const std::vector<int>& required, const SearchLimits& limits,
                                   bool& complete);

/// A rule reference for constraint group g.
RuleRef rule_ref(const Engine& engine, int group);

}  // namespace sumisura::detail
