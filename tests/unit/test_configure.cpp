// configure: hand-computed answers on a small shoe catalog (prices, bundles, tiers, conflicts,
// repairs, relaxations, measures, preferences) and exact arithmetic on large numbers.
#include <catch2/catch.hpp>

#include <set>

#include "sumisura/sumisura.hpp"

using namespace sumisura;

namespace {

const char* kShoes = R"(
catalog: {name: Test shoes, version: "1", currency: EUR}
attributes:
  - {id: lead_days, type: number, unit: days}
options:
  - {id: size, range: [38, 44], default: 42}
  - id: color
    values: [black, navy, {value: oxblood, price: 15}]
  - {id: gift_box, type: boolean, price: 5}
blocks:
  - {id: sole_leather, price: 45, attributes: {material: leather, weight: 220, lead_days: 10, sizes: [38, 39, 40, 41, 42]}}
  - {id: sole_rubber, price: 25, attributes: {material: rubber, weight: 300, lead_days: 3, sizes: [38, 39, 40, 41, 42, 43, 44]}}
  - {id: upper_calf, price: 90, attributes: {material: leather, weight: 250, lead_days: 7}}
  - {id: upper_canvas, price: 40, attributes: {material: canvas, weight: 150, lead_days: 2}}
  - {id: insole_cork, price: 12, attributes: {weight: 30, lead_days: 1}}
  - {id: lace_waxed, price: 4, attributes: {weight: 5}}
  - {id: lace_flat, price: 2, attributes: {weight: 5}}
slots:
  - {id: sole, cardinality: 1, blocks: [sole_leather, sole_rubber]}
  - {id: upper, cardinality: 1, blocks: [upper_calf, upper_canvas]}
  - {id: insole, cardinality: 0..1, blocks: [insole_cork]}
  - {id: laces, cardinality: 1..2, repeat: true, blocks: [lace_waxed, lace_flat]}
services:
  - {id: engraving, price: 12, offered_when: 'upper.material == "leather"'}
  - {id: warranty, price: 10% of product}
bundles:
  - {id: comfort, items: [insole_cork, warranty], discount: 5}
tiers:
  - {id: gold, discount: 10%}
measures:
  - {id: lead_time, unit: days, expression: max(lead_days)}
  - {id: weight, unit: g, expression: sum(weight)}
rules:
  - id: sole-sizes
    message: This sole is not made in your size.
    require: size in sole.sizes
  - id: leather-welt
    message: Calf uppers need a leather sole.
    when: upper == upper_calf
    require: sole.material == "leather"
  - id: navy-canvas
    message: Navy is only available in canvas.
    forbid: color == navy and upper.material == "leather"
  - id: giftbox
    message: Gift boxes come with a spare pair of laces.
    require: gift_box implies count(laces) == 2
)";

Configurator shoes() {
  return Configurator(parse_catalog(kShoes, ModelFormat::yaml, "shoes.yaml"));
}

Spec where(std::initializer_list<const char*> choices) {
  Spec s;
  for (const char* c : choices) s.requirements.push_back(Requirement::parse_where(c));
  return s;
}

std::string total(const ConfigureResult& r) {
  return r.price.total.to_fixed(2);
}

std::string slot(const ConfigureResult& r, const std::string& name) {
  for (const auto& s : r.slots) {
    if (s.slot == name) return s.blocks.empty() ? "none" : s.blocks[0].block;
  }
  return "?";
}

}  // namespace

TEST_CASE("configure finds the cheapest product", "[configure]") {
  ConfigureResult r = shoes().configure({});
  REQUIRE(r.status == Status::optimal);
  CHECK(total(r) == "67.00");  // rubber 25 + canvas 40 + flat lace 2
  CHECK(slot(r, "sole") == "sole_rubber");
  CHECK(slot(r, "upper") == "upper_canvas");
  CHECK(r.price.blocks == Decimal::from_integer(67));
  REQUIRE(r.measures.size() == 2);
  CHECK(r.measures[0].value == Decimal::from_integer(3));    // max lead days
  CHECK(r.measures[1].value == Decimal::from_integer(455));  // 300 + 150 + 5
  REQUIRE(r.bom.size() == 3);
}

