// Catalog versions against brute-force enumeration: random catalogs, random edits (a value removed
// or added, a rule added, a price changed, a block taken out of a slot); diff's counts, examples
// and dead/available values, and revalidate's verdicts, prices and repairs, each checked on the
// products of both versions enumerated one by one (tests/support/brute_force.hpp).
#include <catch2/catch.hpp>

#include <algorithm>
#include <iostream>
#include <map>
#include <set>

#include "property_checks.hpp"
#include "random_catalog.hpp"
#include "sumisura/sumisura.hpp"

namespace sumisura::proptest {
namespace {

/// A product as NAME=VALUE per variable, the way orders and diff name them (independent of the
/// engine's variables: slots holding several blocks as SLOT.BLOCK quantities).
using Key = std::map<std::string, std::string>;

Key key_of(const BruteForce& w, size_t i) {
  const Catalog& c = w.catalog();
  const Config& x = w.config(i);
  Key k;
  if (!c.products.empty()) k["product"] = c.products[x.product].id;
  for (size_t o = 0; o < c.options.size(); ++o)
    k[c.options[o].id] = option_value_text(c.options[o], x.options[o]);
  for (size_t s = 0; s < c.slots.size(); ++s) {
    const Slot& slot = c.slots[s];
    if (slot.max <= 1) {
      std::string held = "none";
      for (size_t b = 0; b < slot.blocks.size(); ++b)
        if (x.slots[s][b] > 0) held = slot.blocks[b];
      k[slot.id] = held;
      continue;
    }
    for (size_t b = 0; b < slot.blocks.size(); ++b)
      k[slot.id + "." + slot.blocks[b]] = std::to_string(x.slots[s][b]);
  }
  for (size_t s = 0; s < c.services.size(); ++s)
    k[c.services[s].id] = x.services[s] ? "true" : "false";
  return k;
}

/// The value a variable takes in a version that lacks it (diff's convention), or "" when none.
std::string empty_value(const std::string& name, const Catalog& c) {
  for (const auto& s : c.slots) {
    if (s.id == name) return s.max <= 1 ? "none" : "";
    if (name.rfind(s.id + ".", 0) == 0) return "0";
  }
  for (const auto& s : c.services)
    if (s.id == name) return "false";
  for (const auto& o : c.options)
    if (o.id == name && o.kind == OptionKind::boolean) return "false";
  return "";
}

/// A random edit of `c` that keeps the same options, slots and services (their values may
/// change): the kinds of change a season brings.
std::string edit(Rng& rng, Catalog& c) {
  for (int attempt = 0; attempt < 20; ++attempt) {
    switch (rng.below(5)) {
      case 0: {  // a value discontinued
        std::vector<size_t> enums;
        for (size_t o = 0; o < c.options.size(); ++o)
          if (c.options[o].kind == OptionKind::enumeration && c.options[o].values.size() > 2)
            enums.push_back(o);
        if (enums.empty()) break;
        Option& o = c.options[rng.pick(enums)];
        size_t k = static_cast<size_t>(rng.below(static_cast<int>(o.values.size())));
        Value gone = o.values[k].value;
        if (o.default_value && *o.default_value == gone) o.default_value.reset();
        o.values.erase(o.values.begin() + static_cast<long>(k));
        return "value " + o.id + "=" + gone.to_string() + " removed";
      }
      case 1: {  // a value added
        std::vector<size_t> enums;
        for (size_t o = 0; o < c.options.size(); ++o)
          if (c.options[o].kind == OptionKind::enumeration) enums.push_back(o);
        if (enums.empty()) break;
        Option& o = c.options[rng.pick(enums)];
        OptionValue v;
        v.value = Value::string("added_" + std::to_string(rng.below(1000)));
        v.price = Decimal::from_integer(rng.between(0, 20));
        o.values.push_back(v);
        return "value " + o.id + "=" + v.value.to_string() + " added";
      }
      case 2: {  // a rule added
        ConditionMaker maker(c, rng);
        Rule r;
        r.id = "added-rule";
        r.message = "added";
        r.expression = maker.condition(2);
        c.rules.push_back(r);
        return "rule added: " + r.expression;
      }
      case 3: {  // a price changed
        if (c.blocks.empty()) break;
        Block& b = c.blocks[rng.below(static_cast<int>(c.blocks.size()))];
        b.price = Decimal::from_units(b.price.units() + Decimal::kScale * rng.between(1, 30));
        return "price of " + b.id + " raised";
      }
      case 4: {  // a block taken out of a slot
        std::vector<size_t> slots;
        for (size_t s = 0; s < c.slots.size(); ++s)
          if (c.slots[s].blocks.size() > 1) slots.push_back(s);
        if (slots.empty()) break;
        Slot& s = c.slots[rng.pick(slots)];
        size_t k = static_cast<size_t>(rng.below(static_cast<int>(s.blocks.size())));
        std::string gone = s.blocks[k];
        s.blocks.erase(s.blocks.begin() + static_cast<long>(k));
        return "block " + gone + " taken out of slot " + s.id;
      }
    }
  }
  return "";
}

/// The catalog with every price zero (revalidation then checks orders by counting alone).
void without_prices(Catalog& c) {
  for (auto& o : c.options)
    for (auto& v : o.values) v.price = Decimal();
  for (auto& b : c.blocks) b.price = Decimal();
  for (auto& p : c.products) p.base_price = Decimal();
  for (auto& s : c.services) s.price = PriceSpec();
  c.bundles.clear();
  c.tiers.clear();
  c.measures.clear();  // they may read prices
  std::erase_if(c.rules, [](const Rule& r) {
    return r.expression.find("price") != std::string::npos ||
           r.when.find("price") != std::string::npos;
  });
}

bool has_errors(const Catalog& c) {
  for (const auto& d : validate(c))
    if (d.severity == Severity::error) return true;
  return false;
}

std::string text(const Key& k) {
  std::string out;
  for (const auto& [n, v] : k) out += n + "=" + v + " ";
  return out;
}

struct VersionsTally {
  size_t checked = 0, skipped = 0, broken = 0, repriced = 0, only_old = 0, only_new = 0;
};

CaseOutcome versions_case(uint64_t seed, VersionsTally& tally) {
  CaseOutcome out;
  Rng rng(seed);
  GeneratedCatalog g = generate_catalog(rng, 3000);
  out.catalog_yaml = g.yaml;
  if (!g.problem.empty()) {
    out.problems.push_back(g.problem);
    return out;
  }
  // Every other catalog without prices: revalidation's counting path.
  if (seed % 2 == 0) without_prices(g.catalog);
  if (has_errors(g.catalog)) return out;
  Catalog edited = g.catalog;
  std::string change = edit(rng, edited);
  if (change.empty() || has_errors(edited)) {  // an edit the catalog cannot take
    ++tally.skipped;
    return out;
  }
  ++tally.checked;
  auto problem = [&](const std::string& what) { out.problems.push_back(change + ": " + what); };
  BruteForce before(g.catalog), after(edited);
  Configurator a(g.catalog), b(edited);

  // Every variable either version has (these edits keep the same ones, up to block quantities).
  std::set<std::string> names;
  for (size_t i = 0; i < before.size() && i < 1; ++i)
    for (const auto& [n, v] : key_of(before, i)) names.insert(n);
  for (size_t i = 0; i < after.size() && i < 1; ++i)
    for (const auto& [n, v] : key_of(after, i)) names.insert(n);
  auto compared = [&](Key k, const Catalog& own) {
    for (const auto& n : names)
      if (!k.count(n)) k[n] = empty_value(n, own);
    return k;
  };
  std::set<Key> old_products, new_products;
  for (size_t i : before.valid_configs())
    old_products.insert(compared(key_of(before, i), g.catalog));
  for (size_t i : after.valid_configs()) new_products.insert(compared(key_of(after, i), edited));
  size_t only_old = 0, only_new = 0, common = 0;
  for (const auto& k : old_products) (new_products.count(k) ? common : only_old) += 1;
  for (const auto& k : new_products) only_new += new_products.count(k) && !old_products.count(k);
  tally.only_old += only_old > 0;
  tally.only_new += only_new > 0;

  DiffOptions options;
  options.examples = 2;
  CatalogDiff d = diff(a, b, options);
  if (!d.counted) {
    problem("not counted: " + d.reason);
    return out;
  }
  auto expect = [&](const char* what, const std::string& got, size_t want) {
    if (got != std::to_string(want))
      problem(std::string(what) + ": diff says " + got + ", enumeration " + std::to_string(want));
  };
  expect("old products", d.old_products, old_products.size());
  expect("new products", d.new_products, new_products.size());
  expect("common", d.common, common);
  expect("only old", d.only_old, only_old);
  expect("only new", d.only_new, only_new);
  auto check_examples = [&](const std::vector<std::vector<Choice>>& examples,
                            const std::set<Key>& in, const std::set<Key>& out_of, size_t want) {
    if (examples.size() != std::min<size_t>(want, 2)) problem("wrong number of examples");
    for (const auto& e : examples) {
      Key k;
      for (const auto& c : e) k[c.name] = c.value;
      if (!in.count(k) || out_of.count(k)) problem("example is not on its side: " + text(k));
    }
  };
  check_examples(d.only_old_examples, old_products, new_products, only_old);
  check_examples(d.only_new_examples, new_products, old_products, only_new);
  // Values in some product of one version and none of the other.
  std::set<std::string> alive_old, alive_new, dead, available;
  for (const auto& k : old_products)
    for (const auto& [n, v] : k) alive_old.insert(n + "=" + v);
  for (const auto& k : new_products)
    for (const auto& [n, v] : k) alive_new.insert(n + "=" + v);
  for (const auto& x : alive_old)
    if (!alive_new.count(x)) dead.insert(x);
  for (const auto& x : alive_new)
    if (!alive_old.count(x)) available.insert(x);
  std::set<std::string> got_dead, got_available;
  for (const auto& c : d.became_dead) got_dead.insert(c.name + "=" + c.value);
  for (const auto& c : d.became_available) got_available.insert(c.name + "=" + c.value);
  if (got_dead != dead) problem("became_dead differs from enumeration");
  if (got_available != available) problem("became_available differs from enumeration");

  // Revalidate a few old products (valid ones and invalid ones) against the new version.
  std::vector<Order> orders;
  std::vector<size_t> picked;
  for (int n = 0; n < 6 && before.size() > 0; ++n) {
    size_t i =
        n < 4 && !before.valid_configs().empty()
            ? before.valid_configs()[rng.below(static_cast<int>(before.valid_configs().size()))]
            : static_cast<size_t>(rng.below(static_cast<int>(before.size())));
    Order o;
    o.complete = true;
    for (const auto& [name, value] : key_of(before, i)) o.choices.push_back({name, value});
    if (before.valid(i)) o.total = Decimal::from_units(before.price(i));
    orders.push_back(o);
    picked.push_back(i);
  }
  Revalidation r = revalidate(b, orders);
  std::map<Key, size_t> new_index;
  for (size_t i : after.valid_configs()) new_index[compared(key_of(after, i), edited)] = i;
  for (size_t n = 0; n < orders.size(); ++n) {
    const OrderCheck& check = r.orders[n];
    const Finding& found = r.finding(check);
    Key k = compared(key_of(before, picked[n]), g.catalog);
    auto it = new_index.find(k);
    // Names the new version lacks (a block taken out of a multi-block slot) only matter when set.
    Verdict want = Verdict::broken;
    if (it != new_index.end()) {
      int64_t price = after.price(it->second);
      want =
          orders[n].total && orders[n].total->units() != price ? Verdict::repriced : Verdict::valid;
      if (!check.new_total || check.new_total->units() != price)
        problem("order " + std::to_string(n) + ": new price differs from enumeration");
    }
    tally.broken += want == Verdict::broken;
    tally.repriced += want == Verdict::repriced;
    if (check.verdict != want) {
      problem("order " + std::to_string(n) + " (" + text(k) + "): verdict " +
              to_string(check.verdict) + ", enumeration " + to_string(want));
      continue;
    }
    if (want != Verdict::broken) continue;
    // Some repair exists unless the new version makes nothing at all.
    if (found.repairs.empty() && !new_products.empty()) problem("a broken order without a repair");
    for (const auto& rep : found.repairs) {
      // The repaired product is a valid product of the new version with every choice kept.
      Key fixed;
      for (const auto& c : rep.product) fixed[c.name] = c.value;
      if (!new_index.count(compared(fixed, edited))) problem("a repair yields an invalid product");
      std::set<std::string> dropped;
      for (const auto& c : rep.drop) dropped.insert(c.name);
      for (const auto& c : orders[n].choices) {
        if (dropped.count(c.name)) continue;
        auto f = fixed.find(c.name);
        std::string now = f == fixed.end() ? empty_value(c.name, edited) : f->second;
        if (now != c.value) problem("a repair changes " + c.name + " without dropping it");
      }
      // Minimal: keeping any one dropped choice back leaves no product (choices the new version
      // cannot hold at all must go in every repair).
      for (const auto& back : rep.drop) {
        bool exists = false;
        for (const auto& [key, i] : new_index) {
          bool agrees = true;
          for (const auto& c : orders[n].choices) {
            if (dropped.count(c.name) && c.name != back.name) continue;
            auto f = key.find(c.name);
            if (f == key.end() || f->second != c.value) agrees = false;
          }
          if (agrees) exists = true;
        }
        if (exists) problem("a repair is not minimal: " + back.name + " could stay");
      }
    }
  }
  return out;
}

}  // namespace

TEST_CASE("diff and revalidate agree with brute-force enumeration on random edits",
          "[property][versions]") {
  VersionsTally t;
  RunSummary s = run_cases("versions", 150, [&](uint64_t seed) { return versions_case(seed, t); });
  report(s, "catalog versions");
  if (!env("SUMISURA_PROPERTY_VERBOSE").empty())
    std::cerr << "catalog versions: " << t.checked << " edits checked, " << t.skipped
              << " edits the catalog could not take; " << t.only_old << " with old-only products, "
              << t.only_new << " with new-only ones; " << t.broken << " broken and " << t.repriced
              << " repriced orders\n";
}

TEST_CASE("diff and revalidate agree with brute-force enumeration (long run)",
          "[.][.slow][property-slow][versions]") {
  VersionsTally t;
  RunSummary s =
      run_cases("versions-slow", 1500, [&](uint64_t seed) { return versions_case(seed, t); });
  report(s, "catalog versions (long)");
}

TEST_CASE("a session saved under another version keeps what still holds", "[versions]") {
  Configurator old_version = Configurator::from_file(SUMISURA_SOURCE_DIR "/catalogs/shoes.yaml");
  Configurator next =
      Configurator::from_file(SUMISURA_SOURCE_DIR "/tests/golden/versions/shoes-next.yaml");
  Session s = old_version.session();
  REQUIRE(s.choose("product", "derby").accepted);
  REQUIRE(s.choose("sole", "sole_resin").accepted);
  REQUIRE(s.choose("size", "39").accepted);
  REQUIRE(s.choose("width", "wide").accepted);
  ResumeReport report;
  Session resumed = Session::from_json(next, s.to_json(), &report);
  CHECK(report.catalog_changed);
  CHECK(report.saved_version == "2026.1");
  CHECK(resumed.choices() == std::vector<Choice>{{"product", "derby"}, {"size", "39"}});
  REQUIRE(report.dropped.size() == 2);
  CHECK(report.dropped[0].choice == Choice{"sole", "sole_resin"});
  CHECK(report.dropped[1].choice == Choice{"width", "wide"});
  REQUIRE(report.dropped[1].explanation.rules.size() == 1);
  CHECK(report.dropped[1].explanation.rules[0].id == "wide-lasts");
  CHECK_THROWS_AS(resumed.undo(), Error);  // the history starts afresh
  // Under its own version nothing changes.
  ResumeReport same;
  Session again = Session::from_json(old_version, s.to_json(), &same);
  CHECK_FALSE(same.catalog_changed);
  CHECK(again.choices() == s.choices());
  CHECK(same.dropped.empty());
}

}  // namespace sumisura::proptest

