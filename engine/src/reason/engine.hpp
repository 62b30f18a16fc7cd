// The compiled catalog shared by every request and session: the model, a pristine solver to copy,
// and (built on first use) a solver whose catalog constraints sit behind selector literals.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

#include "compile/model.hpp"
#include "search/optimize.hpp"
#include "search/sat_solver.hpp"

namespace sumisura::detail {

/// A solution kept for reuse: its literals, and the value index of every FdVar.
struct Witness {
  Snapshot model;
  std::vector<uint32_t> values;
};

Witness make_witness(const Model& model, Snapshot snapshot);

class Engine {
 public:
  explicit Engine(std::shared_ptr<const Catalog> catalog);

  const Model& model() const { return *model_; }
  const Catalog& catalog() const { return *model_->catalog; }
  /// Blocks in assembly order (index into catalog().blocks).
  const std::vector<int>& assembly() const { return assembly_; }

  /// A fresh solver with the catalog's clauses (a copy: deterministic, no learnt clauses).
  std::unique_ptr<SatSolver> solver() const;
  /// A fresh solver where group g's clauses hold only when selectors()[g] is assumed.
  std::unique_ptr<SatSolver> explanation_solver() const;
  /// Selector literal of each constraint group in explanation solvers.
  const std::vector<Lit>& selectors() const;
  /// Solutions that together cover every value valid without any choice (computed once), to seed
  /// the witness pools of sessions.
  const std::vector<Witness>& initial_witnesses() const;
  /// Per FdVar and value: still possible without any choice. Exact (the valid values) once the
  /// initial witnesses are known, else what propagation leaves. Choices only ever remove values.
  const std::vector<std::vector<char>>& initial_possible() const;
  /// Literals in the catalog's clauses: a measure of what one solver call costs.
  size_t cnf_literals() const { return cnf_literals_; }

 private:
  std::shared_ptr<const Model> model_;
  std::unique_ptr<SatSolver> base_;
  std::vector<int> assembly_;
  size_t cnf_literals_ = 0;
  mutable std::mutex mutex_;
  mutable std::unique_ptr<SatSolver> explanation_base_;
  mutable std::vector<Lit> selectors_;
  mutable std::once_flag witnesses_once_;
  mutable std::vector<Witness> initial_witnesses_;
  mutable std::once_flag possible_once_;
  mutable std::vector<std::vector<char>> propagated_possible_;
  mutable std::vector<std::vector<char>> exact_possible_;
  mutable std::atomic<bool> exact_ready_{false};
};

}  // namespace sumisura::detail
