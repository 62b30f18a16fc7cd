// A customer's specification, checked against the catalog once (PreparedSpec), then encoded into
// any number of solvers (Request): each requirement behind its own selector literal.
#pragma once

#include <memory>
#include <vector>

#include "compile/encoder.hpp"
#include "reason/engine.hpp"
#include "sumisura/spec.hpp"

namespace sumisura::detail {

/// What an assignment requirement (`NAME=VALUE`) points at.
struct Assignment {
  /// quantity: SLOT.BLOCK=N, how many of a block a slot holding several blocks has.
  enum class Target {
    option,
    slot,
    multi_slot_block,
    multi_slot_empty,
    service,
    block,
    product,
    quantity
  };
  Target target = Target::option;
  int index = -1;  ///< option, slot, service, block or product; the FdVar for a quantity
  int value = -1;  ///< value index / block position / 0-1 for booleans / the quantity
};

struct PreparedSpec {
  Spec spec;
  std::vector<TExprPtr> requirements;   ///< per requirement; null unless kind expression
  std::vector<Assignment> assignments;  ///< per requirement; used for kind assignment / product
  std::vector<int> bound_measures;      ///< per requirement; measure index, -1 for price
  std::vector<TExprPtr> preferences;
  int tier = -1;
  std::vector<Objective> objective;  ///< resolved default objective
  /// Per part of `objective`: the measure it minimises or maximises; -1 for price or none.
  std::vector<int> objective_measures;
};

/// Checks every name and expression of the spec; throws Error(kind spec) with all diagnostics.
PreparedSpec prepare_spec(const Engine& engine, const Spec& spec);
/// Resolves one `NAME=VALUE` choice; throws Error(kind spec).
Assignment resolve_assignment(const Engine& engine, const std::string& name,
                              const std::string& value, const std::string& file = {},
                              Position where = {});
/// The literal of an assignment in a circuit over the engine's model. Only an empty slot that
/// holds several blocks needs the circuit (a gate); every other assignment is a literal of the
/// model itself, and `circuit` may then be null.
Lit assignment_lit(const Model& model, Circuit* circuit, const Assignment& a);
/// Whether assignment_lit() needs a circuit for `a`.
inline bool needs_circuit(const Assignment& a) {
  return a.target == Assignment::Target::multi_slot_empty;
}

/// The price terms a customer of `tier` (-1: none) pays: the catalog's, and the tier's discount
/// on each.
std::vector<PriceTerm> customer_price(const Engine& engine, int tier);

struct Request {
  std::unique_ptr<SatSolver> solver;
  std::unique_ptr<Circuit> circuit;
  std::vector<PriceTerm> terms;  ///< price terms including the tier discount
  Linear total;                  ///< what the customer pays
  std::vector<Lit> selectors;    ///< per requirement: assume it to require it
  std::vector<Lit> preferences;  ///< per preference: true when met
  std::vector<Linear> measures;  ///< per catalog measure
  std::vector<Lit> groups;       ///< explanation solvers: selector of each catalog constraint
};

/// A fresh solver with the catalog and the spec encoded. With `explanation`, catalog constraints
/// sit behind their selectors too (Request::groups).
/// With `requirements` false the spec's requirements are not encoded (no selectors): for reading
/// a product already known to meet them.
Request open_request(const Engine& engine, const PreparedSpec& spec, bool explanation = false,
                     bool requirements = true);

}  // namespace sumisura::detail