TEST_CASE("requirements propagate through rules", "[configure]") {
  ConfigureResult r = shoes().configure(where({"upper=upper_calf"}));
  REQUIRE(r.status == Status::optimal);
  CHECK(total(r) == "137.00");
  CHECK(slot(r, "sole") == "sole_leather");
}

TEST_CASE("repeat slots carry quantities to the bill of materials", "[configure]") {
  ConfigureResult r = shoes().configure(where({"gift_box=true"}));
  REQUIRE(r.status == Status::optimal);
  CHECK(total(r) == "74.00");  // 67 + a second flat lace 2 + gift box 5
  bool found = false;
  for (const auto& line : r.bom) {
    if (line.block == "lace_flat") {
      CHECK(line.quantity == 2);
      CHECK(line.line_price == Decimal::from_integer(4));
      found = true;
    }
  }
  CHECK(found);
}

TEST_CASE("percentage services, bundles and tiers are priced exactly", "[configure]") {
  Configurator c = shoes();
  ConfigureResult w = c.configure(where({"warranty=true"}));
  REQUIRE(w.status == Status::optimal);
  CHECK(total(w) == "73.70");  // 67 + 10% of 67

  ConfigureResult b = c.configure(where({"warranty=true", "insole=insole_cork"}));
  REQUIRE(b.status == Status::optimal);
  CHECK(total(b) == "81.90");  // 79 + 7.90 - 5 bundle
  CHECK(b.price.bundles == Decimal::from_integer(-5));
  REQUIRE(b.bundles == std::vector<std::string>{"comfort"});

  Spec gold;
  gold.tier = "gold";
  ConfigureResult g = c.configure(gold);
  CHECK(total(g) == "60.30");
  CHECK(g.price.tier.to_fixed(2) == "-6.70");
}

TEST_CASE("infeasible requests get a minimal conflict and ranked repairs", "[configure]") {
  ConfigureResult r = shoes().configure(where({"size=44", "upper=upper_calf", "color=navy"}));
  REQUIRE(r.status == Status::infeasible);
  std::set<std::string> conflict(r.conflict.requirements.begin(), r.conflict.requirements.end());
  bool one_of_the_two = conflict == std::set<std::string>{"size=44", "upper=upper_calf"} ||
                        conflict == std::set<std::string>{"upper=upper_calf", "color=navy"};
  CHECK(one_of_the_two);
  CHECK(r.conflict.minimal);
  CHECK_FALSE(r.conflict.rules.empty());
  for (const auto& rule : r.conflict.rules) CHECK(rule.line > 0);
  REQUIRE(r.repairs.size() == 2);
  CHECK(r.repairs[0].drop == std::vector<std::string>{"upper=upper_calf"});
  CHECK(r.repairs[1].drop == std::vector<std::string>{"size=44", "color=navy"});
  REQUIRE(r.repairs[0].result);
  CHECK(total(*r.repairs[0].result) == "67.00");
}

TEST_CASE("a budget that is too low can be relaxed to the least price that works", "[configure]") {
  Spec s = where({"upper=upper_calf"});
  s.requirements.push_back(Requirement::bound_of("price", Decimal::from_integer(100)));
  ConfigureResult r = shoes().configure(s);
  REQUIRE(r.status == Status::infeasible);
  REQUIRE(r.repairs.size() == 2);
  // Equal weight: the older requirement goes first.
  CHECK(r.repairs[0].drop == std::vector<std::string>{"upper=upper_calf"});
  CHECK(r.repairs[1].drop == std::vector<std::string>{"price <= 100"});
  REQUIRE(r.repairs[1].relax.size() == 1);
  CHECK(r.repairs[1].relax[0].to == Decimal::from_integer(137));
  REQUIRE(r.repairs[1].result);
  CHECK(total(*r.repairs[1].result) == "137.00");
}

TEST_CASE("measures can be bounded", "[configure]") {
  Spec s;
  s.requirements.push_back(Requirement::bound_of("lead_time", Decimal::from_integer(2)));
  ConfigureResult r = shoes().configure(s);
  REQUIRE(r.status == Status::infeasible);
  REQUIRE(!r.repairs.empty());
  REQUIRE(r.repairs[0].relax.size() == 1);
  CHECK(r.repairs[0].relax[0].to == Decimal::from_integer(3));
}

