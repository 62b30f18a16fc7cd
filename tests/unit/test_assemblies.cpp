// Sub-assemblies: reading and writing them, naming instances, rules of an instance, explanations,
// and the problems check reports (tests/catalogs/broken/assembly_*.yaml cover the messages).
#include <catch2/catch.hpp>

#include <algorithm>

#include "compile/defaults.hpp"
#include "compile/model.hpp"
#include "sumisura/configurator.hpp"

using namespace sumisura;

namespace {

const char* kRack = R"(
catalog: {name: Rack, version: "1"}
attributes:
  - {id: watts, type: number}
blocks:
  - {id: card_small, price: 10, attributes: {watts: 20}}
  - {id: card_big, price: 30, attributes: {watts: 75}}
  - {id: psu_150, price: 40, attributes: {watts: -150}}
  - {id: psu_300, price: 70, attributes: {watts: -300}}
assemblies:
  - id: shelf
    label: Shelf
    price: 5
    options:
      - {id: colour, values: [grey, {value: red, price: 2}], default: grey}
    slots:
      - {id: cards, cardinality: 0..4, repeat: true, blocks: [card_small, card_big]}
      - {id: psu, blocks: [psu_150, psu_300]}
    rules:
      - id: power
        message: A shelf's power supply feeds its cards.
        require: sum(cards.watts) + psu.watts <= 0
slots:
  - {id: shelves, label: Shelves, cardinality: 1..3, assembly: shelf}
rules:
  - id: red-shelves
    message: Red shelves come in pairs.
    require: count(shelves[1].colour == red, shelves[2].colour == red, shelves[3].colour == red) != 1
)";

Catalog rack() {
  return parse_catalog(kRack, ModelFormat::yaml, "rack.yaml");
}

