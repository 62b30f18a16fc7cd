// Sessions: domains after clicks, implied values, defaults, refusals with explanations, repairs,
// undo, JSON round trips, and sharing one Configurator between threads.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "sumisura/sumisura.hpp"

using namespace sumisura;

namespace {

const char* kCatalog = R"(
catalog: {name: Bikes, version: "3"}
options:
  - {id: frame, values: [small, medium, large], default: medium}
  - {id: wheel, values: [w26, w28, w29]}
  - {id: ebike, type: boolean, price: 900}
blocks:
  - {id: battery_s, price: 300, attributes: {wh: 400}}
  - {id: battery_l, price: 450, attributes: {wh: 625}}
  - {id: rack, price: 40}
slots:
  - {id: battery, cardinality: 0..1, blocks: [battery_s, battery_l]}
  - {id: extras, cardinality: 0..1, blocks: [rack]}
rules:
  - {id: small-wheels, message: Small frames take 26 inch wheels., require: frame == small iff wheel == w26}
  - {id: big-frame, message: 29 inch wheels need a large frame., require: wheel == w29 implies frame == large}
  - {id: ebike-battery, message: An e-bike needs a battery., require: ebike iff battery != none}
  - {id: small-battery, message: Small frames hold the small battery only., forbid: frame == small and battery == battery_l}
)";

std::vector<std::string> valid(const SessionState& s, const std::string& name) {
  std::vector<std::string> out;
  for (const auto& v : s.find(name)->valid_values()) out.push_back(v.to_string());
  return out;
}

/// Keeps `c` on search: a compilation with no work to spend settles it uncompiled, with no
/// relaxed form either (whose passes need no price budget and share no ranges).
void keep_on_search(Configurator& c) {
  CompileOptions uncompiled;
  uncompiled.work = 1;
  REQUIRE_FALSE(c.compile(uncompiled).compiled);
  REQUIRE(c.compile(uncompiled).left_out.empty());
}

}  // namespace

TEST_CASE("a session narrows domains click by click", "[session]") {
  Configurator c(parse_catalog(kCatalog));
  Session s = c.session();
  SessionState start = s.state();
  CHECK(valid(start, "frame") == std::vector<std::string>{"small", "medium", "large"});
  REQUIRE(start.find("frame")->default_value);
  CHECK(start.find("frame")->default_value->to_string() == "medium");
  REQUIRE(start.price_min);
  CHECK(*start.price_min == Decimal());
  CHECK(*start.price_max == Decimal::from_integer(900 + 450 + 40));

  REQUIRE(s.choose("wheel", "w29").accepted);
  SessionState after = s.state();
  CHECK(valid(after, "frame") == std::vector<std::string>{"large"});
  REQUIRE(after.find("frame")->implied);
  CHECK(after.find("frame")->implied->to_string() == "large");
  CHECK_FALSE(after.find("frame")->default_value);  // medium is no longer valid
  CHECK(after.find("wheel")->chosen->to_string() == "w29");
}

TEST_CASE("a value that leads to a dead end is refused with its explanation", "[session]") {
  Configurator c(parse_catalog(kCatalog));
  Session s = c.session();
  REQUIRE(s.choose("frame", "small").accepted);
  REQUIRE(s.choose("ebike", "true").accepted);
  CHECK(valid(s.state(), "battery") == std::vector<std::string>{"battery_s"});
  ChooseResult r = s.choose("battery", "battery_l");
  CHECK_FALSE(r.accepted);
  REQUIRE(r.explanation.choices.size() == 1);
  CHECK(r.explanation.choices[0] == Choice{"frame", "small"});
  REQUIRE(r.explanation.rules.size() == 1);
  CHECK(r.explanation.rules[0].id == "small-battery");
  CHECK(s.choices().size() == 2);  // unchanged

  auto repairs = s.repairs("battery", "battery_l");
  REQUIRE(repairs.size() == 1);
  CHECK(repairs[0].drop == std::vector<Choice>{{"frame", "small"}});

  // Choosing the same name again replaces the earlier choice.
  REQUIRE(s.choose("frame", "large").accepted);
  CHECK(s.choices().back() == Choice{"frame", "large"});
  CHECK(s.choose("battery", "battery_l").accepted);
}