TEST_CASE("preferences are maximised, then price", "[configure]") {
  Spec s;
  s.preferences.push_back({"color == oxblood", Decimal::from_integer(3), {}});
  s.preferences.push_back({"upper.material == \"leather\"", Decimal::from_integer(1), {}});
  ConfigureResult r = shoes().configure(s);
  REQUIRE(r.status == Status::optimal);
  CHECK(total(r) == "152.00");  // calf 90 + leather sole 45 + lace 2 + oxblood 15
  REQUIRE(r.preferences.size() == 2);
  CHECK(r.preferences[0].met);
  CHECK(r.preferences[1].met);

  s.objective = {Objective::cheapest};
  ConfigureResult cheap = shoes().configure(s);
  CHECK(total(cheap) == "67.00");
  CHECK_FALSE(cheap.preferences[0].met);
}

TEST_CASE("answers are deterministic", "[configure]") {
  Configurator c = shoes();
  Spec s = where({"size=40"});
  s.preferences.push_back({"color == navy", Decimal::from_integer(2), {}});
  ConfigureResult a = c.configure(s), b = c.configure(s);
  a.stats = b.stats = {};
  CHECK(to_json(a) == to_json(b));
}

TEST_CASE("specifications that name nothing real are errors", "[configure]") {
  Configurator c = shoes();
  CHECK_THROWS_AS(c.configure(where({"colour=black"})), Error);
  CHECK_THROWS_AS(c.configure(where({"color=purple"})), Error);
  Spec s;
  s.requirements.push_back(Requirement::expression_of("sole.material == 3"));
  try {
    c.configure(s);
    FAIL("expected a spec error");
  } catch (const Error& e) {
    CHECK(e.kind() == ErrorKind::spec);
  }
}

TEST_CASE("specifications read from YAML", "[configure][spec]") {
  Spec s = parse_spec(R"(
require:
  - size == 40
  - {expression: 'upper.material == "leather"', weight: 2}
prefer:
  - {'color == oxblood': 3}
max: {price: 200}
objective: [preferred, cheapest]
)");
  REQUIRE(s.requirements.size() == 3);
  CHECK(s.requirements[1].weight == Decimal::from_integer(2));
  CHECK(s.requirements[2].kind == Requirement::Kind::bound);
  ConfigureResult r = shoes().configure(s);
  REQUIRE(r.status == Status::optimal);
  CHECK(total(r) == "152.00");
  CHECK_THROWS_AS(parse_spec("require: [size == 40\n"), Error);
  CHECK_THROWS_AS(parse_spec("wish: []\n"), Error);
}

