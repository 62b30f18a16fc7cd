// The compiled back end on real models: its two forms agree value by value, its valid domains
// equal CDCL's on sampled choices, and a catalog out of budget keeps the solver, saying why.
// (Counts against REFERENCE.tsv and the oracles: test_properties_compiled.cpp.)
#include <catch2/catch.hpp>

#include <filesystem>
#include <random>

#include "compile/model.hpp"
#include "compiled/compiled_catalog.hpp"
#include "reason/domains.hpp"
#include "reason/engine.hpp"
#include "sumisura/sumisura.hpp"

using namespace sumisura;

namespace {

namespace fs = std::filesystem;
const fs::path kBenchmarks = SUMISURA_BENCHMARKS_DIR;

std::unique_ptr<detail::CompiledCatalog> compile(
    const Configurator& cfg, detail::CompileChoice choice = detail::CompileChoice::automatic) {
  detail::CompileBudget budget;  // work, memory and nodes bound it, whatever the build type
  std::string why;
  auto compiled = detail::CompiledCatalog::build(cfg.engine()->model(), budget, &why, choice);
  INFO(why);
  REQUIRE(compiled);
  return compiled;
}

}  // namespace

TEST_CASE("the decision diagram and the d-DNNF count every value alike on real models",
          "[compiled][benchmarks]") {
  // Two compilers sharing no code but the model: on the public models both compile within the
  // default budget, every per-value count must agree (and so must the totals).
  for (const char* file : {"csp/renault-medium.xml", "cnf/axtls.dimacs", "cnf/berkeleydb.dimacs",
                           "cnf/mercedes-D1119_M20.dimacs", "cnf/vp9.dimacs"}) {
    INFO(file);
    if (!fs::exists(kBenchmarks / file)) {
      WARN("skipped: " << (kBenchmarks / file).string() << " is absent");
      continue;
    }
    Configurator cfg = Configurator::from_file((kBenchmarks / file).string());
    auto diagram = compile(cfg, detail::CompileChoice::diagram);
    auto dnnf = compile(cfg, detail::CompileChoice::dnnf);
    std::vector<std::vector<detail::Natural>> by_diagram, by_dnnf;
    CHECK(diagram->value_counts({}, by_diagram).str() == dnnf->value_counts({}, by_dnnf).str());
    CHECK(by_diagram == by_dnnf);
  }
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
