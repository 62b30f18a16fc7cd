// The knowledge-compiled back end: a catalog's finite-domain variables and every constraint group
// compiled once into one decision diagram (variables in a static bandwidth-reducing order), so
// that valid domains under any choices are two linear passes instead of solver calls, and the
// number of valid products is exact. Built only when the diagram stays within a budget: feature
// models that come as large CNFs often have no small diagram, and keep the solver.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "compiled/diagram.hpp"

namespace sumisura::detail {

struct Model;

struct DiagramBudget {
  size_t max_nodes = 4'000'000;               ///< nodes alive in the store while building
  double seconds = 5;                         ///< wall time for the whole compilation
  const std::atomic<bool>* cancel = nullptr;  ///< stops the compilation when it becomes true
};

class CompiledCatalog {
 public:
  /// Compiles `model`, or returns null with the reason in `why_not` (a constraint the diagram
  /// cannot state, such as one on the price, or the budget ran out).
  static std::unique_ptr<CompiledCatalog> build(const Model& model, const DiagramBudget& budget,
                                                std::string* why_not = nullptr);

  /// Valid values per FdVar when the given (FdVar, value) pairs are fixed; false when none.
  bool valid_values(const std::vector<std::pair<int, uint32_t>>& fixed,
                    std::vector<std::vector<char>>& out) const;
  /// The number of valid assignments of the model's finite-domain variables, in decimal.
  std::string count() const { return diagram_.count(); }

  const Diagram& diagram() const { return diagram_; }
  /// FdVar tested at each level.
  const std::vector<int>& order() const { return order_; }
  double build_seconds() const { return build_seconds_; }

 private:
  std::vector<int> order_;
  std::vector<int> level_of_;
  Diagram diagram_;
  std::vector<std::vector<char>> unconstrained_;  // valid values per level without any choice
  bool unconstrained_feasible_ = false;
  double build_seconds_ = 0;
};

}  // namespace sumisura::detail
