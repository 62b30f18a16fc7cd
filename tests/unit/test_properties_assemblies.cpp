// Property tests of sub-assemblies against an independent count.
//
// The engine expands a slot of assembly instances into ordered copies and orders identical ones, so
// that each product is seen once. The reference here never expands anything: it enumerates the
// configurations of ONE instance with the brute-force enumerator (the assembly's slots, options and
// rules as a catalog of their own), and a product is then a multiset of such configurations, of a
// size the holding slot allows, within the catalog's weight limit. Nested assemblies are built the
// same way, one level at a time. The count, the cheapest price and the heaviest weight of the
// engine must equal those of the multisets.
#include <catch2/catch.hpp>

#include <algorithm>
#include <functional>
#include <sstream>

#include "brute_force.hpp"
#include "property_rng.hpp"
#include "sumisura/configurator.hpp"

using namespace sumisura;
using namespace sumisura::proptest;

namespace {

struct Block {
  std::string id;
  int price = 0, weight = 0;
};

struct SlotSpec {
  std::string id, cardinality;
  bool repeat = false;
  std::vector<std::string> blocks;
  std::vector<int> counts;  // the counts the cardinality allows
};

/// One assembly as the test builds it: its own slots, an optional option and rule, and maybe a
/// slot of sub-instances.
struct AssemblySpec {
  std::string id;
  int price = 0;
  std::vector<SlotSpec> slots;
  bool option = false;  // finish: plain (default) or coated (a surcharge)
  int coated_price = 0;
  std::string rule;  // a condition over its own names, or empty
  std::string sub;   // the id of a nested assembly, held by slot `subs`
  std::string sub_cardinality;
  std::vector<int> sub_counts;
};

const std::vector<std::pair<std::string, std::vector<int>>> kCardinalities = {
    {"1", {1}}, {"0..1", {0, 1}}, {"1..2", {1, 2}}, {"[0, 2]", {0, 2}}, {"0..2", {0, 1, 2}}};

SlotSpec random_slot(Rng& rng, const std::string& id, const std::vector<Block>& blocks) {
  SlotSpec s;
  s.id = id;
  const auto& [text, counts] = kCardinalities[rng.below(static_cast<int>(kCardinalities.size()))];
  s.cardinality = text;
  s.counts = counts;
  s.repeat = counts.back() > 1 && rng.chance(60);
  int n = rng.between(1, 3);
  std::vector<std::string> ids;
  for (const auto& b : blocks) ids.push_back(b.id);
  for (int k = 0; k < n; ++k) {
    std::string pick = ids[rng.below(static_cast<int>(ids.size()))];
    if (std::find(s.blocks.begin(), s.blocks.end(), pick) == s.blocks.end())
      s.blocks.push_back(pick);
  }
  // A slot of distinct blocks cannot hold more than it lists.
  if (!s.repeat && static_cast<int>(s.blocks.size()) < counts.back()) s.repeat = true;
  return s;
}

std::string slot_yaml(const SlotSpec& s) {
  std::string out = "{id: " + s.id + ", cardinality: " + s.cardinality;
  if (s.repeat) out += ", repeat: true";
  out += ", blocks: [";
  for (size_t i = 0; i < s.blocks.size(); ++i) out += (i ? ", " : "") + s.blocks[i];
  return out + "]}";
}

std::string blocks_yaml(const std::vector<Block>& blocks) {
  std::string out = "attributes:\n  - {id: weight, type: number}\nblocks:\n";
  for (const auto& b : blocks)
    out += "  - {id: " + b.id + ", price: " + std::to_string(b.price) +
           ", attributes: {weight: " + std::to_string(b.weight) + "}}\n";
  return out;
}

/// The assembly's own part (options, slots, rule; not its sub-instances) as a catalog of its own.
std::string own_catalog(const AssemblySpec& a, const std::vector<Block>& blocks) {
  std::string out = "catalog: {name: one instance, version: \"1\"}\n" + blocks_yaml(blocks);
  if (a.option)
    out += "options:\n  - {id: finish, values: [plain, {value: coated, price: " +
           std::to_string(a.coated_price) + "}], default: plain}\n";
  out += "slots:\n";
  for (const auto& s : a.slots) out += "  - " + slot_yaml(s) + "\n";
  if (!a.rule.empty()) out += "rules:\n  - {id: own, message: m, require: '" + a.rule + "'}\n";
  return out;
}

std::string assembly_yaml(const AssemblySpec& a) {
  std::string out = "  - id: " + a.id + "\n    price: " + std::to_string(a.price) + "\n";
  if (a.option)
    out += "    options:\n      - {id: finish, values: [plain, {value: coated, price: " +
           std::to_string(a.coated_price) + "}], default: plain}\n";
  out += "    slots:\n";
  for (const auto& s : a.slots) out += "      - " + slot_yaml(s) + "\n";
  if (!a.sub.empty())
    out += "      - {id: subs, cardinality: " + a.sub_cardinality + ", assembly: " + a.sub + "}\n";
  if (!a.rule.empty())
    out += "    rules:\n      - {id: own, message: m, require: '" + a.rule + "'}\n";
  return out;
}

AssemblySpec random_assembly(Rng& rng, const std::string& id, const std::vector<Block>& blocks) {
  AssemblySpec a;
  a.id = id;
  a.price = rng.between(0, 3);
  a.slots.push_back(random_slot(rng, "s1", blocks));
  if (rng.chance(50)) a.slots.push_back(random_slot(rng, "s2", blocks));
  a.option = rng.chance(40);
  a.coated_price = rng.between(1, 4);
  switch (rng.below(4)) {
    case 0:
      if (a.slots.size() == 2) a.rule = "count(s1) >= count(s2)";
      break;
    case 1:
      a.rule = "not (" + a.slots[0].blocks[0] +
               " in s1) or count(s1) == " + std::to_string(a.slots[0].counts.back());
      break;
    case 2:
      if (a.option) a.rule = "finish == coated implies count(s1) >= 1";
      break;
    default:
      break;
  }
  return a;
}

/// A configuration of one instance, as the level above sees it.
struct Summary {
  int64_t price = 0, weight = 0;
};

/// The configurations of one instance of `a`: its own part enumerated by brute force, times the
/// multisets of sub-instances its `subs` slot allows.
std::vector<Summary> instance_configs(const AssemblySpec& a, const std::vector<Block>& blocks,
                                      const std::vector<Summary>& sub_configs) {
  Catalog own = parse_catalog(own_catalog(a, blocks), ModelFormat::yaml, "own.yaml");
  BruteForce world(own);
  auto weight = world.quantity("sum(weight)");
  std::vector<Summary> mine;
  for (size_t i : world.valid_configs())
    mine.push_back({world.price(i) / 1000000 + a.price, world.number(*weight, i) / 1000000});
  if (a.sub.empty()) return mine;
  std::vector<Summary> out;
  std::vector<Summary> subs;
  std::function<void(size_t, int, Summary)> multisets = [&](size_t from, int left, Summary sum) {
    if (left == 0) {
      subs.push_back(sum);
      return;
    }
    for (size_t k = from; k < sub_configs.size(); ++k)
      multisets(k, left - 1,
                {sum.price + sub_configs[k].price, sum.weight + sub_configs[k].weight});
  };
  for (int n : a.sub_counts) multisets(0, n, {});
  for (const auto& m : mine) {
    for (const auto& s : subs) out.push_back({m.price + s.price, m.weight + s.weight});
  }
  return out;
}

struct Reference {
  uint64_t count = 0;
  int64_t cheapest = -1, heaviest = -1;
};

Reference multisets_within(const std::vector<Summary>& configs, const std::vector<int>& counts,
                           int64_t weight_limit) {
  Reference r;
  std::function<void(size_t, int, Summary)> walk = [&](size_t from, int left, Summary sum) {
    if (sum.weight > weight_limit) return;  // weights are never negative
    if (left == 0) {
      ++r.count;
      if (r.cheapest < 0 || sum.price < r.cheapest) r.cheapest = sum.price;
      r.heaviest = std::max(r.heaviest, sum.weight);
      return;
    }
    for (size_t k = from; k < configs.size(); ++k)
      walk(k, left - 1, {sum.price + configs[k].price, sum.weight + configs[k].weight});
  };
  for (int n : counts) walk(0, n, {});
  return r;
}

Limits generous() {
  Limits l;
  l.seconds = 60;
  return l;
}

void check_seed(uint64_t seed) {
  Rng rng(seed);
  std::vector<Block> blocks;
  for (int b = 0; b < 4; ++b)
    blocks.push_back({"b" + std::to_string(b), rng.between(1, 9), rng.between(0, 5)});
  AssemblySpec unit = random_assembly(rng, "unit", blocks);
  std::vector<AssemblySpec> all;
  bool nested = rng.chance(35);
  if (nested) {
    AssemblySpec sub = random_assembly(rng, "part", blocks);
    sub.option = false;  // keep the nested level small
    if (sub.rule.find("finish") != std::string::npos) sub.rule.clear();
    unit.sub = "part";
    const auto& [text, counts] = kCardinalities[rng.below(static_cast<int>(kCardinalities.size()))];
    unit.sub_cardinality = text;
    unit.sub_counts = counts;
    all.push_back(sub);
  }
  all.push_back(unit);
  static const std::vector<std::pair<std::string, std::vector<int>>> kHolders = {
      {"1", {1}}, {"1..2", {1, 2}}, {"0..2", {0, 1, 2}}, {"[0, 2]", {0, 2}}, {"1..3", {1, 2, 3}}};
  const auto& [holder, holder_counts] =
      kHolders[rng.below(nested ? 4 : static_cast<int>(kHolders.size()))];
  int64_t limit = rng.between(3, 30);

  std::ostringstream yaml;
  yaml << "catalog: {name: assemblies " << seed << ", version: \"1\"}\n" << blocks_yaml(blocks);
  yaml << "assemblies:\n";
  for (const auto& a : all) yaml << assembly_yaml(a);
  yaml << "slots:\n  - {id: units, cardinality: " << holder << ", assembly: unit}\n";
  yaml << "measures:\n  - {id: total_weight, expression: sum(weight)}\n";
  yaml << "rules:\n  - {id: limit, message: m, require: total_weight <= " << limit << "}\n";
  INFO("seed " << seed << "\n" << yaml.str());

  std::vector<Summary> sub_configs;
  if (nested) sub_configs = instance_configs(all.front(), blocks, {});
  std::vector<Summary> unit_configs = instance_configs(unit, blocks, sub_configs);
  Reference want = multisets_within(unit_configs, holder_counts, limit);

  Configurator configurator(parse_catalog(yaml.str(), ModelFormat::yaml, "assemblies.yaml"));
  Count count = configurator.count();
  REQUIRE(count.exact);
  CHECK(count.count == std::to_string(want.count));

  Spec cheapest;
  ConfigureResult r = configurator.configure(cheapest, generous());
  if (want.count == 0) {
    CHECK(r.status == Status::infeasible);
    return;
  }
  REQUIRE(r.status == Status::optimal);
  CHECK(r.price.total == Decimal::from_integer(want.cheapest));

  Spec heaviest;
  heaviest.objective = {Objective{Objective::maximize, "total_weight"}};
  ConfigureResult h = configurator.configure(heaviest, generous());
  REQUIRE(h.status == Status::optimal);
  auto m = std::find_if(h.measures.begin(), h.measures.end(),
                        [](const MeasureValue& v) { return v.measure == "total_weight"; });
  REQUIRE(m != h.measures.end());
  CHECK(m->value == Decimal::from_integer(want.heaviest));
}

}  // namespace

TEST_CASE("assembly instances count as multisets of one instance's configurations",
          "[property][assemblies]") {
  for (uint64_t seed = 1; seed <= 400; ++seed) check_seed(seed);
}