namespace sumisura::proptest {

TEST_CASE("diff matches positional rules by content: one clause removed is one change",
          "[versions]") {
  const std::string before = "c 1 a\nc 2 b\nc 3 c\np cnf 3 3\n1 2 0\n-1 3 0\n-2 -3 0\n";
  const std::string after = "c 1 a\nc 2 b\nc 3 c\np cnf 3 2\n-1 3 0\n-2 -3 0\n";
  Configurator a(parse_catalog(before, ModelFormat::dimacs, "v1.dimacs"));
  Configurator b(parse_catalog(after, ModelFormat::dimacs, "v2.dimacs"));
  CatalogDiff d = diff(a, b);
  std::vector<std::string> rules;
  for (const auto& c : d.changes)
    if (c.kind == "rule") rules.push_back(c.change + " " + c.id);
  CHECK(rules == std::vector<std::string>{"removed clause-1"});
  // Models of (a or b), (not a or c), (not b or not c): a=1,b=0,c=1 and a=0,b=1,c=0; without the
  // first clause a=0,b=0,c=0 and a=0,b=0,c=1 too.
  REQUIRE(d.counted);
  CHECK(d.old_products == "2");
  CHECK(d.new_products == "4");
  CHECK(d.only_new == "2");
  CHECK(d.only_old == "0");
  REQUIRE(d.only_new_examples.size() == 2);
  for (const auto& e : d.only_new_examples) {
    REQUIRE(e.size() == 3);
    CHECK(e[0].value == "false");  // a
    CHECK(e[1].value == "false");  // b
  }
}

}  // namespace sumisura::proptest

