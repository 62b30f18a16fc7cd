// The properties: what configure, domains and sessions must answer, checked against BruteForce.
// Each check returns the problems it found (empty: the engine agrees with the brute force).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "brute_force.hpp"
#include "property_rng.hpp"
#include "sumisura/sumisura.hpp"

namespace sumisura::proptest {

using Problems = std::vector<std::string>;

/// Engine bugs that the default random runs step around, so that they catch regressions instead of
/// failing on what is already known. Each has a reproducer in test_properties_known_bugs.cpp and a
/// strict random run tagged [!mayfail] that sets the switch to false. Drop a switch once fixed.
struct KnownBugs {
  /// The engine treats the bundle packing as a free choice wherever the price is constrained
  /// (rules, requirements and preferences about the price, the session's price_max), instead of
  /// always taking the cheapest packing. When true: no `price` conditions on catalogs whose bundles
  /// overlap, and the session's price_max need only lie between the true maximum and the dearest
  /// packing's.
  bool packing = false;  // fixed: overlapping bundles now apply the cheapest packing
  /// Choices that compile to the same literal (s=b and b=true when b fills only slot s, or a
  /// choice given twice) are all named in conflicts and explanations. When true, minimality is
  /// checked treating choices that hold in exactly the same complete assignments as one.
  bool aliases = false;  // fixed: each literal names its first choice only
  /// Explanations disable catalog constraints one at a time, but a gate shared by two rules is
  /// defined among the clauses of the first one only: disabling it frees the second, so the rules
  /// an explanation names are sufficient but not always minimal. When true, only sufficiency of
  /// the named rules is checked.
  bool shared_gates = false;  // fixed: gate definitions belong to no constraint group
  static KnownBugs none() { return {false, false, false}; }
};

/// configure(spec) against the brute force: status, optimal objective, the product's validity and
/// price, conflict (infeasible and minimal) and repairs (sufficient, minimal, least weight, their
/// relaxations and products).
Problems check_configure(const Configurator& configurator, const BruteForce& world,
                         const Spec& spec, const Limits& limits = {}, const KnownBugs& bugs = {});

/// Configurator::domains(choices) against the brute force.
Problems check_domains(const Configurator& configurator, const BruteForce& world,
                       const std::vector<Requirement>& choices, const KnownBugs& bugs = {});

/// A random click sequence (choose / unchoose / undo / reset / save and resume) on a Session,
/// checking the state after every step. `log` receives the steps, for the failure report.
Problems check_session(const Configurator& configurator, const BruteForce& world, Rng& rng,
                       int steps, std::ostream& log, const KnownBugs& bugs = {});

/// The product a ConfigureResult describes, as a brute-force configuration (nullopt and `error`
/// when it names things the catalog does not have).
std::optional<Config> result_config(const BruteForce& world, const ConfigureResult& r,
                                    std::string& error);

/// A catalog from a seed, passed through to_yaml and parse_catalog (so positions are known and
/// the YAML round trip is exercised). `problem` is set when the round trip changes the catalog.
struct GeneratedCatalog {
  Catalog catalog;
  std::string yaml;
  std::string problem;
};
GeneratedCatalog generate_catalog(Rng& rng, size_t max_configs = 20000, const KnownBugs& bugs = {});
/// A random specification for the world's catalog, stepping around known bugs.
Spec generate_spec(Rng& rng, const BruteForce& world, const KnownBugs& bugs = {});

/// Where failing cases are written: $SUMISURA_PROPERTY_OUT, else <temp>/sumisura-property-failures.
std::string failure_folder();
/// Writes catalog.yaml, spec.yaml / spec.txt (when a spec is given) and report.txt for a failing
/// case; returns the folder.
std::string save_case(const std::string& test, uint64_t seed, const std::string& catalog_yaml,
                      const Spec* spec, const std::string& report);

/// How many cases to run and with which seeds, from the environment:
///   SUMISURA_PROPERTY_SEED=N   run only the case with seed N (decimal or 0x hex), as printed
///   SUMISURA_PROPERTY_CASES=N  run N cases instead of the default
///   SUMISURA_PROPERTY_SCALE=F  run F times the default number of cases (at least 1; the
///                              sanitizer builds of CI run a quarter)
///   SUMISURA_PROPERTY_BASE=N   derive the seeds from N instead of the fixed default base
///   SUMISURA_PROPERTY_MAX_FAILURES=N  stop after N failing cases (default 3)
///   SUMISURA_PROPERTY_OUT=DIR  where failing cases are saved
///   SUMISURA_PROPERTY_VERBOSE=1  print how many cases ran, in how long
struct CaseRun {
  std::vector<uint64_t> seeds;
  bool single = false;
};
CaseRun case_seeds(const std::string& test, size_t default_cases);

/// What one case produced: its problems and what is needed to replay it by hand.
struct CaseOutcome {
  Problems problems;
  std::string catalog_yaml;
  std::optional<Spec> spec;  ///< the specification that failed, if any
  std::string log;           ///< steps taken (sessions)
};
struct RunSummary {
  size_t cases = 0;
  size_t failures = 0;
  std::vector<std::string> messages;  ///< one per failing seed: seed, folder, problems
  double seconds = 0;
};
/// Runs every case of case_seeds(test, default_cases); a case that throws fails with the message.
/// Failing cases are saved with save_case; after `max_failures` failures the run stops.
RunSummary run_cases(const std::string& test, size_t default_cases,
                     const std::function<CaseOutcome(uint64_t)>& one, size_t max_failures = 3);

/// Fails the current Catch test case once per failing seed (with its message); with
/// SUMISURA_PROPERTY_VERBOSE set, also prints how many cases `what` ran and how long they took.
void report(const RunSummary& summary, const char* what);

/// An environment variable as text ("" when unset).
std::string env(const char* name);

}  // namespace sumisura::proptest
