// Conditions on one variable (see condition.hpp).
#include "reason/condition.hpp"

#include <algorithm>
#include <cstdlib>

#include "compile/checker.hpp"

namespace sumisura::detail {

/// The values of one variable an expression allows, when it reads one variable (or none).
bool single_variable(const Model& m, const TExpr& e, Condition& out) {
  if (reads_price(e)) return false;
  std::vector<int> vars;
  expression_vars(m, e, vars);
  std::sort(vars.begin(), vars.end());
  vars.erase(std::unique(vars.begin(), vars.end()), vars.end());
  if (vars.size() > 1) return false;
  std::vector<uint32_t> values(m.vars.size(), 0);
  if (vars.empty()) {
    out.never = !evaluate_boolean(m, e, values.data());
    return true;
  }
  out.var = vars[0];
  out.allowed.assign(m.vars[out.var].size(), 0);
  for (int k = 0; k < m.vars[out.var].size(); ++k) {
    values[out.var] = static_cast<uint32_t>(k);
    out.allowed[k] = evaluate_boolean(m, e, values.data());
  }
  return true;
}

/// The values of one variable an assignment allows.
bool assignment_condition(const Model& m, const Assignment& a, Condition& out) {
  if (needs_circuit(a)) return false;
  Lit lit = assignment_lit(m, nullptr, a);
  if (lit == kTrue || lit == kFalse) {
    out.never = lit == kFalse;
    return true;
  }
  size_t sat = static_cast<size_t>(std::abs(lit));
  if (sat >= m.fd_of_sat.size() || m.fd_of_sat[sat] < 0) return false;
  out.var = m.fd_of_sat[sat];
  const FdVar& v = m.vars[out.var];
  out.allowed.assign(v.size(), 0);
  bool found = false;
  for (int k = 0; k < v.size(); ++k) {
    if (v.lits[k] == lit) {
      out.allowed[k] = 1;
      found = true;
    }
  }
  if (found) return true;
  for (int k = 0; k < v.size(); ++k) {
    if (v.lits[k] == -lit) {
      std::fill(out.allowed.begin(), out.allowed.end(), 1);
      out.allowed[k] = 0;
      return true;
    }
  }
  return false;
}

}  // namespace sumisura::detail
