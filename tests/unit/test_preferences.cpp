// Customer memory: past orders, profiles, earned tiers and the learned preference model.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <set>

#include "property_checks.hpp"
#include "random_catalog.hpp"
#include "sumisura/preferences.hpp"
#include "sumisura/session.hpp"

using namespace sumisura;
using namespace sumisura::proptest;

namespace {

std::string shoes_path() {
  return std::string(SUMISURA_SOURCE_DIR) + "/catalogs/shoes.yaml";
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

Order order_of(std::vector<Choice> choices, std::optional<Decimal> total = std::nullopt) {
  Order o;
  o.choices = std::move(choices);
  o.total = total;
  return o;
}

std::vector<std::string> values_of(const std::vector<ScoredValue>& ranked) {
  std::vector<std::string> out;
  for (const auto& r : ranked) out.push_back(r.value.to_string());
  return out;
}

/// Random option choices on a random catalog; after each, every option's recommendations must be
/// exactly the values some valid product has with the choices (brute force), ranked, summing to 1.
CaseOutcome recommend_case(uint64_t seed) {
  CaseOutcome out;
  Rng rng(seed);
  GeneratedCatalog g = generate_catalog(rng, 4000);
  out.catalog_yaml = g.yaml;
  const Catalog& c = g.catalog;
  if (!g.problem.empty() || c.options.empty()) return out;
  BruteForce world(c);
  const auto& valid = world.valid_configs();
  if (valid.empty()) return out;
  Configurator configurator(c);
  std::vector<Order> history;
  for (int i = 0; i < 30; ++i) {
    const Config& cfg = world.config(valid[rng.below(valid.size())]);
    Order o;
    for (size_t k = 0; k < c.options.size(); ++k)
      o.choices.push_back({c.options[k].id, option_value_text(c.options[k], cfg.options[k])});
    history.push_back(o);
  }
  static const PreferenceMethod methods[] = {PreferenceMethod::neighbours, PreferenceMethod::tree,
                                             PreferenceMethod::naive_bayes};
  LearnOptions options;
  options.method = methods[seed % 3];
  Session session =
      configurator.with_preferences(PreferenceModel::learn(configurator, history, options))
          .session();
  std::vector<int> chosen(c.options.size(), -1);
  for (int step = 0; step < 4; ++step) {
    size_t k = rng.below(c.options.size());
    int v = static_cast<int>(rng.below(c.options[k].values.size()));
    if (session.choose(c.options[k].id, option_value_text(c.options[k], v)).accepted) chosen[k] = v;
    for (size_t o = 0; o < c.options.size(); ++o) {
      std::set<std::string> expected;
      for (size_t i : valid) {
        const Config& cfg = world.config(i);
        bool consistent = true;
        for (size_t j = 0; j < c.options.size(); ++j)
          consistent = consistent && (chosen[j] < 0 || cfg.options[j] == chosen[j]);
        if (consistent) expected.insert(option_value_text(c.options[o], cfg.options[o]));
      }
      std::vector<ScoredValue> ranked = session.recommend(c.options[o].id);
      std::vector<std::string> got = values_of(ranked);
      if (std::set<std::string>(got.begin(), got.end()) != expected ||
          got.size() != expected.size())
        out.problems.push_back("recommend(" + c.options[o].id + ") is not the valid values");
      double sum = 0;
      for (size_t i = 0; i < ranked.size(); ++i) {
        sum += ranked[i].score;
        if (i > 0 && ranked[i].score > ranked[i - 1].score)
          out.problems.push_back("recommend(" + c.options[o].id + ") is not best first");
      }
      if (!ranked.empty() && std::abs(sum - 1) > 1e-9)
        out.problems.push_back("scores of " + c.options[o].id + " sum to " + std::to_string(sum));
    }
  }
  return out;
}

}  // namespace

TEST_CASE("recommendations are exactly the valid values, best first", "[property][preferences]") {
  RunSummary s = run_cases("recommend", 60, recommend_case);
  report(s, "recommend");
}

TEST_CASE("a learned model ranks what was sold most and survives saving", "[preferences]") {
  Configurator shoes = Configurator::from_file(shoes_path());
  std::vector<Order> history;
  for (int i = 0; i < 6; ++i) history.push_back(order_of({{"color", "navy"}, {"size", "44"}}));
  for (int i = 0; i < 2; ++i) history.push_back(order_of({{"color", "tan"}, {"size", "40"}}));
  for (auto method : {PreferenceMethod::neighbours, PreferenceMethod::tree,
                      PreferenceMethod::naive_bayes, PreferenceMethod::frequency}) {
    PreferenceModel model = PreferenceModel::learn(shoes, history, {method, 0, 1});
    CHECK(model.orders() == 8);
    Session s = shoes.with_preferences(model).session();
    std::vector<ScoredValue> colors = s.recommend("color");
    REQUIRE(!colors.empty());
    CHECK(colors[0].value.to_string() == "navy");
    // Given size 40, the tan buyers' size, the kernel and the tree follow them.
    REQUIRE(s.choose("size", "40").accepted);
    if (method == PreferenceMethod::neighbours || method == PreferenceMethod::tree)
      CHECK(s.recommend("color")[0].value.to_string() == "tan");
    // Saved and loaded, the model ranks the same, with the same scores.
    PreferenceModel loaded = PreferenceModel::from_json(shoes, model.to_json());
    CHECK(loaded.describe() == model.describe());
    Session t = shoes.with_preferences(loaded).session();
    REQUIRE(t.choose("size", "40").accepted);
    std::vector<ScoredValue> a = s.recommend("color"), b = t.recommend("color");
    REQUIRE(a.size() == b.size());
    for (size_t i = 0; i < a.size(); ++i) {
      CHECK(a[i].value == b[i].value);
      CHECK(a[i].score == Approx(b[i].score).epsilon(1e-9));
    }
  }
}

TEST_CASE("one more order updates a model without relearning", "[preferences]") {
  Configurator shoes = Configurator::from_file(shoes_path());
  PreferenceModel model = PreferenceModel::learn(shoes, {order_of({{"color", "tan"}})},
                                                 {PreferenceMethod::neighbours, 0.05, 1});
  Session before = shoes.with_preferences(model).session();
  CHECK(before.recommend("color")[0].value.to_string() == "tan");
  for (int i = 0; i < 3; ++i) model.add(order_of({{"color", "white"}}));
  CHECK(model.orders() == 4);
  CHECK(model.bandwidth() == 0.05);
  Session after = shoes.with_preferences(model).session();
  CHECK(after.recommend("color")[0].value.to_string() == "white");
  CHECK(before.recommend("color")[0].value.to_string() == "tan");  // sessions keep their model
  CHECK_THROWS_AS(model.add(order_of({{"colour", "white"}})), Error);
}

TEST_CASE("a returning customer's past orders and wishes lead the ranking", "[preferences]") {
  Configurator shoes = Configurator::from_file(shoes_path());
  Profile p;
  p.id = "c-1";
  p.orders.push_back(order_of({{"size", "44"}, {"color", "navy"}}, Decimal::from_integer(200)));
  Session stranger = shoes.session();
  Session known = shoes.session(p);
  // Without a model or a profile every valid value scores the same.
  std::vector<ScoredValue> plain = stranger.recommend("size");
  REQUIRE(plain.size() > 1);
  CHECK(plain.front().score == Approx(plain.back().score));
  CHECK(known.recommend("size")[0].value.to_string() == "44");
  CHECK(known.recommend("color")[0].value.to_string() == "navy");
  // A stated wish moves its value up.
  Preference wish;
  wish.text = "color == tan";
  wish.weight = Decimal::from_integer(3);
  p.preferences.push_back(wish);
  known.set_profile(p);
  CHECK(known.recommend("color")[0].value.to_string() == "tan");
  // configure for this customer picks their size.
  ConfigureResult r = shoes.configure(Spec{}, p);
  REQUIRE(r.status == Status::optimal);
  bool size44 = false;
  for (const auto& o : r.options)
    size44 = size44 || (o.option == "size" && o.value.to_string() == "44");
  CHECK(size44);
}

TEST_CASE("tiers earned by lifetime value set the price", "[preferences]") {
  std::string text = read_text(shoes_path());
  std::string from = "  - {id: trade, label: Trade partner, discount: 12%}";
  REQUIRE(text.find(from) != std::string::npos);
  text.replace(text.find(from), from.size(),
               from + "\n  - {id: gold, label: Gold, discount: 10%, lifetime_value: 1000}");
  Configurator shoes(parse_catalog(text, ModelFormat::yaml, "shoes-gold.yaml"));
  Profile p;
  p.orders.push_back(order_of({{"size", "42"}}, Decimal::from_integer(600)));
  CHECK(lifetime_value(shoes, p) == Decimal::from_integer(600));
  CHECK(tier_of(shoes, p) == "loyal");  // the catalog's own: 8% from 600 spent
  p.orders.push_back(order_of({{"size", "42"}}, Decimal::from_integer(450)));
  CHECK(tier_of(shoes, p) == "gold");  // 10% from 1000: the better one
  Profile newcomer;
  newcomer.orders.push_back(order_of({{"size", "42"}}, Decimal::from_integer(599)));
  CHECK(tier_of(shoes, newcomer).empty());
  // A named tier with a smaller discount does not take the earned one away.
  p.tier = "atelier_club";
  CHECK(tier_of(shoes, p) == "gold");
  // An order without a total is priced on the catalog.
  Profile q;
  q.orders.push_back(order_of({{"size", "42"}, {"color", "black"}}));
  Spec cheapest;
  cheapest.requirements = {Requirement::assignment_of("size", "42"),
                           Requirement::assignment_of("color", "black")};
  cheapest.objective = {Objective::cheapest};
  CHECK(lifetime_value(shoes, q) == shoes.configure(cheapest).price.total);
  // The gold customer pays 10% less than a stranger for the same product.
  ConfigureResult stranger = shoes.configure(cheapest);
  ConfigureResult gold = shoes.configure(cheapest, p);
  REQUIRE(gold.status == Status::optimal);
  CHECK(gold.price.tier.units() == -stranger.price.total.units() / 10);
  // And so does the session's price range.
  Session s = shoes.session(p);
  const SessionState& st = s.state();
  Session t = shoes.session();
  REQUIRE(st.price_min);
  CHECK(st.price_min->units() < t.state().price_min->units());
}

TEST_CASE("most_likely completes with the recommended values", "[preferences]") {
  Configurator shoes = Configurator::from_file(shoes_path());
  std::vector<Order> history(5, order_of({{"color", "white"}, {"toe", "chisel"}}));
  Configurator cfg = shoes.with_preferences(PreferenceModel::learn(shoes, history, {}));
  Session s = cfg.session();
  ConfigureResult r = s.complete({Objective::most_likely});
  REQUIRE(r.status == Status::optimal);
  std::map<std::string, std::string> got;
  for (const auto& o : r.options) got[o.option] = o.value.to_string();
  CHECK(got["color"] == "white");
  CHECK(got["toe"] == "chisel");
  Spec spec;
  spec.objective = {Objective::most_likely};
  spec.requirements = {Requirement::assignment_of("color", "tan")};
  ConfigureResult c = cfg.configure(spec);
  REQUIRE(c.status == Status::optimal);
  for (const auto& o : c.options) {
    if (o.option == "color") CHECK(o.value.to_string() == "tan");
    if (o.option == "toe") CHECK(o.value.to_string() == "chisel");
  }
  auto next = s.recommend_next();
  REQUIRE(next);
  CHECK(!next->values.empty());
}

TEST_CASE("malformed orders, profiles and models are named by file and line", "[preferences]") {
  Configurator shoes = Configurator::from_file(shoes_path());
  auto message = [](auto&& f) {
    try {
      f();
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK_THAT(message([&] { parse_orders(shoes, "size color\n42 navy\n43\n", "h.txt"); }),
             Catch::Contains("h.txt:3") && Catch::Contains("1 values for the header's 2"));
  CHECK_THAT(message([&] { parse_orders(shoes, "size colour\n42 navy\n", "h.txt"); }),
             Catch::Contains("h.txt:1") && Catch::Contains("colour"));
  CHECK_THAT(message([&] { parse_orders(shoes, "size color\n42 navy\n42 purple\n", "h.txt"); }),
             Catch::Contains("h.txt:3") && Catch::Contains("purple"));
  CHECK_THAT(message([&] {
               parse_orders(shoes, "{\"choices\": {\"size\": 42}}\n{\"choices\": \n", "o.jsonl");
             }),
             Catch::Contains("o.jsonl:2") && Catch::Contains("malformed JSON"));
  CHECK_THAT(message([&] {
               parse_profile("id: x\norders:\n  - {choices: {size: 42}, totl: 3}\n", "p.yaml");
             }),
             Catch::Contains("p.yaml:3") && Catch::Contains("totl"));
  Profile bad = parse_profile("id: x\norders:\n  - {choices: {size: 99}}\n", "p.yaml");
  CHECK_THAT(message([&] { shoes.session(bad); }),
             Catch::Contains("p.yaml:3") && Catch::Contains("'size' has no value '99'"));
  CHECK_THAT(message([&] { PreferenceModel::from_json(shoes, "{\"format\": 3}", "m.json"); }),
             Catch::Contains("m.json") && Catch::Contains("not a preference model"));
  CHECK_THAT(message([&] { parse_profile("tier: [a", "p.yaml"); }), Catch::Contains("p.yaml:1"));
  Profile unknown_tier;
  unknown_tier.tier = "platinum";
  CHECK_THAT(message([&] { tier_of(shoes, unknown_tier); }), Catch::Contains("platinum"));
  // Orders in every JSON shape the engine writes: configure results and saved sessions.
  Spec any;
  std::string result = to_json(shoes.configure(any));
  Session s = shoes.session();
  REQUIRE(s.choose("color", "navy").accepted);
  std::vector<Order> orders =
      parse_orders(shoes, "[" + result + "," + s.to_json() + "]", "mix.json");
  REQUIRE(orders.size() == 2);
  CHECK(orders[0].total);
  CHECK(orders[1].choices.size() == 1);
}
