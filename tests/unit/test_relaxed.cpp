// Relaxed compiled forms on the shipped bicycle catalog, whose sum of the parts' weights against
// the frame's rating keeps it from compiling whole: the form without that rule gives the valid
// values of every state exactly (the rule's least sum per value, one pass up and one down), as a
// solver call per value says; configure on it gives the products search gives.
// (Random catalogs against brute-force enumeration: test_properties_compiled.cpp,
// test_properties_configure.cpp.)
#include <catch2/catch.hpp>

#include <chrono>
#include <random>
#include <thread>

#include "compile/defaults.hpp"
#include "compile/model.hpp"
#include "compiled/compiled_catalog.hpp"
#include "reason/engine.hpp"
#include "sumisura/sumisura.hpp"

using namespace sumisura;

namespace {

Configurator relaxed_bicycle() {
  Configurator cfg =
      Configurator::from_file(std::string(SUMISURA_SOURCE_DIR) + "/catalogs/bicycle.yaml");
  CompileOptions options;
  options.form = "relaxed";
  CompileReport report = cfg.compile(options);
  INFO(report.reason);
  CHECK_FALSE(report.compiled);  // nothing but configure and sessions may use a relaxed form
  CHECK(report.reason.find("without rule 'system-weight'") != std::string::npos);
  return cfg;
}

/// Adds up to `n` values to `fixed`, each at random among the values still valid of a variable
/// that has more than one left; stops early where none is.
void add_valid_choices(const detail::CompiledCatalog& relaxed, detail::FixedValues& fixed, int n,
                       std::mt19937_64& rng) {
  std::vector<std::vector<char>> valid;
  bool feasible = false;
  for (int c = 0; c < n; ++c) {
    REQUIRE(relaxed.valid_values_relaxed(fixed, valid, feasible));
    if (!feasible) break;
    std::vector<std::pair<int, uint32_t>> open;
    for (size_t v = 0; v < valid.size(); ++v) {
      if (std::count(valid[v].begin(), valid[v].end(), 1) < 2) continue;
      for (size_t k = 0; k < valid[v].size(); ++k)
        if (valid[v][k]) open.push_back({static_cast<int>(v), static_cast<uint32_t>(k)});
    }
    if (open.empty()) break;
    fixed.push_back(open[rng() % open.size()]);
  }
}

}  // namespace

TEST_CASE("a relaxed form of bicycle gives each state's valid values as the solver does",
          "[compiled][relaxed]") {
  Configurator cfg = relaxed_bicycle();
  const auto& engine = *cfg.engine();
  const detail::Model& m = engine.model();
  const detail::CompiledCatalog* relaxed = engine.relaxed();
  REQUIRE(relaxed);
  REQUIRE(relaxed->left_out().size() == 1);
  std::unique_ptr<detail::SatSolver> solver = engine.solver();
  std::mt19937_64 rng(7);
  const int rider = m.option_var[1];  // rider_weight: heavy riders make the rule bind
  REQUIRE(m.catalog->options[1].id == "rider_weight");
  size_t states = 0, differ = 0, invalid_by_rule = 0;
  for (int round = 0; round < 12; ++round) {
    detail::FixedValues fixed;
    std::vector<std::vector<char>> valid;
    bool feasible = false;
    // Up to four choices, each among the values still valid; a heavy rider first, half the time.
    if (round % 2 == 0) {
      const int heavy = m.vars[rider].size() - 1 - static_cast<int>(rng() % 25);
      fixed.push_back({rider, static_cast<uint32_t>(heavy)});
    }
    add_valid_choices(*relaxed, fixed, static_cast<int>(rng() % 4) + 1, rng);
    REQUIRE(relaxed->valid_values_relaxed(fixed, valid, feasible));
    std::vector<std::vector<char>> superset;
    relaxed->valid_values(fixed, superset);
    std::vector<detail::Lit> base;
    for (auto [v, k] : fixed) base.push_back(m.vars[v].lits[k]);
    ++states;
    for (size_t v = 0; v < m.vars.size(); ++v) {
      for (int k = 0; k < m.vars[v].size(); ++k) {
        std::vector<detail::Lit> assumptions = base;
        assumptions.push_back(m.vars[v].lits[k]);
        bool truth = solver->solve(assumptions, {}) == detail::SatResult::sat;
        bool got = feasible && valid[v][k];
        if (got != truth) {
          ++differ;
          UNSCOPED_INFO("state " << states << ": FdVar " << v << " value " << k << " is "
                                 << (got ? "valid" : "invalid") << ", the solver says otherwise");
        }
        invalid_by_rule += !truth && superset[v][k];
      }
    }
  }
  CHECK(differ == 0);
  // The rule left out does bind in these states: some values valid without it are not with it.
  CHECK(invalid_by_rule > 0);
  INFO(states << " states");
}