TEST_CASE("large and fractional numbers are exact", "[configure][arithmetic]") {
  // Prices near 2^52 units of 10^-6 lose precision in doubles; the engine must not.
  Configurator c(parse_catalog(R"(
catalog: {name: Big, currency: EUR}
blocks:
  - {id: a1, price: 4503599627.370497, attributes: {w: 0.000001}}
  - {id: a2, price: 4503599627.370496, attributes: {w: 0.000003}}
  - {id: b1, price: 1000000000.5, attributes: {w: 2.5}}
  - {id: b2, price: 1000000000.25, attributes: {w: 2.75}}
slots:
  - {id: a, blocks: [a1, a2]}
  - {id: b, blocks: [b1, b2]}
rules:
  - {id: light, require: sum(w) <= 2.750001}
)"));
  ConfigureResult r = c.configure({});
  REQUIRE(r.status == Status::optimal);
  // b2 (w 2.75) fits only with a1 (w 0.000001), and that pair is the cheapest by 0.249999.
  CHECK(r.price.total.to_string() == "5503599627.620497");
  Spec s;
  s.requirements.push_back(Requirement::parse_where("a=a2"));  // a2 leaves room for b1 only
  ConfigureResult r2 = c.configure(s);
  REQUIRE(r2.status == Status::optimal);
  CHECK(r2.price.total.to_string() == "5503599627.870496");
}

TEST_CASE("arithmetic in rules: sums, products and negative numbers", "[configure][arithmetic]") {
  Configurator c(parse_catalog(R"(
catalog: {name: Arith}
options:
  - {id: x, range: [-3, 3]}
  - {id: y, range: [-3, 3]}
rules:
  - {id: r1, require: x * y == -6}
  - {id: r2, require: x - y > 0}
  - {id: r3, require: 2 * x + y * 3 != 0}
)"));
  Domains d = c.domains({});
  REQUIRE(d.feasible);
  // x*y = -6 with x > y: (2,-3) or (3,-2); 2x+3y: -5 and 0 -> only (2,-3).
  REQUIRE(d.entries.size() == 2);
  CHECK(d.entries[0].values == std::vector<Value>{Value::integer(2)});
  CHECK(d.entries[1].values == std::vector<Value>{Value::integer(-3)});
}

TEST_CASE("count(block) counts the block as many times as the product holds it", "[configure]") {
  // Issue 14: "2 bags of 10 l" — count(bag_10) was a 0/1 condition, so the rule below had no
  // product at all.
  const char* kBags = R"(
catalog: {name: Panniers, version: "1", currency: EUR}
blocks:
  - {id: bag_10, price: 30, attributes: {litres: 10}}
  - {id: bag_20, price: 45, attributes: {litres: 20}}
slots:
  - {id: bags, cardinality: 0..4, repeat: true, blocks: [bag_10, bag_20]}
rules:
  - {id: pair, require: count(bag_10) == 2}
  - {id: stowage, require: "count(bag_10, bag_20) >= 3 or sum(litres) >= 60"}
)";
  Configurator c(parse_catalog(kBags, ModelFormat::yaml, "bags.yaml"));
  ConfigureResult r = c.configure({});
  REQUIRE(r.status == Status::optimal);
  CHECK(r.price.total == Decimal::from_integer(105));  // two bags of 10 and one of 20
  int tens = 0, twenties = 0;
  for (const auto& line : r.bom) {
    if (line.block == "bag_10") tens = line.quantity;
    if (line.block == "bag_20") twenties = line.quantity;
  }
  CHECK(tens == 2);
  CHECK(twenties == 1);
  // Two bags of 10 and one or two of 20 (none: two bags and 20 l fall short of both).
  CHECK(c.count({}).count == "2");
}

namespace {

// Two laces at the same price: only the slot's default can settle which one a product gets.
Configurator laces(const std::string& default_line) {
  std::string yaml = R"(
catalog: {name: Laces, version: "1", currency: EUR}
blocks:
  - {id: lace_waxed, price: 3}
  - {id: lace_flat, price: 3}
  - {id: bell, price: 0}
  - {id: light, price: 0}
  - {id: rack, price: 0}
slots:
  - {id: extras, cardinality: 0..2, blocks: [bell, light, rack], default: [bell, rack]}
  - {id: laces, blocks: [lace_waxed, lace_flat])" +
                     default_line + R"(}
)";
  return Configurator(parse_catalog(yaml, ModelFormat::yaml, "laces.yaml"));
}

std::vector<std::string> blocks_in(const ConfigureResult& r, const std::string& slot) {
  std::vector<std::string> out;
  for (const auto& s : r.slots)
    if (s.slot == slot)
      for (const auto& b : s.blocks) out.push_back(b.block);
  return out;
}

}  // namespace

TEST_CASE("slot defaults settle ties the catalog designer's way", "[configure]") {
  for (const char* d : {"lace_waxed", "lace_flat"}) {
    Configurator c = laces(std::string(", default: ") + d);
    ConfigureResult r = c.configure({});
    REQUIRE(r.status == Status::optimal);
    CHECK(blocks_in(r, "laces") == std::vector<std::string>{d});
    CHECK(blocks_in(r, "extras") == std::vector<std::string>{"bell", "rack"});
    // The same on the compiled form.
    c.compile();
    CHECK(blocks_in(c.configure({}), "laces") == std::vector<std::string>{d});
    // A session shows it before the customer chooses, and a choice overrides it.
    Session s = c.session();
    CHECK(s.state().find("laces")->default_value == Value::string(d));
    std::string other = std::string(d) == "lace_flat" ? "lace_waxed" : "lace_flat";
    REQUIRE(s.choose("laces", other).accepted);
    CHECK_FALSE(s.state().find("laces")->default_value);
    CHECK(blocks_in(c.configure(where({("laces=" + other).c_str()})), "laces") ==
          std::vector<std::string>{other});
  }
}

