// What one catalog may expand to once read: budgets that refuse a hostile or mistaken file early,
// before it takes the machine's memory, with a message naming the budget and how to raise it.
// Each is set by an environment variable (the same for the CLI, the service and Python).
#pragma once

#include <cstdint>
#include <string>

namespace sumisura::detail {

struct CatalogBudget {
  const char* variable;  ///< the environment variable that raises it
  uint64_t fallback;     ///< its value when the variable is not set
  const char* counts;    ///< what it counts, for the message ("YAML nodes, aliases expanded")
};

/// YAML nodes read, each alias counted as often as it is used (a file of nested aliases expands
/// to billions of nodes from a few hundred kilobytes).
/// 4 million: about 2.5 GB of parse tree in yaml-cpp, three times the largest real model converted
/// to YAML (renault-big, 1.2 million nodes, 780 MB to check).
inline constexpr CatalogBudget kYamlNodesBudget{"SUMISURA_MAX_YAML_NODES", 4'000'000,
                                                "YAML nodes (aliases counted as often as used)"};
/// Variables a model declares (DIMACS, XCSP, UVL features, catalog options and blocks).
inline constexpr CatalogBudget kVariablesBudget{"SUMISURA_MAX_VARIABLES", 1'000'000, "variables"};
/// Clauses or constraints a model declares.
inline constexpr CatalogBudget kClausesBudget{"SUMISURA_MAX_CLAUSES", 20'000'000,
                                              "clauses or constraints"};

/// The budget's value: its environment variable when set (a positive whole number, else
/// Error(kind usage) naming it), else its fallback. Read on every call (cheap; tests set it).
uint64_t budget_value(const CatalogBudget& budget);

/// The message for a catalog beyond `budget`: what it holds, the budget, how to raise it.
std::string over_budget_message(const CatalogBudget& budget, const std::string& holds);

}  // namespace sumisura::detail