TEST_CASE("undo, unchoose, reset and JSON round trips", "[session]") {
  Configurator c(parse_catalog(kCatalog));
  Session s = c.session();
  s.choose("frame", "small");
  s.choose("extras", "rack");
  s.unchoose("frame");
  CHECK(s.choices() == std::vector<Choice>{{"extras", "rack"}});
  s.undo();
  CHECK(s.choices().size() == 2);
  std::string saved = s.to_json();
  Session resumed = Session::from_json(c, saved);
  CHECK(resumed.choices() == s.choices());
  CHECK(valid(resumed.state(), "wheel") == valid(s.state(), "wheel"));
  resumed.undo();
  resumed.undo();
  CHECK(resumed.choices().empty());
  CHECK_THROWS_AS(resumed.undo(), Error);
  s.reset();
  CHECK(s.choices().empty());
  CHECK_THROWS_AS(Session::from_json(c, "{\"format\": \"x\"}"), Error);
  CHECK_THROWS_AS(Session::from_json(c, "not json"), Error);
  CHECK_THROWS_AS(s.choose("frame", "huge"), Error);
}

TEST_CASE("complete finishes the product from the choices", "[session]") {
  Configurator c(parse_catalog(kCatalog));
  Session s = c.session();
  s.choose("ebike", "true");
  ConfigureResult r = s.complete({Objective::cheapest});
  REQUIRE(r.status == Status::optimal);
  CHECK(r.price.total == Decimal::from_integer(1200));
}

TEST_CASE("domains lists a minimal contradicting subset of choices", "[session][domains]") {
  Configurator c(parse_catalog(kCatalog));
  Domains d =
      c.domains({Requirement::parse_where("ebike=true"), Requirement::parse_where("frame=small"),
                 Requirement::parse_where("wheel=w29")});
  CHECK_FALSE(d.feasible);
  CHECK(d.conflict.requirements == std::vector<std::string>{"frame=small", "wheel=w29"});
}