TEST_CASE("slot defaults are checked against the slot", "[configure]") {
  auto error_of = [](const std::string& default_line) {
    try {
      laces(default_line);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  CHECK_THAT(error_of(", default: bell"),
             Catch::Contains("names bell, which is not among its blocks"));
  CHECK_THAT(error_of(", default: none"), Catch::Contains("holds 0 blocks, but the slot holds 1"));
  CHECK_THAT(error_of(", default: [lace_flat, lace_flat]"),
             Catch::Contains("names lace_flat twice; without 'repeat: true'"));
  CHECK(error_of(", default: lace_flat") == "no error");
}

TEST_CASE("slot defaults survive YAML, in every form", "[configure]") {
  const char* kForms = R"(
catalog: {name: Forms, version: "1", currency: EUR}
blocks:
  - {id: a, price: 1}
  - {id: b, price: 1}
slots:
  - {id: one, blocks: [a, b], default: b}
  - {id: maybe, cardinality: 0..1, blocks: [a, b], default: none}
  - {id: several, cardinality: 0..3, blocks: [a, b], default: [a, b]}
  - {id: twice, cardinality: 1..3, repeat: true, blocks: [a, b], default: [a, a]}
  - {id: unset, cardinality: 0..1, blocks: [a, b]}
)";
  Catalog c = parse_catalog(kForms, ModelFormat::yaml, "forms.yaml");
  using Ids = std::vector<std::string>;
  CHECK(c.slots[0].default_blocks == Ids{"b"});
  CHECK(c.slots[1].default_blocks == Ids{});
  CHECK(c.slots[2].default_blocks == Ids{"a", "b"});
  CHECK(c.slots[3].default_blocks == Ids{"a", "a"});
  CHECK_FALSE(c.slots[4].default_blocks);
  Catalog again = parse_catalog(to_yaml(c), ModelFormat::yaml, "again.yaml");
  CHECK(again == c);
  // Price comes first, the defaults settle what it leaves open: one block in `twice` (the
  // cheapest count), and it is `a`, closer to the default [a, a] than `b` is.
  ConfigureResult r = Configurator(c).configure({});
  REQUIRE(r.status == Status::optimal);
  CHECK(blocks_in(r, "one") == Ids{"b"});
  CHECK(blocks_in(r, "maybe").empty());
  CHECK(blocks_in(r, "several").empty());
  CHECK(blocks_in(r, "twice") == Ids{"a"});
}

TEST_CASE("a slot may hold counts that are not a range: 0 or 2 bags, never 1", "[configure]") {
  const char* kWheel = R"(
catalog: {name: Wheel bags, version: "1", currency: EUR}
blocks:
  - {id: bag_10, price: 30}
  - {id: bag_20, price: 45}
slots:
  - {id: bags, label: Wheel bags, cardinality: [0, 2], repeat: true, blocks: [bag_10, bag_20]}
  - {id: spares, cardinality: [0, 2..4], repeat: true, blocks: [bag_10]}
options:
  - {id: touring, type: boolean}
rules:
  - {id: touring-bags, require: touring implies count(bags) >= 1}
)";
  Catalog cat = parse_catalog(kWheel, ModelFormat::yaml, "wheel.yaml");
  CHECK(cat.slots[0].min == 0);
  CHECK(cat.slots[0].max == 2);
  CHECK(cat.slots[0].counts == std::vector<int>{0, 2});
  CHECK(cardinality_text(cat.slots[1]) == "0, 2..4");
  CHECK(parse_catalog(to_yaml(cat), ModelFormat::yaml, "again.yaml") == cat);
  Configurator c(cat);
  // One bag is not to be had: touring takes the two cheapest.
  ConfigureResult r = c.configure(where({"touring=true"}));
  REQUIRE(r.status == Status::optimal);
  CHECK(r.price.total == Decimal::from_integer(60));
  // Bags: none, or two of 10, 10+20, 20+20 (touring: not none); spares: none, or 2, 3 or 4.
  CHECK(c.count({}).count == std::to_string((4 + 3) * 4));
  // Exactly one bag asked for: the slot's own rule says why not.
  Spec one;
  one.requirements.push_back(Requirement::expression_of("count(bags) == 1"));
  ConfigureResult none = c.configure(one);
  REQUIRE(none.status == Status::infeasible);
  bool said = false;
  for (const auto& rule : none.conflict.rules)
    said |= rule.message == "Wheel bags holds 0 or 2 blocks";
  CHECK(said);
}

