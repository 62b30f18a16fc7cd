// Many threads share compiled catalogs: configure, domains, sessions (click, undo, save, resume),
// counting and explanations at once, on catalogs with and without the compiled form. Built and run
// under ThreadSanitizer (SUMISURA_TSAN=ON, .ci/run): a data race anywhere in what a backend shares
// between requests fails it. Answers are checked too: every thread must see what one thread alone
// sees.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

#include <atomic>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "sumisura/sumisura.hpp"

using namespace sumisura;

namespace {

std::string catalog_path(const std::string& name) {
  return std::string(SUMISURA_SOURCE_DIR) + "/catalogs/" + name;
}

/// Some choices a shopper of this catalog can make: each option's values as the catalog lists
/// them (valid or not under the others: refusals are answers too).
std::vector<std::pair<std::string, std::string>> choices_of(const Configurator& c) {
  std::vector<std::pair<std::string, std::string>> out;
  Session s = c.session();
  for (const auto& v : s.state().variables) {
    for (const auto& value : v.valid_values()) out.emplace_back(v.name, value.to_string());
  }
  return out;
}

struct Work {
  const Configurator* configurator;
  std::vector<std::pair<std::string, std::string>> choices;
  std::vector<std::string> expected;  // one thread's answers, to compare with
};

/// One request mix, deterministic for a seed: its answers as text.
std::vector<std::string> serve(const Work& w, uint64_t seed, int rounds) {
  std::mt19937_64 rng(seed);
  std::vector<std::string> answers;
  Limits limits;
  limits.seconds = 0;  // no deadline: answers must not depend on timing...
  limits.price_seconds = 0;
  limits.conflicts = 2000;  // ...but a bound all the same (deterministic: a count of conflicts)
  auto pick = [&] { return w.choices[rng() % w.choices.size()]; };
  for (int round = 0; round < rounds; ++round) {
    Spec spec;
    auto [name, value] = pick();
    spec.requirements.push_back(Requirement::parse_where(name + "=" + value));
    ConfigureResult r = w.configurator->configure(spec, limits);
    answers.push_back(std::string(to_string(r.status)) + " " + r.price.total.to_string());
    Domains d = w.configurator->domains({Requirement::parse_where(name + "=" + value)}, limits);
    size_t values = 0;
    for (const auto& e : d.entries) values += e.values.size();
    answers.push_back(std::to_string(d.feasible) + " " + std::to_string(values));
    Session s = w.configurator->session();
    for (int click = 0; click < 4; ++click) {
      auto [n, v] = pick();
      ChooseResult c = s.choose(n, v, limits);
      answers.push_back(n + "=" + v + (c.accepted ? " accepted" : " refused"));
    }
    const SessionState& state = s.state(limits);
    answers.push_back(std::to_string(state.variables.size()) + " " +
                      (state.price_min ? state.price_min->to_string() : "-") + " " +
                      (state.price_max ? state.price_max->to_string() : "-"));
    std::string saved = s.to_json();
    Session resumed = Session::from_json(*w.configurator, saved);
    answers.push_back(resumed.to_json() == saved ? "resumed" : "resume differs");
    if (!s.choices().empty()) s.unchoose(s.choices().back().name);
    answers.push_back(std::to_string(s.state(limits).variables.size()));
  }
  return answers;
}

}  // namespace

TEST_CASE("threads sharing compiled catalogs answer as one thread alone does", "[tsan]") {
  // Priced and compiled (shoes, kitchen: passes), and shoes again left to search (whose sessions
  // start its compilation in the background meanwhile). Bicycle, which never compiles, is left
  // out: its price ranges by search take a second each, and the test runs under TSan.
  std::vector<Configurator> catalogs;
  for (const char* name : {"shoes.yaml", "kitchen.yaml"}) {
    catalogs.push_back(Configurator::from_file(catalog_path(name)));
    catalogs.back().compile();
  }
  catalogs.push_back(Configurator::from_file(catalog_path("shoes.yaml")));
  std::vector<Work> work;
  for (const auto& c : catalogs) work.push_back({&c, choices_of(c), {}});
  const int rounds = 3;
  for (size_t i = 0; i < work.size(); ++i) work[i].expected = serve(work[i], 7 + i, rounds);

  const int threads = 6;
  std::atomic<int> mismatches{0};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      // Every thread serves every catalog, in a different order, so that catalogs are used by
      // several threads at once from their first request on.
      for (size_t k = 0; k < work.size(); ++k) {
        size_t i = (k + t) % work.size();
        auto got = serve(work[i], 7 + i, rounds);
        if (got != work[i].expected) {
          ++mismatches;
          for (size_t j = 0; j < got.size() && j < work[i].expected.size(); ++j)
            if (got[j] != work[i].expected[j]) {
              UNSCOPED_INFO("catalog " << i << " answer " << j << ": " << got[j] << " vs "
                                       << work[i].expected[j]);
              break;
            }
        }
      }
    });
  }
  for (auto& th : pool) th.join();
  CHECK(mismatches == 0);
}

TEST_CASE("a catalog's first requests race to build what it shares", "[tsan]") {
  // Nothing computed before the threads start: witnesses, explanation solvers and the
  // background compilation are all built under contention.
  Configurator c = Configurator::from_file(catalog_path("shoes.yaml"));
  Work w{&c, choices_of(Configurator::from_file(catalog_path("shoes.yaml"))), {}};
  std::vector<std::thread> pool;
  std::vector<std::vector<std::string>> answers(6);
  for (int t = 0; t < 6; ++t) pool.emplace_back([&, t] { answers[t] = serve(w, 11, 2); });
  for (auto& th : pool) th.join();
  for (int t = 1; t < 6; ++t) CHECK(answers[t] == answers[0]);
  std::vector<Requirement> none;
  std::vector<std::thread> counters;
  std::vector<std::string> counts(4);
  for (int t = 0; t < 4; ++t) counters.emplace_back([&, t] { counts[t] = c.count(none).count; });
  for (auto& th : counters) th.join();
  for (int t = 1; t < 4; ++t) CHECK(counts[t] == counts[0]);
}