TEST_CASE("configure on a relaxed form of bicycle gives what search gives", "[compiled][relaxed]") {
  Configurator cfg = relaxed_bicycle();
  Limits search;
  search.use_compiled = false;
  for (int rider : {75, 100, 125, 140}) {
    for (const char* frame : {"frame_gravel_carbon", "frame_e_mtb", "frame_trekking_alu"}) {
      Spec spec;
      spec.requirements = {Requirement::assignment_of("rider_weight", std::to_string(rider)),
                           Requirement::assignment_of("frame", frame)};
      spec.objective = {Objective::cheapest};
      INFO("rider_weight=" << rider << ", frame=" << frame);
      ConfigureResult a = cfg.configure(spec);
      ConfigureResult b = cfg.configure(spec, search);
      CHECK(a.status == b.status);
      CHECK_FALSE(b.stats.compiled);
      if (a.has_product() && b.has_product()) {
        CHECK(a.price.total == b.price.total);
        CHECK(a.stats.compiled);
      }
      if (!a.has_product()) CHECK(a.conflict.requirements == b.conflict.requirements);
    }
  }
}

TEST_CASE("a relaxed form of bicycle is saved in its compiled file and answers from it",
          "[compiled][relaxed]") {
  Configurator cfg = relaxed_bicycle();
  std::string bytes = cfg.compiled_bytes();
  Configurator loaded = Configurator::from_compiled_bytes(bytes);
  CompileReport report = loaded.compiled_form();
  CHECK_FALSE(report.compiled);
  CHECK(report.from_file);
  REQUIRE(report.left_out == std::vector<std::string>{"system-weight"});
  CHECK(report.reason.find("relaxed d-DNNF without rule 'system-weight'") != std::string::npos);
  CHECK(loaded.compiled_bytes() == bytes);  // the same form, saved again
  Spec spec;
  spec.requirements = {Requirement::assignment_of("frame", "frame_trekking_alu"),
                       Requirement::assignment_of("luggage_kg", "20"),
                       Requirement::bound_of("price", Decimal::from_integer(2500))};
  spec.objective = {Objective::cheapest};
  ConfigureResult a = loaded.configure(spec);
  Limits search;
  search.use_compiled = false;
  ConfigureResult b = loaded.configure(spec, search);
  CHECK(a.stats.compiled);
  CHECK(a.status == b.status);
  CHECK(a.price.total == b.price.total);
  // Domains from the file's relaxed form: the same as from the form compiled here.
  std::vector<Requirement> choices = {Requirement::assignment_of("rider_weight", "135"),
                                      Requirement::assignment_of("luggage_kg", "10")};
  Domains here = cfg.domains(choices);
  Domains there = loaded.domains(choices);
  REQUIRE(here.entries.size() == there.entries.size());
  for (size_t i = 0; i < here.entries.size(); ++i) {
    CHECK(here.entries[i].name == there.entries[i].name);
    CHECK(here.entries[i].values == there.entries[i].values);
  }
}

TEST_CASE("session price ranges on a relaxed form of bicycle are the search's",
          "[compiled][relaxed]") {
  Configurator relaxed = relaxed_bicycle();
  // The same catalog kept on search: a compilation with no work to spend settles it uncompiled.
  Configurator searched =
      Configurator::from_file(std::string(SUMISURA_SOURCE_DIR) + "/catalogs/bicycle.yaml");
  CompileOptions none;
  none.work = 1;
  REQUIRE_FALSE(searched.compile(none).compiled);
  REQUIRE(searched.compile(none).left_out.empty());
  // Heavy riders with luggage: the cheapest and dearest bikes of the relaxed form often break
  // the weight rule, and the range comes from the passes bounded by it.
  const std::vector<std::vector<std::pair<std::string, std::string>>> states = {
      {},
      {{"rider_weight", "140"}},
      {{"rider_weight", "130"}, {"luggage_kg", "20"}},
      {{"rider_weight", "120"}, {"luggage_kg", "30"}, {"frame_size", "L"}},
      {{"rider_weight", "95"}, {"frame", "frame_gravel_carbon"}},
      {{"rider_weight", "105"}, {"frame", "frame_gravel_carbon"}},
      {{"luggage_kg", "30"}, {"frame", "frame_e_mtb"}, {"rider_weight", "100"}},
      {{"rider_weight", "70"}, {"color", "sand"}}};
  for (const auto& choices : states) {
    Session a(relaxed), b(searched);
    std::string label;
    for (const auto& [name, value] : choices) {
      a.choose(name, value);
      b.choose(name, value);
      label += name + "=" + value + " ";
    }
    INFO(label);
    Limits generous;
    generous.seconds = 60;
    generous.price_seconds = 60;  // the search ranges of heavy riders take seconds
    const SessionState& x = a.state(generous);
    const SessionState& y = b.state(generous);
    CHECK(x.consistent == y.consistent);
    CHECK_FALSE(x.price_limited);
    CHECK_FALSE(y.price_limited);
    auto text = [](const std::optional<Decimal>& d) { return d ? d->to_string() : "none"; };
    CHECK(text(x.price_min) == text(y.price_min));
    CHECK(text(x.price_max) == text(y.price_max));
    REQUIRE(x.variables.size() == y.variables.size());
    for (size_t i = 0; i < x.variables.size(); ++i)
      CHECK(x.variables[i].valid_values() == y.variables[i].valid_values());
  }
}