TEST_CASE("cardinalities that are not counts are refused with their text", "[configure]") {
  for (const char* bad : {"[0, x]", "[0, 3..1]", "\"-1\"", "[]"}) {
    std::string yaml = std::string(R"(
catalog: {name: Bad, version: "1", currency: EUR}
blocks: [{id: a}]
slots: [{id: s, blocks: [a], cardinality: )") +
                       bad + "}]\n";
    INFO(bad);
    CHECK_THROWS_WITH(parse_catalog(yaml, ModelFormat::yaml, "bad.yaml"),
                      Catch::Contains("cardinality must be a count"));
  }
}

TEST_CASE("a slot's default does not favour the products that have the slot", "[configure]") {
  // Products without the slot hold it empty: that is not a departure from its default (as an
  // option a product does not show keeps its default). Here only the option's default decides:
  // product b keeps color black; a must be white.
  const char* kTwo = R"(
catalog: {name: Two, version: "1", currency: EUR}
options:
  - {id: color, values: [black, white], default: black}
blocks:
  - {id: f1, price: 0}
  - {id: x, price: 0}
  - {id: y, price: 0}
slots:
  - {id: frame, blocks: [f1]}
  - {id: extras, cardinality: 0..2, blocks: [x, y], default: [x, y]}
products:
  - {id: a, base_price: 10, slots: [frame, extras]}
  - {id: b, base_price: 10, slots: [frame]}
rules:
  - {id: a-white, require: a implies color == white}
)";
  Configurator c(parse_catalog(kTwo, ModelFormat::yaml, "two.yaml"));
  ConfigureResult r = c.configure({});
  REQUIRE(r.status == Status::optimal);
  CHECK(r.product == "b");
  c.compile();
  CHECK(c.configure({}).product == "b");
  // Where a is chosen, its extras take their default.
  CHECK(blocks_in(c.configure(where({"product=a"})), "extras") ==
        std::vector<std::string>{"x", "y"});
}

TEST_CASE("objectives on measures: the lightest, the heaviest, lexicographic", "[configure]") {
  Configurator c = shoes();
  Spec s;
  s.objective = {Objective(Objective::minimize, "weight")};
  ConfigureResult light = c.configure(s);
  REQUIRE(light.status == Status::optimal);
  // Leather sole 220 + canvas 150 + one lace 5; the cheaper lace settles the tie.
  CHECK(slot(light, "sole") == "sole_leather");
  CHECK(slot(light, "upper") == "upper_canvas");
  CHECK(total(light) == "87.00");

  s.objective = parse_objectives("maximize weight, cheapest");
  ConfigureResult heavy = c.configure(s);
  REQUIRE(heavy.status == Status::optimal);
  // Leather sole and calf 470, cork 30, two laces 10: 510 g at the least price for it.
  CHECK(slot(heavy, "upper") == "upper_calf");
  CHECK(slot(heavy, "insole") == "insole_cork");
  CHECK(total(heavy) == "151.00");

  // Cheapest first: the 67.00 product is the only one at that price, whatever it weighs.
  s.objective = parse_objectives("cheapest, minimize weight");
  CHECK(total(c.configure(s)) == "67.00");
  s.objective = {Objective::parse("minimize price")};
  CHECK(s.objective[0] == Objective::cheapest);
}

TEST_CASE("a lower bound on a measure, and its relaxation", "[configure]") {
  Configurator c = shoes();
  Spec s = parse_spec("min: {weight: 460}\n");
  REQUIRE(s.requirements.size() == 1);
  CHECK(s.requirements[0].at_least);
  CHECK(s.requirements[0].label() == "weight >= 460");
  ConfigureResult r = c.configure(s);
  REQUIRE(r.status == Status::optimal);
  CHECK(total(r) == "69.00");  // rubber and canvas (450) with two laces (10)

  ConfigureResult none = c.configure(parse_spec("min: {weight: 600}\nrequire: [size == 43]\n"));
  REQUIRE(none.status == Status::infeasible);
  REQUIRE(none.repairs.size() == 1);
  CHECK(none.repairs[0].drop == std::vector<std::string>{"weight >= 600"});
  REQUIRE(none.repairs[0].relax.size() == 1);
  // Size 43 takes the rubber sole: rubber 300 + canvas 150 + cork 30 + two laces 10.
  CHECK(none.repairs[0].relax[0].to == Decimal::from_integer(490));
  REQUIRE(none.repairs[0].result);
  CHECK(total(*none.repairs[0].result) == "81.00");
}

TEST_CASE("objectives are read and named plainly", "[configure][spec]") {
  Spec s = parse_spec("objective: [{maximize: weight}, 'minimize lead_time', cheapest]\n");
  REQUIRE(s.objective.size() == 3);
  CHECK(s.objective[0] == Objective(Objective::maximize, "weight"));
  CHECK(s.objective[1].text() == "minimize lead_time");
  CHECK(parse_spec("objective: preferred\n").objective[0] == Objective::preferred);
  CHECK(parse_spec("objective: 'cheapest, minimize weight'\n").objective ==
        std::vector<Objective>{Objective::cheapest, Objective(Objective::minimize, "weight")});
  CHECK(parse_spec("objective: [{minimize: price}]\n").objective[0] == Objective::cheapest);
  CHECK_THROWS_WITH(parse_spec("objective: [{lightest: weight}]\n"),
                    Catch::Contains("{minimize: MEASURE}"));
  CHECK_THROWS_WITH(parse_spec("objective: [lightest]\n"),
                    Catch::Contains("minimize MEASURE") && Catch::Contains("<spec>:1:13"));
  CHECK_THROWS_AS(parse_objectives("minimize"), Error);
  CHECK_THROWS_AS(parse_objectives("maximize a b"), Error);
  Spec unknown;
  unknown.objective = {Objective(Objective::minimize, "stowage")};
  CHECK_THROWS_WITH(shoes().configure(unknown), Catch::Contains("'stowage' is not a measure") &&
                                                    Catch::Contains("lead_time, weight"));
  unknown.objective = {Objective::maximize};  // built in C++ without its measure
  CHECK_THROWS_WITH(shoes().configure(unknown), Catch::Contains("names no measure"));
  // minimize price built in C++ is the cheapest objective, answered the same way.
  Spec priced = where({"size=40"});
  priced.objective = {Objective(Objective::minimize, "price")};
  Spec cheapest = where({"size=40"});
  ConfigureResult a = shoes().configure(priced), b = shoes().configure(cheapest);
  a.stats = b.stats = {};
  CHECK(to_json(a) == to_json(b));
}

TEST_CASE("tables over slots that hold several blocks", "[configure]") {
  const char* pc = R"(
catalog: {name: PC, version: "1", currency: EUR}
blocks:
  - {id: case_mini, price: 50}
  - {id: case_tower, price: 80}
  - {id: gpu_long, price: 300}
  - {id: gpu_short, price: 350}
  - {id: nic, price: 20}
slots:
  - {id: case, cardinality: 1, blocks: [case_mini, case_tower]}
  - {id: cards, cardinality: 1..2, repeat: true, blocks: [gpu_long, gpu_short, nic]}
rules:
  - id: mini-cards
    message: A long graphics card does not fit a mini case.
    table: [case, cards]
    forbid: [[case_mini, gpu_long]]
  - id: some-gpu
    message: A PC needs a graphics card.
    table: [cards]
    allow: [[gpu_long], [gpu_short]]
)";
  Configurator c(parse_catalog(pc, ModelFormat::yaml, "pc.yaml"));
  // Tower: 7 card sets with a graphics card among the 9 multisets of one or two cards; mini: only
  // those without the long card (short; short and short; short and nic).
  CHECK(c.count().count == "10");
  ConfigureResult mini = c.configure(where({"case=case_mini"}));
  REQUIRE(mini.status == Status::optimal);
  CHECK(total(mini) == "400.00");
  ConfigureResult tower = c.configure(where({"case=case_tower"}));
  CHECK(total(tower) == "380.00");
  Spec both = where({"case=case_mini", "cards.gpu_long=1"});
  ConfigureResult no = c.configure(both);
  REQUIRE(no.status == Status::infeasible);
  REQUIRE(no.conflict.rules.size() == 1);
  CHECK(no.conflict.rules[0].id == "mini-cards");
}

