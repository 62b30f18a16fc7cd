// The compiled back end against the truth: the number of valid products its decision diagram
// counts equals REFERENCE.tsv on every public model that compiles, its valid domains equal
// CDCL's on sampled choices, and a catalog it cannot state keeps the solver, saying why.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <map>
#include <random>

#include "compile/model.hpp"
#include "compiled/compiled_catalog.hpp"
#include "reason/domains.hpp"
#include "reason/engine.hpp"
#include "reference_table.hpp"
#include "sumisura/sumisura.hpp"

using namespace sumisura;

namespace {

namespace fs = std::filesystem;
const fs::path kBenchmarks = SUMISURA_BENCHMARKS_DIR;

std::unique_ptr<detail::CompiledCatalog> compile(const Configurator& cfg) {
  detail::CompileBudget budget;  // work, memory and nodes bound it, whatever the build type
  std::string why;
  auto compiled = detail::CompiledCatalog::build(cfg.engine()->model(), budget, &why);
  INFO(why);
  REQUIRE(compiled);
  return compiled;
}

}  // namespace

TEST_CASE("compiled counts equal REFERENCE.tsv", "[compiled][benchmarks]") {
  auto table = proptest::read_reference_table(kBenchmarks);
  if (table.rows.empty()) {
    WARN("skipped: " << (kBenchmarks / "REFERENCE.tsv").string() << " is absent");
    return;
  }
  // The public models whose diagram fits the default budget (the others are large feature
  // models that keep CDCL).
  for (const char* file :
       {"csp/renault-medium.xml", "csp/renault-megane.xml", "cnf/axtls.dimacs",
        "cnf/berkeleydb.dimacs", "cnf/mercedes-C169_FV.dimacs", "cnf/mercedes-D1119_M20.dimacs",
        "cnf/mercedes-D1119_M23.dimacs", "cnf/uclinux-base.dimacs", "cnf/vp9.dimacs"}) {
    INFO(file);
    if (!fs::exists(kBenchmarks / file) || !table.rows.count(file)) {
      WARN("skipped: " << (kBenchmarks / file).string() << " is absent");
      continue;
    }
    Configurator cfg = Configurator::from_file((kBenchmarks / file).string());
    CHECK(compile(cfg)->count({}).str() == table.rows.at(file).at(3));
  }
}

TEST_CASE("compiled count of renault-big matches the published figure", "[compiled][benchmarks]") {
  const std::string file = "csp/renault-big.xml";
  auto table = proptest::read_reference_table(kBenchmarks);
  if (!fs::exists(kBenchmarks / file) || !table.rows.count(file)) {
    WARN("skipped: " << (kBenchmarks / file).string() << " is absent");
    return;
  }
  Configurator cfg = Configurator::from_file((kBenchmarks / file).string());
  std::string count = compile(cfg)->count({}).str();
  // The published figure is toulbar2's output printed from a double: it is divisible by 2^22,
  // as every double of that size is. The exact count must round to within one unit in the last
  // place of it.
  long double exact = std::stold(count), published = std::stold(table.rows.at(file).at(3));
  INFO(count << " against " << table.rows.at(file).at(3));
  CHECK(count.size() == table.rows.at(file).at(3).size());
  CHECK(std::fabs(exact - published) <= std::ldexp(1.0L, 22));
}

TEST_CASE("compiled domains equal CDCL's on random choices of renault-megane",
          "[compiled][benchmarks]") {
  const fs::path path = kBenchmarks / "csp/renault-megane.xml";
  if (!fs::exists(path)) {
    WARN("skipped: " << path.string() << " is absent");
    return;
  }
  Configurator cfg = Configurator::from_file(path.string());
  const auto& engine = *cfg.engine();
  const detail::Model& m = engine.model();
  REQUIRE(engine.wait_compiled() != nullptr);
  auto solver = engine.solver();
  detail::DomainSolver cdcl(engine, *solver, 256, /*use_compiled=*/false);
  std::mt19937 rng(7);
  for (int session = 0; session < 6; ++session) {
    std::vector<detail::Lit> chosen;
    for (int click = 0; click < 12; ++click) {
      detail::DomainAnswer by_diagram;
      REQUIRE(detail::compiled_domains(engine, chosen, by_diagram));
      detail::DomainAnswer by_cdcl = cdcl.compute(chosen, {});
      REQUIRE(by_cdcl.complete);
      REQUIRE(by_diagram.feasible == by_cdcl.feasible);
      REQUIRE(by_diagram.valid == by_cdcl.valid);
      // Next: a random value of a random variable, valid or not (an invalid one makes the
      // choices infeasible, which both must say too).
      int v = static_cast<int>(rng() % m.vars.size());
      int k = static_cast<int>(rng() % m.vars[v].size());
      if (rng() % 4 != 0) {  // mostly valid values, so that sessions go deep
        std::vector<int> valid;
        for (int j = 0; j < m.vars[v].size(); ++j)
          if (by_cdcl.feasible && by_cdcl.valid[v][j]) valid.push_back(j);
        if (!valid.empty()) k = valid[rng() % valid.size()];
      }
      chosen.push_back(m.value_lit(v, k));
    }
  }
}

TEST_CASE("a catalog that does not compile within its budget keeps the solver and says why",
          "[compiled]") {
  Configurator cfg = Configurator::from_file(SUMISURA_SOURCE_DIR "/catalogs/shoes.yaml");
  CompileOptions tiny;
  tiny.work = 1000;
  CompileReport report = cfg.compile(tiny);
  CHECK_FALSE(report.compiled);
  CHECK_THAT(report.reason, Catch::Matchers::Contains("work budget"));
  // Settled: a later compile() reports the same verdict instead of compiling again.
  CHECK_FALSE(cfg.compile().compiled);
  // Sessions still answer, on CDCL; counting says why it cannot.
  Session s = cfg.session();
  CHECK(s.state().consistent);
  Count c = cfg.count();
  CHECK_FALSE(c.exact);
  CHECK_THAT(c.reason, Catch::Matchers::Contains("work budget"));
}
