// Catalog budgets from the environment.
#include "core/budgets.hpp"

#include <cstdlib>

#include "sumisura/error.hpp"

namespace sumisura::detail {

uint64_t budget_value(const CatalogBudget& budget) {
  const char* text = std::getenv(budget.variable);
  if (!text || !*text) return budget.fallback;
  char* end = nullptr;
  unsigned long long v = std::strtoull(text, &end, 10);
  if (*text == '-' || *end != '\0' || v == 0)
    throw Error(ErrorKind::usage, std::string(budget.variable) +
                                      " must be a positive whole number (got '" + text + "')");
  return v;
}

std::string over_budget_message(const CatalogBudget& budget, const std::string& holds) {
  uint64_t limit = budget_value(budget);
  return "this file " + holds + ": one catalog may hold at most " + std::to_string(limit) + " " +
         budget.counts +
         " (a guard against files that would take all memory); if the file is "
         "real, raise the budget with the environment variable " +
         budget.variable + " (e.g. " + budget.variable + "=" + std::to_string(limit * 4) + ")";
}

}  // namespace sumisura::detail
