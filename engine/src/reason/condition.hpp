// A requirement or preference read as the values of the one variable it reads: what lets
// configure answer on the compiled form, and sessions weigh a customer's stated wishes.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "compile/model.hpp"
#include "reason/request.hpp"

namespace sumisura::detail {

/// A requirement or preference read as the values of one variable it allows (or a price bound).
struct Condition {
  int var = -1;               ///< -1: on no variable (always or never true, or a price bound)
  std::vector<char> allowed;  ///< per value of `var`
  bool never = false;
  std::optional<int64_t> price_at_most;
};

/// The values of one variable an expression allows, when it reads one variable (or none).
bool single_variable(const Model& m, const TExpr& e, Condition& out);
/// The values of one variable an assignment allows.
bool assignment_condition(const Model& m, const Assignment& a, Condition& out);

}  // namespace sumisura::detail
