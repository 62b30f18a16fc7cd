// Name resolution and type checking: text of the expression language -> TExpr.
#pragma once

#include <string>
#include <vector>

#include "model/catalog_index.hpp"
#include "model/typed_expr.hpp"

namespace sumisura::detail {

struct Expr;

/// Resolves expressions against one catalog. Measures are resolved once, on first use, and then
/// inlined wherever they are named. Problems go to `diagnostics` with the catalog's file name.
class Resolver {
 public:
  Resolver(const CatalogIndex& index, std::vector<Diagnostic>& diagnostics);

  /// A condition (rule, `when`, offered_when, requirement, preference). Null on error.
  TExprPtr boolean(const std::string& text, Position where);
  /// A quantity (measure, bound). Null on error.
  TExprPtr number(const std::string& text, Position where);
  /// A rule's condition: its `when`, and for a rule of an assembly instance (Rule::scope) that the
  /// instance is present. Null when the rule has neither, or on error (in the diagnostics).
  TExprPtr rule_when(const Rule& rule);
  /// A rule's expression, its names looked up in its instance first (Rule::scope).
  TExprPtr rule_expression(const Rule& rule);
  /// The resolved expression of measure `m` (null when it has errors).
  const TExpr* measure(int m);
  /// Diagnostics are attributed to this file (defaults to the catalog's source).
  void set_file(std::string file) { file_ = std::move(file); }

  /// Names of options mentioned by everything resolved so far (for "unused option" warnings).
  const std::vector<bool>& options_mentioned() const { return options_mentioned_; }

 private:
  friend class ResolveVisitor;
  TExprPtr parse_and_resolve(const std::string& text, Position where, Type expected,
                             const char* expectation);
  void qualify(Expr& e) const;
  /// `a.b[2].c` for a name or a chain of members over one (`first`: the name); false otherwise.
  static bool path_of(const Expr& e, std::string& path, const Expr*& first);
  void error(Position pos, std::string message);
  void warning(Position pos, std::string message);

  const CatalogIndex& index_;
  std::vector<Diagnostic>& diagnostics_;
  std::string file_;
  std::string scope_;  // the assembly instance whose names come first (Rule::scope)
  std::vector<TExprPtr> measures_;
  std::vector<int> measure_state_;  // 0 unresolved, 1 resolving, 2 done
  std::vector<bool> options_mentioned_;
};

/// Closest id to `name` among `candidates` (edit distance <= 2 or a case-only difference), for
/// "did you mean" hints; empty when nothing is close.
std::string closest_name(const std::string& name, const std::vector<std::string>& candidates);

}  // namespace sumisura::detail
