// Minimal reproducers of engine bugs found by the property tests (test_properties_configure.cpp,
// test_properties_session.cpp), reduced by hand to a few lines of catalog and specification.
//
// Each was an engine bug; each is fixed and stays here as a regression test (and the random tests
// cover these cases again: see KnownBugs in tests/support/property_checks.hpp).
#include <catch2/catch.hpp>

#include "sumisura/sumisura.hpp"

using namespace sumisura;

namespace {

// Two bundles share block `a`. The product (a and b, 200) has two maximal packings: {big} (150)
// and {small} (190). The documentation: "when several bundles overlap, the engine applies the
// combination that is cheapest for the customer", so the product costs 150.
const char* kOverlappingBundles = R"(
catalog: {name: overlapping bundles, version: "1"}
blocks:
  - {id: a, price: 100}
  - {id: b, price: 100}
slots:
  - {id: s1, cardinality: 1, blocks: [a]}
  - {id: s2, cardinality: 1, blocks: [b]}
bundles:
  - {id: big, items: [a, b], discount: 50}
  - {id: small, items: [a], discount: 10}
)";

}  // namespace

TEST_CASE("bundles: the cheapest packing is the price when nothing else is asked", "[bundles]") {
  Configurator c(parse_catalog(kOverlappingBundles));
  ConfigureResult r = c.configure(Spec{});
  REQUIRE(r.status == Status::optimal);
  CHECK(r.price.total.to_string() == "150");
}

TEST_CASE("bundles: a requirement on the price cannot pick a dearer bundle packing",
          "[regression]") {
  // The only product costs 150, so `price > 160` cannot hold. The engine applies `small` instead
  // of `big`, reports the product at 190 and calls it optimal.
  Configurator c(parse_catalog(kOverlappingBundles));
  Spec spec;
  spec.requirements.push_back(Requirement::expression_of("price > 160"));
  ConfigureResult r = c.configure(spec);
  CHECK(r.status == Status::infeasible);
  CHECK(r.price.total.to_string() != "190");
}

TEST_CASE("bundles: a preference on the price cannot pick a dearer bundle packing",
          "[regression]") {
  // Preferences are maximised first; the engine meets `price > 160` by applying the dearer
  // packing and charges 190 for a product that costs 150.
  Configurator c(parse_catalog(kOverlappingBundles));
  Spec spec;
  spec.preferences.push_back({"price > 160", Decimal::from_integer(1), {}});
  ConfigureResult r = c.configure(spec);
  REQUIRE(r.status == Status::optimal);
  CHECK(r.price.total.to_string() == "150");
  REQUIRE(r.preferences.size() == 1);
  CHECK_FALSE(r.preferences[0].met);
}

TEST_CASE("bundles: a catalog rule on the price cannot pick a dearer bundle packing",
          "[regression]") {
  // With the rule `price >= 160` no product is valid (the only one costs 150); the engine finds
  // one by applying the dearer packing.
  Catalog catalog = parse_catalog(kOverlappingBundles);
  Rule rule;
  rule.id = "dear";
  rule.message = "at least 160";
  rule.expression = "price >= 160";
  catalog.rules.push_back(rule);
  Configurator c(catalog);
  ConfigureResult r = c.configure(Spec{});
  CHECK(r.status == Status::infeasible);
}

TEST_CASE("bundles: the session's price range uses the cheapest packing", "[regression]") {
  // One product, at 150: the range is 150 to 150. The engine maximises over bundle packings too
  // and shows 150 to 190.
  Configurator c(parse_catalog(kOverlappingBundles));
  Session s = c.session();
  SessionState state = s.state();
  REQUIRE(state.price_min);
  REQUIRE(state.price_max);
  CHECK(state.price_min->to_string() == "150");
  CHECK(state.price_max->to_string() == "150");
}

namespace {

// Block `b` fills only slot `s`, so the choices s=b and b=true say the same thing.
const char* kAliases = R"(
catalog: {name: aliases, version: "1"}
blocks:
  - {id: a, price: 1}
  - {id: b, price: 2}
slots:
  - {id: s, cardinality: 1, blocks: [a, b]}
rules:
  - {id: no-b, message: b is out of stock, forbid: b}
)";

}  // namespace

