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
#include "reason/engine.hpp"

using namespace sumisura;
using namespace sumisura::proptest;

namespace {

/// With `compiled`, the catalog's decision diagram is built before the first click, so that every
/// domain comes from the compiled back end (catalogs it cannot state, e.g. with rules on the
/// price, keep the solver); its count of valid products must equal the brute force's.
CaseOutcome session_case(uint64_t seed, int steps, size_t max_configs, const KnownBugs& bugs = {},
                         bool compiled = false, size_t* compiled_cases = nullptr) {
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
  if (compiled) {
    if (const auto* diagram = configurator.engine()->wait_compiled()) {
      if (compiled_cases) ++*compiled_cases;
      std::string expected = std::to_string(world.valid_configs().size());
      if (diagram->count({}).str() != expected)
        out.problems.push_back("compiled count " + diagram->count({}).str() + ", brute force " + expected);
    }
  }
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

TEST_CASE("sessions on the compiled back end agree with brute-force enumeration",
          "[property][session][compiled]") {
  size_t compiled = 0;
  RunSummary s = run_cases("session-compiled", 150, [&](uint64_t seed) {
    return session_case(seed, 12, 8000, {}, /*compiled=*/true, &compiled);
  });
  report(s, "session (compiled)");
  // Most random catalogs compile (those that do not have rules on the price).
  CHECK(compiled * 2 > s.cases);
}

TEST_CASE("sessions on the compiled back end (long run)",
          "[.slow][property-slow][session][compiled]") {
  RunSummary s = run_cases("session-compiled-slow", 2000, [](uint64_t seed) {
    return session_case(seed, 25, 20000, {}, /*compiled=*/true);
  });
  report(s, "session (compiled, long)");
}