TEST_CASE("objectives on sums are passes over the compiled form", "[configure][compiled]") {
  Configurator c = shoes();
  c.compile();
  Limits searched;
  searched.use_compiled = false;
  for (const char* text :
       {"minimize weight", "maximize weight, cheapest", "cheapest, maximize weight"}) {
    Spec s = where({"size=40"});
    s.objective = parse_objectives(text);
    ConfigureResult compiled = c.configure(s), search = c.configure(s, searched);
    INFO(text);
    CHECK(compiled.stats.compiled);
    CHECK_FALSE(search.stats.compiled);
    compiled.stats = search.stats = {};
    CHECK(to_json(compiled) == to_json(search));
  }
  // A max() measure needs gates of its own: search answers it.
  Spec lead = where({"size=40"});
  lead.objective = {Objective(Objective::minimize, "lead_time")};
  CHECK_FALSE(c.configure(lead).stats.compiled);
}

TEST_CASE("preferences first under a budget: the best set that fits, then the cheapest",
          "[configure]") {
  // Wishes a (weight 3, 50 EUR), b (2, 40 EUR and e for 5 more) and c (2, 30 EUR and d, free):
  // b and c together cost 75, a with either more than 75. Under each budget the best set of
  // wishes that fits, then the cheapest product meeting it. The search back end decides the wishes
  // by budget checks rather than with the budget as clauses, and must land on the same optimum.
  const char* yaml = R"(
catalog: {name: Budget and wishes, version: "1", currency: EUR}
options:
  - {id: a, type: boolean, price: 50}
  - {id: b, type: boolean, price: 40}
  - {id: c, type: boolean, price: 30}
  - {id: d, type: boolean, price: 0}
  - {id: e, type: boolean, price: 5}
rules:
  - {id: c-needs-d, when: c, require: d}
  - {id: e-with-b, when: b, require: e}
)";
  Configurator cfg(parse_catalog(yaml, ModelFormat::yaml, "wishes.yaml"));
  Limits searched;
  searched.use_compiled = false;
  Spec s;
  s.preferences = {{"a", Decimal::from_integer(3), {}},
                   {"b", Decimal::from_integer(2), {}},
                   {"c", Decimal::from_integer(2), {}}};
  s.objective = {Objective::preferred, Objective::cheapest};
  for (int budget : {75, 74, 49, 20}) {
    INFO("budget " << budget);
    Spec within = s;
    within.requirements.push_back(Requirement::bound_of("price", Decimal::from_integer(budget)));
    ConfigureResult r = cfg.configure(within, searched);
    REQUIRE(r.status == Status::optimal);
    std::set<std::string> met;
    for (const auto& p : r.preferences) {
      if (p.met) met.insert(p.text);
    }
    // b needs e (5 EUR): b and c cost 75, a costs 50, c alone 30, nothing 0.
    if (budget >= 75) {
      CHECK(met == std::set<std::string>{"b", "c"});
      CHECK(r.price.total == Decimal::from_integer(75));
    } else if (budget >= 50) {
      CHECK(met == std::set<std::string>{"a"});
      CHECK(r.price.total == Decimal::from_integer(50));
    } else if (budget >= 30) {
      CHECK(met == std::set<std::string>{"c"});
      CHECK(r.price.total == Decimal::from_integer(30));
    } else {
      CHECK(met.empty());
      CHECK(r.price.total == Decimal::from_integer(0));
    }
  }
}
