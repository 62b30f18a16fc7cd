// Checking catalog constraints directly on finite-domain assignments (a value index per FdVar),
// without the solver. Domains use it to prove values valid by flipping one variable of a known
// solution and re-checking only the constraints on that variable.
#pragma once

#include <cstdint>
#include <tuple>
#include <vector>

#include "compile/cnf.hpp"
#include "compile/table_mdd.hpp"
#include "model/typed_expr.hpp"

namespace sumisura::detail {

struct Model;

/// What one constraint group needs to be checked on an assignment. Every kind of catalog
/// constraint (block requires/excludes, slot cardinalities, service conditions, product scopes)
/// is stated as a rule over typed expressions, except tables.
struct GroupCheck {
  enum class Kind { rule, table, unsupported };
  Kind kind = Kind::unsupported;
  TExprPtr when;        ///< condition (null: always)
  TExprPtr expression;  ///< rule: what must hold (or must not, when !positive)
  bool positive = true;
  std::vector<int> products;  ///< products the constraint applies to (empty: all)
  Mdd mdd;                    ///< table: allowed rows (rows_allowed) or forbidden rows
  bool rows_allowed = true;
  std::vector<int> columns;  ///< table: FdVar per column
  std::vector<int> vars;     ///< every FdVar the constraint reads
  /// When the constraint is a clause over variable values: (var, value, positive) literals, one
  /// of which must hold ("var == value" when positive, "var != value" otherwise).
  std::vector<std::tuple<int, uint32_t, bool>> clause;
  bool is_clause = false;
};

/// The FdVars an expression reads (possibly repeated).
void expression_vars(const Model& model, const TExpr& e, std::vector<int>& out);
/// Whether an expression reads the price (which no assignment of values alone evaluates here).
bool reads_price(const TExpr& e);
/// A boolean expression (not reading the price) on `values`, a value index per FdVar.
bool evaluate_boolean(const Model& model, const TExpr& e, const uint32_t* values);

class Checker {
 public:
  /// Builds the checks of every constraint group of `model` (called at the end of compilation).
  void build(const Model& model, std::vector<GroupCheck> checks);

  /// Whether group g holds on `values` (a value index per FdVar).
  bool holds(int g, const uint32_t* values) const;
  /// FdVars group g reads.
  const std::vector<int>& vars_of(int g) const { return checks_[g].vars; }
  /// Groups reading FdVar v.
  const std::vector<int>& groups_of(int v) const { return groups_of_var_[v]; }
  /// False when some group reading v cannot be checked here (e.g. it uses `price`).
  bool flippable(int v) const { return flippable_[v]; }
  bool empty() const { return checks_.empty(); }
  size_t size() const { return checks_.size(); }
  /// What group g checks (the compiled back end turns it into a decision diagram).
  const GroupCheck& check(int g) const { return checks_[g]; }

  /// Removes from `domains` (per FdVar, per value: still possible) the values that some table
  /// cannot support given the other domains, until nothing changes (generalised arc consistency
  /// on the tables' MDDs). Sound: a value removed is in no valid product. Returns false when a
  /// domain becomes empty.
  /// `changed`: the variables whose domains shrank since `domains` were last propagated (null:
  /// revise every table).
  bool propagate_tables(std::vector<std::vector<char>>& domains,
                        const std::vector<int>* changed = nullptr) const;
  /// Whether propagate_tables() has anything to propagate (tables or clauses).
  bool can_propagate() const { return !propagators_.empty(); }

 private:
  const Model* model_ = nullptr;
  std::vector<GroupCheck> checks_;
  std::vector<std::vector<int>> groups_of_var_;
  bool revise_table(int g, std::vector<std::vector<char>>& domains, std::vector<int>& shrunk) const;
  bool revise_clause(int g, std::vector<std::vector<char>>& domains,
                     std::vector<int>& shrunk) const;
  bool propagates(int g) const { return is_propagator_[g]; }
  std::vector<int> propagators_;  // tables and clauses that apply to every product
  std::vector<char> is_propagator_;
  std::vector<bool> flippable_;
};

}  // namespace sumisura::detail
