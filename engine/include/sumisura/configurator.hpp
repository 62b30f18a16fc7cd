// The façade: a compiled catalog that answers customers. Immutable and safe to share between
// threads.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sumisura/analysis.hpp"
#include "sumisura/catalog.hpp"
#include "sumisura/preferences.hpp"
#include "sumisura/result.hpp"
#include "sumisura/spec.hpp"

namespace sumisura {

namespace detail {
class Engine;
}

class Session;

/// Limits every solve runs under. Whatever stops a search, the answer is a status, never an error.
struct Limits {
  double seconds = 10;     ///< wall-clock budget for the whole call (0: none; negative, nan: Error)
  int64_t conflicts = -1;  ///< conflict budget per solver call (-1: none)
  int max_repairs = 5;     ///< repairs to look for when infeasible
  bool explain = true;     ///< compute conflict and repairs when infeasible
  /// Wall-clock budget for the price range of a session state (within `seconds`). When it runs
  /// out the state comes without a range (SessionState::price_limited); the work done is kept,
  /// and the next state() call carries on from there.
  double price_seconds = 1;
  /// Answer configure on the priced compiled form where the catalog has one that was asked for
  /// (compile(), count, analyze, sample, or a compiled file: not a session's background
  /// compilation, so answers do not change while a backend runs) and every requirement and
  /// preference reads one variable or bounds the price: exact passes instead of search. Among
  /// equally good products the two may pick different ones, and among several minimal conflicts.
  /// False: always search (to compare both). SolveStats::compiled tells which answered.
  bool use_compiled = true;
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
  /// load_catalog(path, format) then compile. A compiled catalog file (`sumisura compile`, or
  /// save_compiled) loads with its compiled form, nothing recompiled.
  static Configurator from_file(const std::string& path,
                                ModelFormat format = ModelFormat::automatic);
  /// from_file within `limits.seconds` (reading the file, parsing and compiling it into the
  /// solver's form; not the optional compiled form, see compile()). Throws Error(kind limit)
  /// when the time runs out first.
  static Configurator from_file(const std::string& path, ModelFormat format, const Limits& limits);
  /// `catalog` with the compiled form saved in `compiled_path`. Throws Error(kind io) when the
  /// file was compiled from another catalog (or by another engine version), or is corrupt.
  static Configurator from_compiled(Catalog catalog, const std::string& compiled_path);

  const Catalog& catalog() const;

  /// The best product for the specification (see ConfigureResult). Throws Error(kind spec) when
  /// the specification names something the catalog does not have or does not type-check.
  ConfigureResult configure(const Spec& spec, const Limits& limits = {}) const;
  /// configure for a known customer: the profile's stated preferences, their past orders'
  /// option values (as preferences weighing the share of orders that had them) and the tier
  /// they earn (unless the spec names one). Throws Error(kind spec) for a profile whose orders
  /// or tier the catalog does not know.
  ConfigureResult configure(const Spec& spec, const Profile& profile,
                            const Limits& limits = {}) const;

  /// Valid domains of every option, slot, service and product under `choices` (complete: a value
  /// is listed iff some valid product has it together with every choice).
  Domains domains(const std::vector<Requirement>& choices, const Limits& limits = {}) const;

  /// A new interactive session (cheap: its solver is made on first use).
  Session session() const;
  /// A session for a known customer: recommendations lean to what they chose before and what
  /// they stated, prices are their tier's.
  Session session(const Profile& profile) const;

  /// This configurator with a preference model learned from the shop's sales (sessions rank
  /// values with it). Cheap: the compiled catalog is shared. The model must be this catalog's.
  Configurator with_preferences(PreferenceModel model) const;
  /// The preference model, or null.
  const std::shared_ptr<const PreferenceModel>& preferences() const { return preferences_; }

  /// The number of valid products that take the `where` values, exact, from the compiled form.
  /// `where` holds NAME=VALUE choices that fix one variable each: an option's value, a slot's
  /// block (or `none`), a service, `product`, a block's quantity in a slot holding several
  /// (SLOT.BLOCK=N), or a block that fits a single slot. The compiled form is
  /// built on first use under the default budget (see compile) unless it was loaded from a file.
  /// Throws Error(kind spec) for names or values the catalog lacks, and for other requirements
  /// (expressions, bounds, a block that may sit in several slots).
  Count count(const std::vector<Requirement>& where = {}) const;
  /// Dead values (in no product), core values (in every product), false-optional options, and,
  /// where the catalog compiles, the count of every value and the total. Without a compiled form
  /// dead and core values come from the search back end within `limits`.
  Analysis analyze(const Limits& limits = {}) const;
  /// `n` valid products with the `where` values, each drawn uniformly at random among them
  /// (needs the compiled form). The same seed gives the same products.
  Samples sample(size_t n, uint64_t seed = 0, const std::vector<Requirement>& where = {}) const;

  /// Builds the compiled form now under `options` (blocking) and says what was built. The first
  /// compilation of a Configurator settles it: if one already ran (or a compiled file was
  /// loaded), its outcome is reported and `options` are ignored.
  CompileReport compile(const CompileOptions& options = {}) const;
  /// What the compiled form is, without building it: `compiled` false and an empty reason while
  /// it has not been settled yet.
  CompileReport compiled_form() const;
  /// Writes the catalog and its compiled form (compiling it first if needed) to `path`, for
  /// from_file. A catalog that does not compile within its budget is saved with that verdict,
  /// so that loading the file never tries again. Throws Error(kind io) when it cannot write.
  void save_compiled(const std::string& path) const;
  /// What save_compiled writes, as bytes (to send elsewhere: pickling, a cache, another replica).
  std::string compiled_bytes() const;
  /// A configurator from compiled_bytes() (`name` names it in errors). Throws Error(kind io) on
  /// malformed bytes or bytes from another engine version.
  static Configurator from_compiled_bytes(const std::string& bytes,
                                          const std::string& name = "<compiled bytes>");
  /// `catalog` with the compiled form in `bytes` (its positions and names stay the catalog's
  /// own). Throws Error(kind io) as from_compiled does.
  static Configurator from_compiled_bytes(Catalog catalog, const std::string& bytes,
                                          const std::string& name = "<compiled bytes>");

  /// Internal engine, shared by sessions.
  const std::shared_ptr<const detail::Engine>& engine() const { return engine_; }

 private:
  explicit Configurator(std::shared_ptr<const detail::Engine> engine);
  std::shared_ptr<const detail::Engine> engine_;
  std::shared_ptr<const PreferenceModel> preferences_;
  friend class Session;
};

}  // namespace sumisura