namespace sumisura::proptest {

TEST_CASE("catalog versions: the edge cases of the review", "[versions]") {
  Catalog shoes = load_catalog(SUMISURA_SOURCE_DIR "/catalogs/shoes.yaml");
  Configurator old_version(shoes);

  SECTION(
      "a quantity written 1.0 is the quantity 1; an order the engine cannot read is not fatal") {
    std::vector<Order> orders = parse_saved_orders(
        old_version,
        "{\"choices\": {\"product\": \"oxford\", \"size\": 42, \"accessories.shoe_trees\": 1.0}}\n"
        "{\"choices\": {\"product\": \"oxford\", \"size\": 42}}\n");
    Revalidation r = revalidate(old_version, orders);
    REQUIRE(r.orders.size() == 2);
    CHECK(r.orders[0].verdict == Verdict::valid);
    CHECK(r.orders[1].verdict == Verdict::valid);
  }
  SECTION("a variable only one version has is not compared: not the same products") {
    Catalog more = shoes;
    Option stamp;
    stamp.id = "stamp";
    for (const char* v : {"plain", "initials", "crest"}) stamp.values.push_back({Value::string(v)});
    more.options.push_back(stamp);
    for (auto& p : more.products)
      if (!p.options.empty()) p.options.push_back("stamp");
    CatalogDiff d = diff(old_version, Configurator(more));
    CHECK(d.not_compared.size() == 1);
    CHECK_FALSE(d.same_products());
  }
  SECTION("a rule whose message alone changed is a change") {
    Catalog reworded = shoes;
    for (auto& rule : reworded.rules)
      if (rule.id == "wide-lasts") rule.message = "Wide lasts start at 39.";
    CatalogDiff d = diff(old_version, Configurator(reworded));
    REQUIRE(d.changes.size() == 1);
    CHECK(d.changes[0].id == "wide-lasts");
    CHECK(d.changes[0].fields[0].field == "message");
    CHECK(d.same_products());
  }
  SECTION("a changed catalog with the same version string is told by its fingerprint") {
    Catalog quiet = load_catalog(SUMISURA_SOURCE_DIR "/tests/golden/versions/shoes-next.yaml");
    quiet.version = shoes.version;
    Session s = old_version.session();
    REQUIRE(s.choose("product", "derby").accepted);
    REQUIRE(s.choose("sole", "sole_resin").accepted);
    ResumeReport report;
    Configurator next(quiet);
    Session resumed = Session::from_json(next, s.to_json(), &report);
    CHECK(report.catalog_changed);
    CHECK(resumed.choices() == std::vector<Choice>{{"product", "derby"}});
    REQUIRE(report.dropped.size() == 1);
    CHECK(report.dropped[0].choice == Choice{"sole", "sole_resin"});
  }
}

}  // namespace sumisura::proptest
