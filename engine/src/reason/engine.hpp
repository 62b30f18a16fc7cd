// The compiled catalog shared by every request and session: the model, a pristine solver to copy,
// and (built on first use) a solver whose catalog constraints sit behind selector literals.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "compile/model.hpp"
#include "compiled/compiled_catalog.hpp"
#include "reason/price_range_cache.hpp"
#include "search/optimize.hpp"
#include "search/sat_solver.hpp"

namespace sumisura::detail {

/// A solution kept for reuse: its literals, and the value index of every FdVar.
class UnitPropagator;

struct Witness {
  Snapshot model;
  std::vector<uint32_t> values;
};

Witness make_witness(const Model& model, Snapshot snapshot);

/// The budget engines compile their catalog under, unless told otherwise: a few seconds of work,
/// modest memory (the compilation runs beside the sessions it serves).
CompileBudget default_compile_budget();

/// The text a catalog was read from, kept so that a compiled file can carry the catalog in its own
/// compact format (a DIMACS model stays DIMACS). Empty for catalogs built in code.
struct CatalogText {
  ModelFormat format = ModelFormat::yaml;
  std::string name;
  std::string text;
};

class Engine {
 public:
  explicit Engine(std::shared_ptr<const Catalog> catalog, CatalogText source = {});
  /// Stops a compilation still running in the background.
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

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
  /// Solutions that together cover every value valid without any choice (computed once, within
  /// the caller's limits: a caller whose deadline comes first gets those found so far), to seed
  /// the witness pools of sessions.
  std::shared_ptr<const std::vector<Witness>> initial_witnesses(const SearchLimits& limits) const;
  /// Per FdVar and value: still possible without any choice. Exact (the valid values) once the
  /// initial witnesses are known, else what propagation leaves. Choices only ever remove values.
  const std::vector<std::vector<char>>& initial_possible() const;
  /// model_fingerprint(model()), computed once.
  uint64_t fingerprint() const;
  /// Whether a solver copy started now ends before the deadline of `limits`. Copies cannot be
  /// interrupted (0.1 s on the largest models), so calls with less time left start none; the
  /// cost is measured as the engine loads the catalog's clauses.
  bool time_to_copy_solver(const SearchLimits& limits) const {
    return limits.leaves(solver_copy_seconds_);
  }
  /// Literals in the catalog's clauses: a measure of what one solver call costs.
  size_t cnf_literals() const { return cnf_literals_; }

  /// The compiled back end, or null while it is being built in the background (started by the
  /// first call) or when the catalog does not compile within its budget. Never blocks.
  const CompiledCatalog* compiled() const;
  /// Builds the compiled back end if it is not yet, and waits for the outcome; null when the
  /// catalog does not compile (`why_not` says why).
  const CompiledCatalog* wait_compiled(std::string* why_not = nullptr) const;
  /// Settles the compiled back end before any query: a form loaded from a file, or (null) the
  /// verdict that the catalog does not compile, with its reason. Sessions then never compile.
  /// Must be called before the first query (the engine is not shared yet).
  void settle_compiled(std::unique_ptr<CompiledCatalog> compiled, std::string why_not);
  /// Compiles now, in the caller's thread, under `budget` (blocking), unless the compiled back
  /// end is already settled or being built: then waits for that outcome instead.
  const CompiledCatalog* compile_now(const CompileBudget& budget, std::string* why_not = nullptr,
                                     CompileChoice choice = CompileChoice::automatic) const;
  /// The compiled back end if its outcome is settled (null otherwise, or when it did not
  /// compile: `why_not` then says why), without starting or waiting for anything.
  const CompiledCatalog* settled_compiled(std::string* why_not = nullptr) const;
  /// The compiled back end for configure: only once someone waited for it (compile(), count,
  /// analyze, sample) or it came from a file, never while a session's background compilation
  /// merely happens to finish, so that configure's answers do not change under a backend's feet
  /// (among equally good products, passes and search may pick different ones).
  const CompiledCatalog* compiled_for_configure() const;
  /// A relaxed compiled form (CompiledCatalog::left_out), when the catalog did not compile but
  /// did without its largest rules; under the same conditions as compiled_for_configure. Only
  /// configure, domains and session price ranges use it (relaxed()), checking what it gives;
  /// counts and samples never see it.
  const CompiledCatalog* relaxed_for_configure() const;
  /// The relaxed compiled form once the compilation is settled (null otherwise), without
  /// starting or waiting for anything: for answers that are checked and exact either way.
  const CompiledCatalog* relaxed() const;
  /// As relaxed(), and while the compilation is still running, the relaxed form it built first
  /// (CompileChoice::relaxed_large, a fraction of a second where a catalog has a rule large enough
  /// that the exact form may never compile): for sessions' domains and price ranges, exact
  /// either way, so that the first seconds of a process need not be answered by search.
  const CompiledCatalog* relaxed_now() const;
  /// What the compilation spent (also when it built nothing); zero when loaded from a file.
  BuildCost compile_cost() const;
  /// Whether the compiled back end came from a file (settle_compiled) rather than a compilation.
  bool compiled_from_file() const { return compiled_from_file_; }
  const CatalogText& source() const { return source_; }
  /// Something the façade computes once per engine and shares between sessions (how states show
  /// the catalog's variables): built by `build` on first use.
  std::shared_ptr<const void> facade_cache(
      const std::function<std::shared_ptr<const void>()>& build) const;
  /// A unit propagator over `cnf` (the catalog's clauses, or a compiled form's that this engine
  /// owns), at level 0: from a pool, made on first use. Give it back (give_back_propagator) at
  /// level 0 again; propagators keep no learnt state, so which one a caller gets changes nothing.
  std::unique_ptr<UnitPropagator> take_propagator(const CnfBuffer& cnf) const;
  void give_back_propagator(const CnfBuffer& cnf, std::unique_ptr<UnitPropagator> propagator) const;
  /// Price ranges the sessions of this engine computed by search, for the next session (or the
  /// same one) that comes back to that state.
  PriceRangeCache& price_ranges() const { return price_ranges_; }

