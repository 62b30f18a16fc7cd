// Property tests: interactive sessions against brute-force enumeration on random small catalogs.
//
// Random clicks (choose, unchoose, undo, reset, save and resume) on a Session; after every step the
// valid values, chosen / implied / default values and the price range must be exactly what the
// brute force finds among the valid products consistent with the choices; refusals, explanations
// and repairs must be right and minimal. See tests/README.md ("Property tests") to replay a seed.
#include <catch2/catch.hpp>

#include <iostream>
#include <sstream>

#include "property_checks.hpp"
#include "random_catalog.hpp"

using namespace sumisura;
using namespace sumisura::proptest;

namespace {

CaseOutcome session_case(uint64_t seed, int steps, size_t max_configs, const KnownBugs& bugs = {}) {
  CaseOutcome out;
  Rng rng(seed);
  GeneratedCatalog g = generate_catalog(rng, max_configs, bugs);
  out.catalog_yaml = g.yaml;
  if (!g.problem.empty()) {
    out.problems.push_back(g.problem);
    return out;
  }
  BruteForce world(g.catalog);
  Configurator configurator(g.catalog);
  std::ostringstream log;
  out.problems = check_session(configurator, world, rng, steps, log, bugs);
  out.log = log.str();
  return out;
}

}  // namespace

TEST_CASE("sessions agree with brute-force enumeration on random catalogs", "[property][session]") {
  RunSummary s =
      run_cases("session", 150, [](uint64_t seed) { return session_case(seed, 12, 8000); });
  report(s, "session");
}

TEST_CASE("sessions agree with brute-force enumeration (long run)",
          "[.slow][property-slow][session]") {
  RunSummary s =
      run_cases("session-slow", 2000, [](uint64_t seed) { return session_case(seed, 25, 20000); });
  report(s, "session (long)");
}