const SlotFill* fill(const ConfigureResult& r, const std::string& slot) {
  for (const auto& s : r.slots) {
    if (s.slot == slot) return &s;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("a catalog with assemblies reads, writes and reads back the same", "[assemblies]") {
  Catalog c = rack();
  REQUIRE(c.assemblies.size() == 1);
  CHECK(c.slots[0].assembly == "shelf");
  CHECK(c.assemblies[0].slots.size() == 2);
  CHECK(c.assemblies[0].rules[0].expression == "sum(cards.watts) + psu.watts <= 0");
  Catalog again = parse_catalog(to_yaml(c), ModelFormat::yaml, "again.yaml");
  CHECK(again == c);
  CHECK(validate(c).empty());
  CHECK(summarize(c).assemblies == 1);
}

TEST_CASE("instances are named after their slot, and absent ones hold nothing", "[assemblies]") {
  Configurator configurator(rack());
  const Catalog& expanded = configurator.catalog();
  CHECK(expanded.assemblies.empty());
  auto has_slot = [&](const std::string& id) {
    return std::any_of(expanded.slots.begin(), expanded.slots.end(),
                       [&](const Slot& s) { return s.id == id; });
  };
  CHECK(has_slot("shelves"));
  CHECK(has_slot("shelves[1].cards"));
  CHECK(has_slot("shelves[3].psu"));
  CHECK_FALSE(has_slot("shelves[4].psu"));

  Spec spec;
  ConfigureResult r = configurator.configure(spec);
  REQUIRE(r.status == Status::optimal);
  // One shelf (5) with the cheapest power supply (40) and no cards: 45.
  CHECK(r.price.total == Decimal::from_integer(45));
  REQUIRE(fill(r, "shelves[2].psu"));
  CHECK(fill(r, "shelves[2].psu")->blocks.empty());
}

TEST_CASE("an instance's rules hold for that instance only while it is present", "[assemblies]") {
  Configurator configurator(rack());
  Spec spec;
  // Two shelves, the second with three big cards: it needs the big power supply (225 W).
  spec.requirements.push_back(Requirement::expression_of("count(shelves) == 2"));
  spec.requirements.push_back(
      Requirement::expression_of("count(card_big in shelves[2].cards) == 3"));
  ConfigureResult r = configurator.configure(spec);
  REQUIRE(r.status == Status::optimal);
  const SlotFill* psu2 = fill(r, "shelves[2].psu");
  REQUIRE(psu2);
  REQUIRE(psu2->blocks.size() == 1);
  CHECK(psu2->blocks[0].block == "psu_300");
  // Identical shelves come in order, so shelf 1 holds at least what shelf 2 holds: the cheapest
  // way is a small card (shelf 1: 5 + 10 + 40; shelf 2: 5 + 90 + 70).
  CHECK(r.price.total == Decimal::from_integer(55 + 165));
}

TEST_CASE("paths into instances are names in expressions", "[assemblies]") {
  Configurator configurator(rack());
  Spec spec;
  spec.requirements.push_back(Requirement::expression_of("shelves[1].psu == psu_300"));
  spec.requirements.push_back(Requirement::expression_of("shelves[1].colour == red"));
  ConfigureResult r = configurator.configure(spec);
  REQUIRE(r.status == Status::optimal);
  // Red shelves come in pairs: a second red shelf, with its own power supply. Instances come in
  // order (shelf 1 holds at least what shelf 2 holds, the small supply compared first), so shelf
  // 2 cannot have the small supply while shelf 1 is otherwise equal: shelf 1 takes a small card.
  CHECK(r.price.total == Decimal::from_integer(5 + 2 + 70 + 10 + 5 + 2 + 40));
  // Asked of any shelf rather than of shelf 1, the same wish is cheaper.
  Spec any;
  any.requirements.push_back(Requirement::expression_of("count(psu_300) >= 1"));
  any.requirements.push_back(Requirement::expression_of("count(shelves) == 2"));
  any.requirements.push_back(Requirement::expression_of("shelves[2].colour == red"));
  ConfigureResult a = configurator.configure(any);
  REQUIRE(a.status == Status::optimal);
  CHECK(a.price.total == Decimal::from_integer(5 + 2 + 70 + 5 + 2 + 40));
}

TEST_CASE("explanations name the instances' built-in rules as kind assembly", "[assemblies]") {
  Configurator configurator(rack());
  Spec spec;
  // Shelf 2 holds more than shelf 1: only the order between identical shelves forbids it.
  spec.requirements.push_back(Requirement::expression_of("count(shelves[1].cards) == 0"));
  spec.requirements.push_back(Requirement::expression_of("count(shelves[2].cards) == 1"));
  ConfigureResult r = configurator.configure(spec);
  REQUIRE(r.status == Status::infeasible);
  bool assembly = std::any_of(r.conflict.rules.begin(), r.conflict.rules.end(),
                              [](const RuleRef& ref) { return ref.kind == "assembly"; });
  CHECK(assembly);
}

TEST_CASE("an assembly option priced at its default is refused", "[assemblies]") {
  std::string text = kRack;
  text.replace(text.find("default: grey"), 13, "default: red");
  auto diagnostics = validate(parse_catalog(text, ModelFormat::yaml, "rack.yaml"));
  REQUIRE(has_errors(diagnostics));
  CHECK(diagnostics.front().message.find("default without a surcharge") != std::string::npos);
}

TEST_CASE("slot defaults inside absent instances favour no number of instances", "[assemblies]") {
  // Two free blocks, a default among them, and up to two instances: every number of instances,
  // each at its default, costs the same in the tie-break by defaults.
  Catalog c = parse_catalog(R"(
catalog: {name: Defaults, version: "1"}
blocks:
  - {id: a}
  - {id: b}
assemblies:
  - id: unit
    slots:
      - {id: part, blocks: [a, b], default: b}
slots:
  - {id: units, cardinality: 0..2, assembly: unit}
)",
                            ModelFormat::yaml, "defaults.yaml");
  auto model = detail::compile_catalog(std::make_shared<const Catalog>(c));
  auto costs = detail::default_costs(*model);
  const auto& index = *model->index;
  int holder = model->quantity_vars[*index.slot_index("units")][0];
  int part1 = model->slot_var[*index.slot_index("units[1].part")];
  int part2 = model->slot_var[*index.slot_index("units[2].part")];
  const int none = 0, b = 2;
  for (int present = 0; present <= 2; ++present) {
    int cost = costs[holder][present] + costs[part1][present >= 1 ? b : none] +
               costs[part2][present >= 2 ? b : none];
    CHECK(cost == 2);
  }
  // Within a present instance, the default still wins the tie.
  CHECK(costs[part1][b] < costs[part1][1]);
}

TEST_CASE("nesting is measured along the longest chain, however the assemblies are listed",
          "[assemblies]") {
  // a0 .. a19 hold each other in turn, and b0 .. b19 too, b19 holding a0: 40 deep, though a
  // search that visits the a's first sees chains of 20.
  std::string text = "catalog: {name: deep, version: \"1\"}\nblocks:\n  - {id: x}\nassemblies:\n";
  auto chain = [&](const std::string& name, const std::string& last) {
    for (int i = 0; i < 20; ++i) {
      std::string next = i < 19 ? name + std::to_string(i + 1) : last;
      text +=
          "  - {id: " + name + std::to_string(i) + ", slots: [" +
          (next.empty() ? std::string("{id: s, blocks: [x]}") : "{id: s, assembly: " + next + "}") +
          "]}\n";
    }
  };
  chain("a", "");
  chain("b", "a0");
  text += "slots:\n  - {id: top, assembly: b0}\n";
  auto diagnostics = validate(parse_catalog(text, ModelFormat::yaml, "deep.yaml"));
  REQUIRE(has_errors(diagnostics));
  CHECK(diagnostics.front().message.find("nest more than 32 deep") != std::string::npos);
}

TEST_CASE("a product that has a slot of instances has the instances' slots and options",
          "[assemblies]") {
  Catalog c = parse_catalog(R"(
catalog: {name: Products, version: "1"}
options:
  - {id: gift, type: boolean}
blocks:
  - {id: a, price: 1}
  - {id: b, price: 2}
  - {id: c, price: 3}
assemblies:
  - id: unit
    options:
      - {id: finish, values: [plain, coated], default: plain}
    slots:
      - {id: part, blocks: [a, b]}
slots:
  - {id: units, cardinality: 1..2, assembly: unit}
  - {id: extra, cardinality: 0..1, blocks: [c]}
products:
  - {id: with_units, slots: [units], options: [gift]}
  - {id: without, slots: [extra], options: [gift]}
)",
                            ModelFormat::yaml, "products.yaml");
  REQUIRE_FALSE(has_errors(validate(c)));
  Configurator configurator(c);
  // With units: 4 configurations of a unit (finish x part), as multisets of 1 or 2: 4 + 10.
  // Without: no unit, its options at their default; the extra slot empty or not: 2. Both with a
  // gift or not.
  Count count = configurator.count();
  REQUIRE(count.exact);
  CHECK(count.count == "32");
  Spec spec;
  spec.requirements.push_back(Requirement::product_of("with_units"));
  ConfigureResult r = configurator.configure(spec);
  REQUIRE(r.status == Status::optimal);
  CHECK(r.price.total == Decimal::from_integer(1));
}