TEST_CASE("one configurator serves many sessions in many threads", "[session][threads]") {
  Configurator c(parse_catalog(kCatalog));
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&c, &failures, t] {
      for (int i = 0; i < 20; ++i) {
        Session s = c.session();
        const char* wheel = (i + t) % 2 ? "w26" : "w29";
        s.choose("wheel", wheel);
        auto frames = s.state().find("frame")->valid_values();
        std::string expected = (i + t) % 2 ? "small" : "large";
        if (frames.size() != 1 || frames[0].to_string() != expected) ++failures;
        Spec spec;
        spec.requirements.push_back(Requirement::parse_where("ebike=true"));
        if (c.configure(spec).price.total != Decimal::from_integer(1200)) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  CHECK(failures == 0);
}

TEST_CASE("the price range stays exact when a resumed minimisation has relaxed every cost",
          "[session][regression]") {
  // Found by the property tests: the dearest price over valid completions once came back as the
  // sum of every price term, after a click that forced the optimiser to resume.
  Configurator c(parse_catalog(R"(
catalog: {name: Resume}
attributes:
  - {id: w, type: number, default: 1}
options:
  - {id: rush, type: boolean, default: false}
blocks:
  - {id: b1, price: 0, attributes: {w: 2.5}, requires: [b2]}
  - {id: b2, price: 7.5, excludes: [b1]}
slots:
  - {id: s1, cardinality: 0..1, blocks: [b1, b2]}
products:
  - {id: p1, base_price: 120.5}
services:
  - {id: warranty, price: {amount: 9.99, percent: 2.5, of: product}, offered_when: s1.w > 1}
rules:
  - {id: r1, message: m, require: "s1 in [b1, none]"}
)"));
  Session s = c.session();
  CHECK(*s.state().price_max == Decimal::parse("120.5"));
  REQUIRE(s.choose("s1", "none").accepted);
  s.state();
  REQUIRE(s.choose("rush", "false").accepted);
  SessionState st = s.state();
  CHECK(*st.price_min == Decimal::parse("120.5"));
  CHECK(*st.price_max == Decimal::parse("120.5"));
}

TEST_CASE("a price range stopped by its budget is left out, and the next state carries on",
          "[session][limits]") {
  Configurator c =
      Configurator::from_file(std::string(SUMISURA_SOURCE_DIR) + "/catalogs/bicycle.yaml");
  keep_on_search(c);  // whose ranges have a budget
  Limits none;        // the range's budget is spent before it starts
  none.price_seconds = 1e-9;
  Session s = c.session();
  REQUIRE(s.choose("color", "signal_orange").accepted);
  SessionState limited = s.state(none);
  CHECK(limited.price_limited);
  CHECK_FALSE(limited.price_min);
  CHECK(limited.complete);  // the domains do not depend on the range
  Limits ample;
  ample.price_seconds = 0;  // no budget but the call's own
  ample.seconds = 120;
  SessionState resumed = s.state(ample);
  // The truth from a catalog of its own: sessions of one catalog share the ranges they compute.
  Configurator other =
      Configurator::from_file(std::string(SUMISURA_SOURCE_DIR) + "/catalogs/bicycle.yaml");
  Session fresh = other.session();
  REQUIRE(fresh.choose("color", "signal_orange").accepted);
  SessionState expected = fresh.state(ample);
  REQUIRE(expected.price_min);
  CHECK_FALSE(resumed.price_limited);
  REQUIRE(resumed.price_min);
  CHECK(*resumed.price_min == *expected.price_min);
  CHECK(*resumed.price_max == *expected.price_max);
  // Stopped somewhere in the middle (wherever these budgets happen to end), then resumed after
  // one more click: still the exact range.
  // (A new height each time, so that no range comes from an earlier round.)
  int height = 175;
  for (double budget : {1e-4, 1e-3, 1e-2}) {
    Session t = c.session();
    Limits short_budget;
    short_budget.price_seconds = budget;
    REQUIRE(t.choose("color", "signal_orange").accepted);
    t.state(short_budget);
    REQUIRE(t.choose("rider_height", std::to_string(++height)).accepted);
    t.state(short_budget);
    SessionState after = t.state(ample);
    REQUIRE(fresh.choose("rider_height", std::to_string(height)).accepted);
    SessionState truth = fresh.state(ample);
    fresh.undo();
    REQUIRE(after.price_min);
    CHECK(*after.price_min == *truth.price_min);
    CHECK(*after.price_max == *truth.price_max);
  }
}

TEST_CASE("sessions of one catalog share the price ranges they compute, per tier", "[session]") {
  const std::string path = std::string(SUMISURA_SOURCE_DIR) + "/catalogs/bicycle.yaml";
  Configurator c = Configurator::from_file(path);
  keep_on_search(c);                                   // whose ranges are the ones shared
  Configurator truth = Configurator::from_file(path);  // computes every range itself
  Limits ample;
  ample.price_seconds = 0;
  ample.seconds = 120;
  auto range = [&](Session& s) {
    SessionState st = s.state(ample);
    REQUIRE(st.price_min);
    REQUIRE(st.price_max);
    return std::make_pair(*st.price_min, *st.price_max);
  };
  Session a = c.session();
  REQUIRE(a.choose("frame", "frame_mtb_alu").accepted);
  auto mtb = range(a);
  a.reset();
  auto none = range(a);
  REQUIRE(a.choose("frame", "frame_mtb_alu").accepted);
  CHECK(range(a) == mtb);   // the state seen before
  Session b = c.session();  // a new session: its first page and the same click
  CHECK(range(b) == none);
  REQUIRE(b.choose("frame", "frame_mtb_alu").accepted);
  CHECK(range(b) == mtb);
  Session t = truth.session();
  CHECK(range(t) == none);
  REQUIRE(t.choose("frame", "frame_mtb_alu").accepted);
  CHECK(range(t) == mtb);
  // A member's prices are their tier's, never another customer's range for the same choices.
  Profile member;
  member.id = "m1";
  member.tier = "club";
  Session m = c.session();
  m.set_profile(member);
  REQUIRE(m.choose("frame", "frame_mtb_alu").accepted);
  auto discounted = range(m);
  CHECK(discounted.first < mtb.first);
  Session mt = truth.session();
  mt.set_profile(member);
  REQUIRE(mt.choose("frame", "frame_mtb_alu").accepted);
  CHECK(range(mt) == discounted);
}