 private:
  std::shared_ptr<const Model> model_;
  CatalogText source_;
  std::unique_ptr<SatSolver> base_;
  std::vector<int> assembly_;
  size_t cnf_literals_ = 0;
  double solver_copy_seconds_ = 0;
  mutable std::mutex mutex_;
  mutable std::unique_ptr<SatSolver> explanation_base_;
  mutable std::vector<std::pair<const CnfBuffer*, std::unique_ptr<UnitPropagator>>>
      propagators_;  // under mutex_
  mutable std::vector<Lit> selectors_;
  // The initial witnesses, under witnesses_mutex_ (not held while they are computed).
  mutable std::mutex witnesses_mutex_;
  mutable std::condition_variable witnesses_changed_;
  mutable bool witnesses_computing_ = false;
  mutable bool witnesses_final_ = false;
  mutable std::shared_ptr<const std::vector<Witness>> initial_witnesses_ =
      std::make_shared<const std::vector<Witness>>();
  mutable std::chrono::steady_clock::time_point witnesses_started_{};
  mutable std::once_flag possible_once_;
  mutable std::vector<std::vector<char>> propagated_possible_;
  mutable std::vector<std::vector<char>> exact_possible_;
  mutable std::atomic<bool> exact_ready_{false};
  // The compiled back end: built once, on a thread of its own, published through `compiled_`.
  void start_compiling() const;
  mutable std::once_flag compile_once_;
  mutable std::once_flag facade_once_;
  mutable std::once_flag fingerprint_once_;
  mutable uint64_t fingerprint_ = 0;
  mutable std::shared_ptr<const void> facade_cache_;
  mutable PriceRangeCache price_ranges_;
  bool compiled_from_file_ = false;
  /// Publishes the outcome of a compilation (or of settle_compiled).
  void publish(std::unique_ptr<CompiledCatalog> built, std::string why, BuildCost cost = {}) const;
  mutable std::thread compiler_;
  mutable std::atomic<bool> cancel_compile_{false};
  mutable std::unique_ptr<CompiledCatalog> compiled_owner_;
  mutable std::unique_ptr<CompiledCatalog> relaxed_owner_;
  mutable std::unique_ptr<CompiledCatalog> early_relaxed_owner_;  // under compile_mutex_
  mutable std::atomic<const CompiledCatalog*> early_relaxed_{nullptr};
  mutable std::string compile_failure_;
  mutable BuildCost compile_cost_;
  mutable std::atomic<const CompiledCatalog*> compiled_{nullptr};
  mutable std::atomic<bool> compile_done_{false};
  mutable std::atomic<bool> asked_for_compiled_{false};
  mutable std::mutex compile_mutex_;
  mutable std::condition_variable compile_finished_;
};

}  // namespace sumisura::detail