TEST_CASE("each end of a price range on a relaxed form is bounded by the rule on its own",
          "[compiled][relaxed]") {
  Configurator cfg = relaxed_bicycle();
  const auto& engine = *cfg.engine();
  const detail::Model& m = engine.model();
  const detail::CompiledCatalog* relaxed = engine.relaxed();
  REQUIRE(relaxed);
  REQUIRE(relaxed->bounds_left_out());
  detail::PriceTerms price;
  for (const auto& t : m.price) price.push_back({t.lit, t.amount});
  const auto defaults = detail::default_costs(m);
  std::mt19937_64 rng(11);
  const int rider = m.option_var[1];
  size_t one_end = 0;  // states where one end met the rule and the other did not
  for (int round = 0; round < 40; ++round) {
    // A heavy rider, then up to two more values taken at random among the valid ones.
    detail::FixedValues fixed = {
        {rider, static_cast<uint32_t>(m.vars[rider].size() - 1 - static_cast<int>(rng() % 40))}};
    add_valid_choices(*relaxed, fixed, static_cast<int>(rng() % 3), rng);
    std::pair<std::vector<uint32_t>, std::vector<uint32_t>> tied, bounded;
    auto by_defaults = relaxed->price_range_tied(fixed, price, defaults, tied);
    auto exact = relaxed->price_range_tied(fixed, price, defaults, bounded, true);
    REQUIRE(by_defaults.has_value() == exact.has_value());
    if (!exact) continue;
    CHECK(relaxed->meets_left_out(m, bounded.first));
    CHECK(relaxed->meets_left_out(m, bounded.second));
    // An end whose product meets the rule is the bounded one; the other end, bounded alone, is
    // the bounded range's.
    bool low_met = relaxed->meets_left_out(m, tied.first);
    bool high_met = relaxed->meets_left_out(m, tied.second);
    if (low_met) CHECK(by_defaults->first == exact->first);
    if (high_met) CHECK(by_defaults->second == exact->second);
    one_end += low_met != high_met;
    // Bounding by the rule only narrows the range (its exactness against search: "session price
    // ranges on a relaxed form of bicycle are the search's").
    CHECK(exact->first >= by_defaults->first);
    CHECK(exact->second <= by_defaults->second);
    CHECK(exact->first <= exact->second);
  }
  CHECK(one_end > 0);
}

TEST_CASE("sessions answer on bicycle's relaxed form while its exact form is still compiling",
          "[compiled][relaxed]") {
  Configurator cfg =
      Configurator::from_file(std::string(SUMISURA_SOURCE_DIR) + "/catalogs/bicycle.yaml");
  const auto& engine = *cfg.engine();
  Session session(cfg);  // starts the background compilation
  session.choose("rider_weight", "120");
  // The relaxed form comes first (about 0.1 s); the exact one runs out of memory after seconds,
  // and only then is the outcome settled (relaxed() stays null until it is).
  const detail::CompiledCatalog* early = nullptr;
  const detail::CompiledCatalog* settled = nullptr;
  for (int i = 0; i < 6000 && !early; ++i) {
    early = engine.relaxed_now();
    settled = engine.relaxed();
    if (!early) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  REQUIRE(early);
  CHECK_FALSE(settled);  // the early form, not the settled outcome
  REQUIRE(early->left_out().size() == 1);
  CHECK(engine.model().groups[early->left_out()[0]].id == "system-weight");
  const SessionState& state = session.state();
  CHECK(state.consistent);
  CHECK_FALSE(state.price_limited);
  CHECK(state.price_min);
  // The engine's destruction cancels the rest of the compilation.
}