TEST_CASE("paths reach nested instances, inside an assembly's rules too", "[assemblies]") {
  Catalog c = parse_catalog(R"(
catalog: {name: Nested, version: "1"}
blocks:
  - {id: fan, price: 1}
assemblies:
  - id: cage
    slots:
      - {id: fans, cardinality: 0..2, repeat: true, blocks: [fan]}
  - id: unit
    slots:
      - {id: cages, cardinality: 1..2, assembly: cage}
    rules:
      - id: second-cage
        message: A second cage holds one fan at most.
        require: count(cages[2].fans) <= 1
slots:
  - {id: units, cardinality: 1..2, assembly: unit}
)",
                            ModelFormat::yaml, "nested.yaml");
  REQUIRE_FALSE(has_errors(validate(c)));
  Configurator configurator(c);
  Spec spec;
  spec.requirements.push_back(Requirement::expression_of("count(units[1].cages[2].fans) == 2"));
  CHECK(configurator.configure(spec).status == Status::infeasible);
  Spec fine;
  fine.requirements.push_back(Requirement::expression_of("count(units[1].cages[2].fans) == 1"));
  ConfigureResult r = configurator.configure(fine);
  REQUIRE(r.status == Status::optimal);
  // Cage 1 holds at least what cage 2 holds: two fans in all.
  CHECK(r.price.total == Decimal::from_integer(2));
}

TEST_CASE("the order between large instances stays within the expression depth", "[assemblies]") {
  std::string text = "catalog: {name: Large, version: \"1\"}\nblocks:\n";
  std::string ids;
  for (int b = 0; b < 1500; ++b) {
    text += "  - {id: b" + std::to_string(b) + "}\n";
    ids += (b ? ", b" : "b") + std::to_string(b);
  }
  text +=
      "assemblies:\n  - id: unit\n    slots:\n      - {id: s, cardinality: 1..4, repeat: true, "
      "blocks: [" +
      ids + "]}\nslots:\n  - {id: units, cardinality: 1..2, assembly: unit}\n";
  auto diagnostics = validate(parse_catalog(text, ModelFormat::yaml, "large.yaml"));
  CHECK_FALSE(has_errors(diagnostics));
}

TEST_CASE("check sees a slot's assembly without an assemblies section, and every distinct problem",
          "[assemblies]") {
  // A typo'd assembly with no `assemblies:` at all is named as such, not taken for blocks.
  auto typo = validate(parse_catalog(R"(
catalog: {name: Typo, version: "1"}
blocks:
  - {id: disk}
slots:
  - {id: units, assembly: hd_unit, blocks: [disk]}
)",
                                     ModelFormat::yaml, "typo.yaml"));
  REQUIRE(has_errors(typo));
  CHECK(typo.front().message.find("unknown assembly") != std::string::npos);
  // Two different problems at one place are both reported; one problem repeated by two
  // instances is reported once.
  auto both = validate(parse_catalog(R"(
catalog: {name: Both, version: "1"}
blocks:
  - {id: disk}
assemblies:
  - id: unit
    slots:
      - {id: disks, cardinality: 1..2, repeat: true, blocks: [disk]}
    rules:
      - {id: r, message: m, require: count(disk) >= nothing}
slots:
  - {id: units, cardinality: 1..2, assembly: unit}
bundles:
  - {id: b, items: [ghost], discount: -5}
)",
                                     ModelFormat::yaml, "both.yaml"));
  auto at = [&](int line) {
    return std::count_if(both.begin(), both.end(), [&](const Diagnostic& d) {
      return d.severity == Severity::error && d.position.line == line;
    });
  };
  CHECK(at(10) == 1);  // the rule, in two instances
  CHECK(at(14) >= 2);  // the bundle: an unknown item and a negative discount
}
