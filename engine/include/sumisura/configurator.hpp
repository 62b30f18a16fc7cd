// The façade: a compiled catalog that answers customers. Immutable and safe to share between
// threads.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sumisura/catalog.hpp"
#include "sumisura/result.hpp"
#include "sumisura/spec.hpp"

namespace sumisura {

namespace detail {
class Engine;
}

class Session;

/// Limits every solve runs under. Whatever stops a search, the answer is a status, never an error.
struct Limits {
  double seconds = 10;     ///< wall-clock budget for the whole call
  int64_t conflicts = -1;  ///< conflict budget per solver call (-1: none)
  int max_repairs = 5;     ///< repairs to look for when infeasible
  bool explain = true;     ///< compute conflict and repairs when infeasible
  /// Wall-clock budget for the price range of a session state (within `seconds`). When it runs
  /// out the state comes without a range (SessionState::price_limited); the work done is kept,
  /// and the next state() call carries on from there.
  double price_seconds = 1;
};

/// Valid values of every option and slot under a set of choices (`sumisura domains`).
struct Domains {
  bool feasible = true;
  /// false when a limit stopped the computation: values may then be missing (never extra).
  bool complete = true;
  struct Entry {
    std::string name;
    std::string kind;           ///< option, slot, service, product
    std::vector<Value> values;  ///< valid values (block ids and `none` for slots)
  };
  std::vector<Entry> entries;
  Conflict conflict;  ///< when the choices contradict each other
};

class Configurator {
 public:
  /// Compiles the catalog. Throws Error(kind catalog) with every diagnostic when it has errors.
  explicit Configurator(Catalog catalog);
  /// load_catalog(path, format) then compile.
  static Configurator from_file(const std::string& path,
                                ModelFormat format = ModelFormat::automatic);

  const Catalog& catalog() const;

  /// The best product for the specification (see ConfigureResult). Throws Error(kind spec) when
  /// the specification names something the catalog does not have or does not type-check.
  ConfigureResult configure(const Spec& spec, const Limits& limits = {}) const;

  /// Valid domains of every option, slot, service and product under `choices` (complete: a value
  /// is listed iff some valid product has it together with every choice).
  Domains domains(const std::vector<Requirement>& choices, const Limits& limits = {}) const;

  /// A new interactive session (cheap: its solver is made on first use).
  Session session() const;

  /// Internal engine, shared by sessions.
  const std::shared_ptr<const detail::Engine>& engine() const { return engine_; }

 private:
  explicit Configurator(std::shared_ptr<const detail::Engine> engine);
  std::shared_ptr<const detail::Engine> engine_;
  friend class Session;
};

}  // namespace sumisura
