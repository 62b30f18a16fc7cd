// The compiled form of a catalog: finite-domain variables in direct encoding, clauses tagged by the
// catalog constraint they come from, and the price as a linear sum. Back ends see only this; names
// come back through the catalog indices recorded here.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "compile/checker_fwd.hpp"
#include "compile/cnf.hpp"
#include "model/catalog_index.hpp"
#include "model/typed_expr.hpp"
#include "sumisura/catalog.hpp"

namespace sumisura::detail {

enum class VarKind { option, slot, quantity, product, service };

/// A finite-domain variable: value k holds iff lits[k] is true (exactly one is). A two-valued
/// variable uses one SAT variable: lits = {-x, x}.
struct FdVar {
  VarKind kind = VarKind::option;
  int owner = -1;  ///< option index, slot index, or -1 for the product
  int block = -1;  ///< quantity variables: the block whose quantity in slot `owner` this is
  std::vector<Lit> lits;
  int size() const { return static_cast<int>(lits.size()); }
};

/// One catalog constraint that explanations can name: a rule, a block's requires/excludes, a slot's
/// cardinality, a service's condition, a product's scope.
struct ConstraintGroup {
  enum class Kind {
    rule,
    block_requires,
    block_excludes,
    slot_cardinality,
    service_offer,
    product_scope,
    bundle
  };
  Kind kind = Kind::rule;
  int index = -1;  ///< rule, block, slot, service or product index
  std::string id;
  std::string message;
  Position where;
};

enum class PriceCategory { base, options, blocks, services, bundles, tier };

/// One term of the total price: `amount` (in units of 10^-6) when `lit` is true.
struct PriceTerm {
  int64_t amount = 0;
  Lit lit = kTrue;
  PriceCategory category = PriceCategory::blocks;
  int owner = -1;  ///< block / service / bundle / option index the term belongs to
};

struct Model {
  std::shared_ptr<const Catalog> catalog;
  std::unique_ptr<CatalogIndex> index;
  CnfBuffer cnf;
  std::vector<ConstraintGroup> groups;

  std::vector<FdVar> vars;
  std::vector<int> fd_of_sat;   ///< SAT variable -> FdVar holding it as a value literal, or -1
  std::vector<int> option_var;  ///< option -> FdVar
  std::vector<int>
      slot_var;  ///< single-block slot -> FdVar (value 0: none; k: blocks[k-1]); -1 otherwise
  std::vector<std::vector<int>>
      quantity_vars;     ///< multi-block slot -> FdVar per allowed block (value = quantity)
  int product_var = -1;  ///< FdVar over catalog.products, -1 when there are none
  std::vector<Lit> block_selected;  ///< block -> in the product, in any slot
  std::vector<Lit> service_included;
  std::vector<int> service_var;  ///< service -> FdVar (value 1: included)
  std::vector<Lit> bundle_applied;
  std::vector<PriceTerm> price;  ///< without tier discount (that depends on the customer)
  int64_t price_constant = 0;    ///< part of the price that holds in every product

  /// Resolved catalog expressions kept for later use (measures).
  std::vector<TExprPtr> measures;
  /// The constraint groups as checks on finite-domain assignments (same order as `groups`).
  std::unique_ptr<Checker> checker;

  /// Literal that value k of FdVar v holds.
  Lit value_lit(int v, int k) const { return vars[v].lits[k]; }
};

/// amount * percent / 100, rounded half away from zero to the nearest 10^-6 (prices are exact
/// per term; see docs/catalog-format.md).
int64_t percent_of(int64_t amount, Decimal percent);

/// A 64-bit fingerprint of what the back ends see (the CNF and the finite-domain variables): a
/// compiled form built for one model is refused by any model with another fingerprint.
uint64_t model_fingerprint(const Model& model);

/// Compiles a validated catalog. Throws Error(kind catalog) with the diagnostics when the catalog
/// has errors, or when a constraint cannot be encoded (e.g. numbers too large even for 62 bits).
std::shared_ptr<const Model> compile_catalog(std::shared_ptr<const Catalog> catalog);

}  // namespace sumisura::detail