TEST_CASE("domains: a conflict between equivalent choices names only one of them", "[regression]") {
  // Each of s=b and b=true contradicts the catalog on its own; the conflict must be minimal
  // ("drop any one requirement and the rest can be met"), so it names one. The engine names both
  // (they compile to the same literal).
  Configurator c(parse_catalog(kAliases));
  Domains d = c.domains({Requirement::parse_where("s=b"), Requirement::parse_where("b=true")});
  CHECK_FALSE(d.feasible);
  CHECK(d.conflict.requirement_indices.size() == 1);
}

TEST_CASE("sessions: an explanation between equivalent choices names only one of them",
          "[regression]") {
  // Choices s=b and b=true (same meaning); a=true is refused because the slot holds b. A minimal
  // explanation names one of the two choices; the engine names both.
  Catalog catalog = parse_catalog(kAliases);
  catalog.rules.clear();
  Configurator c(catalog);
  Session s = c.session();
  REQUIRE(s.choose("s", "b").accepted);
  REQUIRE(s.choose("b", "true").accepted);
  ChooseResult r = s.choose("a", "true");
  REQUIRE_FALSE(r.accepted);
  CHECK(r.explanation.choices.size() == 1);
}

namespace {

// Both rules have the condition `a or b`. The engine builds the gate for it once, while compiling
// rule `first`, tags its defining clauses with that rule, and reuses it for rule `second`.
const char* kSharedCondition = R"(
catalog: {name: shared condition, version: "1"}
options:
  - {id: a, type: boolean}
  - {id: b, type: boolean}
  - {id: c, type: boolean}
  - {id: d, type: boolean}
rules:
  - {id: first, message: a or b needs d, when: a or b, require: d}
  - {id: second, message: a or b needs c, when: a or b, require: c}
)";

}  // namespace

TEST_CASE("conflicts: the catalog rules named are minimal", "[regression]") {
  // a=true and c=false clash with rule `second` alone (rule `first` only asks for d, which is
  // free). Explanations disable rules one by one; disabling `first` also drops the definition of
  // the shared gate `a or b`, which sets `second` free, so the engine believes it needs both.
  Configurator c(parse_catalog(kSharedCondition));
  Spec spec;
  spec.requirements.push_back(Requirement::parse_where("a=true"));
  spec.requirements.push_back(Requirement::parse_where("c=false"));
  ConfigureResult r = c.configure(spec);
  REQUIRE(r.status == Status::infeasible);
  std::vector<std::string> ids;
  for (const auto& rule : r.conflict.rules) ids.push_back(rule.id);
  CHECK(ids == std::vector<std::string>{"second"});
}

TEST_CASE("sessions: the catalog rules an explanation names are minimal", "[regression]") {
  Configurator c(parse_catalog(kSharedCondition));
  Session s = c.session();
  REQUIRE(s.choose("a", "true").accepted);
  ChooseResult r = s.choose("c", "false");
  REQUIRE_FALSE(r.accepted);
  std::vector<std::string> ids;
  for (const auto& rule : r.explanation.rules) ids.push_back(rule.id);
  CHECK(ids == std::vector<std::string>{"second"});
}

TEST_CASE("domains: a rule on the price restricts the valid values", "[regression]") {
  // Only y makes the price reach 40, so s can only hold y. Found on the working tree of
  // 2026-11-23 (uncommitted changes to reason/domains.cpp and compile/checker.cpp: values proved
  // by flipping one variable of a witness): the domain came out as none, x, y.
  Configurator c(parse_catalog(R"(
catalog: {name: price rule, version: "1"}
blocks:
  - {id: x, price: 10}
  - {id: y, price: 50}
slots:
  - {id: s, cardinality: 0..1, blocks: [x, y]}
rules:
  - {id: dear, message: at least 40, forbid: price < 40}
)"));
  Domains d = c.domains({});
  REQUIRE(d.feasible);
  REQUIRE(d.entries.size() == 1);
  CHECK(d.entries[0].values == std::vector<Value>{Value::string("y")});
  Session s = c.session();
  SessionState state = s.state();
  REQUIRE(state.find("s"));
  CHECK(state.find("s")->valid_values() == std::vector<Value>{Value::string("y")});
  CHECK(state.find("s")->implied == Value::string("y"));
}
