// Typed expressions -> literals and linear sums over a compiled Model.
#pragma once

#include <string>
#include <vector>

#include "compile/circuit.hpp"
#include "compile/model.hpp"
#include "model/typed_expr.hpp"

namespace sumisura::detail {

class ExprEncoder {
 public:
  /// `price` is what the name `price` means in the expressions encoded (the catalog's price before
  /// tier discounts in catalog rules; the customer's total in requirements).
  ExprEncoder(const Model& model, Circuit& circuit, const Linear* price)
      : m_(model), c_(circuit), price_(price) {}

  /// A literal equivalent to the condition.
  Lit boolean(const TExpr& e);
  /// The quantity as a linear sum, in units of 10^-6.
  Linear number(const TExpr& e);
  /// Adds clauses making `e` hold (or, when !positive, fail) whenever `guard` holds (kTrue:
  /// always). Top-level `and`, `or` and `implies` become clauses directly, without auxiliary
  /// variables.
  void require(const TExpr& e, Lit guard = kTrue, bool positive = true);
  /// The literals of a condition in clause form when it is a disjunction (for require()).
  void disjuncts(const TExpr& e, bool negated, std::vector<Lit>& out);

 private:
  using StringChoice = std::vector<std::pair<std::string, Lit>>;  // value -> literal
  using BlockChoice = std::vector<std::pair<int, Lit>>;           // block (-1: none) -> literal
  using SetChoice = std::vector<std::pair<Value, Lit>>;           // set value -> literal

  StringChoice strings(const TExpr& e);
  BlockChoice blocks(const TExpr& e);
  SetChoice sets(const TExpr& e);
  Lit compare(const TExpr& e);
  Lit compare_numbers(Cmp cmp, const Linear& a, const Linear& b);
  Lit member(const TExpr& e);
  Lit number_in(const Linear& x, const std::vector<int64_t>& values);
  Linear product(const Linear& a, const Linear& b);
  Linear aggregate(const TExpr& e);
  Linear count_slot(int slot);
  /// How many of `block` the product holds in `slot` (-1: in every slot), with quantities.
  Linear block_quantity(int block, int slot);
  /// Literals "block b is in the scope" (-1: any slot) with quantities for sums.
  void scope_quantities(int slot, std::vector<std::pair<int, Linear>>& out);
  Lit in_scope(int block, int slot);
  /// When a linear sum depends on one finite-domain variable only, its value per value index.
  bool single_variable(const Linear& x, int& var, std::vector<int64_t>& values) const;
  const Value& block_value(int block, int attribute) const;

  const Model& m_;
  Circuit& c_;
  const Linear* price_;
};

/// Value of an option value or attribute number in 10^-6 units.
inline int64_t units(const Value& v) {
  return v.is_number() ? v.as_number().units() : 0;
}

}  // namespace sumisura::detail
