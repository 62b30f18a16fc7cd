// The properties checked against the brute force (see property_checks.hpp).
#include "property_checks.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include "random_catalog.hpp"

namespace sumisura::proptest {
namespace {

std::string money(int64_t units) {
  return Decimal::from_units(units).to_string();
}

std::string vec_text(const std::vector<int64_t>& v) {
  std::string out = "(";
  for (size_t k = 0; k < v.size(); ++k) out += (k ? ", " : "") + money(v[k]);
  return out + ")";
}

std::string indices_text(const std::vector<int>& v) {
  std::string out = "{";
  for (size_t k = 0; k < v.size(); ++k) out += (k ? ", " : "") + std::to_string(v[k]);
  return out + "}";
}

uint64_t mask_of(const std::vector<int>& indices) {
  uint64_t m = 0;
  for (int i : indices) m |= uint64_t{1} << i;
  return m;
}

int default_index(const Option& o) {
  if (o.default_value) {
    for (size_t k = 0; k < o.values.size(); ++k) {
      if (o.values[k].value == *o.default_value) return k;
    }
  }
  return 0;
}

std::string packings_text(const BruteForce& w, size_t i, int tier) {
  std::string out;
  for (const auto& [p, total] : w.packings(i, tier)) {
    std::vector<std::string> ids;
    for (int b : p) ids.push_back(w.catalog().bundles[b].id);
    std::string list;
    for (const auto& id : ids) list += (list.empty() ? "" : ",") + id;
    out += " [" + list + "]=" + money(total);
  }
  return out;
}

// The catalog constraints an explanation names: with them alone (and the structure every product
// has), no assignment meets `holds`; without any one of them, some assignment does.
void check_rules(const BruteForce& w, const std::vector<RuleRef>& rules,
                 const std::function<bool(size_t)>& holds, const std::string& what,
                 const KnownBugs& bugs, Problems& problems) {
  if (w.groups().size() > 63) return;
  uint64_t named = 0;
  std::string listed;
  for (const auto& r : rules) {
    int g = w.group_of(r.kind, r.id);
    listed += (listed.empty() ? "" : ", ") + r.kind + ":" + r.id;
    if (g < 0) {
      problems.push_back(what + ": names an unknown catalog constraint " + r.kind + ":" + r.id);
      return;
    }
    named |= uint64_t{1} << g;
  }
  std::vector<size_t> candidates;
  for (size_t i = 0; i < w.size(); ++i) {
    if (holds(i)) candidates.push_back(i);
  }
  auto possible = [&](uint64_t groups) -> std::optional<size_t> {
    for (size_t i : candidates) {
      if ((w.violated(i) & groups) == 0) return i;
    }
    return std::nullopt;
  };
  if (auto i = possible(named)) {
    problems.push_back(what + ": the constraints named [" + listed + "] do not exclude " +
                       w.describe(*i) + " (it violates " + w.violation(*i) + ")");
    return;
  }
  for (size_t g = 0; g < w.groups().size() && !bugs.shared_gates; ++g) {
    if ((named >> g & 1) && !possible(named & ~(uint64_t{1} << g))) {
      problems.push_back(what + ": the constraints named [" + listed +
                         "] are not minimal: " + w.groups()[g] + " is not needed");
    }
  }
}

// The optimum of an oracle over its feasible products (nullopt when there is none).
std::optional<std::vector<int64_t>> optimum(const SpecOracle& o, uint64_t subset) {
  std::optional<std::vector<int64_t>> best;
  for (size_t i : o.products(subset)) {
    auto v = o.objective(i);
    if (!best || v < *best) best = v;
  }
  return best;
}

// The product of a result: valid, meeting every requirement, optimal, priced right.
void check_product(const BruteForce& w, const SpecOracle& o, const ConfigureResult& r,
                   const std::string& what, Problems& problems) {
  const Catalog& c = w.catalog();
  std::string err;
  auto cfg = result_config(w, r, err);
  if (!cfg) {
    problems.push_back(what + ": the product cannot be read: " + err);
    return;
  }
  auto found = w.find(*cfg);
  if (!found) {
    problems.push_back(what + ": the product is not a complete assignment: " + w.describe(*cfg));
    return;
  }
  size_t i = *found;
  std::string shown = w.describe(i);
  if (!w.valid(i)) {
    problems.push_back(what + ": the product violates " + w.violation(i) + ": " + shown);
    return;
  }
  uint64_t m = o.mask(i);
  if ((m & o.all()) != o.all()) {
    for (size_t k = 0; k < o.requirements(); ++k) {
      if (!(m >> k & 1))
        problems.push_back(what + ": the product violates requirement " + std::to_string(k) + ": " +
                           shown);
    }
  }
  auto best = optimum(o, o.all());
  auto got = o.objective(i);
  if (best && got != *best) {
    problems.push_back(what + ": not optimal: objective " + vec_text(got) + " but the best is " +
                       vec_text(*best) + "; engine: " + shown);
  }
  int tier = o.tier();
  int64_t price = w.price(i, tier);
  if (r.price.total.units() != price) {
    problems.push_back(what + ": total " + r.price.total.to_string() + " but the product costs " +
                       money(price) + " (bundle packings:" + packings_text(w, i, tier) +
                       ", engine applied " + std::to_string(r.bundles.size()) +
                       " bundles): " + shown);
  }
  PriceParts parts = w.price_parts(i, tier);
  auto part = [&](const char* name, Decimal got_part, int64_t want) {
    if (got_part.units() != want) {
      problems.push_back(what + ": price." + name + " is " + got_part.to_string() + ", expected " +
                         money(want) + ": " + shown);
    }
  };
  part("base", r.price.base, parts.base);
  part("options", r.price.options, parts.options);
  part("blocks", r.price.blocks, parts.blocks);
  part("services", r.price.services, parts.services);
  int64_t sum = r.price.base.units() + r.price.options.units() + r.price.blocks.units() +
                r.price.services.units() + r.price.bundles.units() + r.price.tier.units();
  if (sum != r.price.total.units())
    problems.push_back(what + ": the price breakdown does not add up to the total");
  if (tier < 0 && r.price.tier != Decimal())
    problems.push_back(what + ": a tier discount without a tier");
  // The bundles applied: a maximal packing, priced as reported.
  std::vector<int> applied;
  for (const auto& id : r.bundles) {
    for (size_t b = 0; b < c.bundles.size(); ++b) {
      if (c.bundles[b].id == id) applied.push_back(b);
    }
  }
  std::sort(applied.begin(), applied.end());
  bool listed = false;
  for (const auto& [p, total] : w.packings(i, tier)) listed = listed || p == applied;
  if (!listed)
    problems.push_back(what +
                       ": the bundles applied are not a maximal packing: " + indices_text(applied));
  else if (w.price_with(i, applied, tier) != r.price.total.units()) {
    problems.push_back(what + ": the bundles applied do not give the reported total");
  }
  // Preferences, measures, bill of materials.
  for (size_t k = 0; k < r.preferences.size(); ++k) {
    if (r.preferences[k].met != o.preference_met(k, i)) {
      problems.push_back(what + ": preference '" + r.preferences[k].text + "' reported " +
                         (r.preferences[k].met ? "met" : "unmet") + ": " + shown);
    }
  }
  if (r.measures.size() != c.measures.size())
    problems.push_back(what + ": wrong number of measures");
  for (size_t k = 0; k < r.measures.size() && k < c.measures.size(); ++k) {
    int64_t v = w.number(*w.measure(k), i, tier);
    if (r.measures[k].value.units() != v) {
      problems.push_back(what + ": measure " + c.measures[k].id + " is " +
                         r.measures[k].value.to_string() + ", expected " + money(v) + ": " + shown);
    }
  }
  std::map<std::pair<std::string, std::string>, int> bom;
  std::vector<std::string> order;
  for (const auto& line : r.bom) {
    bom[{line.slot, line.block}] += line.quantity;
    order.push_back(line.block);
    int b = w.block_index(line.block);
    if (b < 0 || line.line_price.units() != c.blocks[b].price.units() * line.quantity) {
      problems.push_back(what + ": bill line " + line.block + " priced wrong");
    }
  }
  for (size_t s = 0; s < c.slots.size(); ++s) {
    for (size_t k = 0; k < c.slots[s].blocks.size(); ++k) {
      int q = w.config(i).slots[s][k];
      auto it = bom.find({c.slots[s].id, c.slots[s].blocks[k]});
      int got_q = it == bom.end() ? 0 : it->second;
      if (q != got_q)
        problems.push_back(what + ": bill of materials has " + std::to_string(got_q) + " x " +
                           c.slots[s].blocks[k] + " in " + c.slots[s].id + ", the product " +
                           std::to_string(q));
    }
  }
  for (size_t a = 0; a < order.size(); ++a) {
    const Block& blk = c.blocks[w.block_index(order[a])];
    for (const auto& req : blk.requires_blocks) {
      auto pos = std::find(order.begin(), order.end(), req);
      if (pos != order.end() && static_cast<size_t>(pos - order.begin()) > a) {
        problems.push_back(what + ": bill of materials lists " + blk.id + " before " + req +
                           ", which it requires");
      }
    }
  }
}

}  // namespace

void report(const RunSummary& s, const char* what) {
  for (const auto& m : s.messages) FAIL_CHECK(m);
  if (!env("SUMISURA_PROPERTY_VERBOSE").empty()) {
    std::cerr << what << ": " << s.cases << " cases, " << s.failures << " failing, " << s.seconds
              << " s\n";
  }
}

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

std::optional<Config> result_config(const BruteForce& w, const ConfigureResult& r,
                                    std::string& error) {
  const Catalog& c = w.catalog();
  Config cfg;
  if (!c.products.empty()) {
    cfg.product = w.product_index(r.product);
    if (cfg.product < 0) {
      error = "unknown product '" + r.product + "'";
      return std::nullopt;
    }
  }
  for (const auto& o : c.options)
    cfg.options.push_back(default_index(o));  // options the product does not show
  for (const auto& choice : r.options) {
    int o = w.option_index(choice.option);
    if (o < 0) {
      error = "unknown option " + choice.option;
      return std::nullopt;
    }
    int k = -1;
    for (size_t v = 0; v < c.options[o].values.size(); ++v) {
      if (c.options[o].values[v].value == choice.value) k = v;
    }
    if (k < 0) {
      error = "option " + choice.option + " has no value " + choice.value.to_string();
      return std::nullopt;
    }
    cfg.options[o] = k;
  }
  for (const auto& s : c.slots) cfg.slots.push_back(std::vector<int>(s.blocks.size(), 0));
  for (const auto& fill : r.slots) {
    int s = w.slot_index(fill.slot);
    if (s < 0) {
      error = "unknown slot " + fill.slot;
      return std::nullopt;
    }
    for (const auto& item : fill.blocks) {
      int b = w.block_index(item.block);
      int pos = b >= 0 ? w.position_in_slot(s, b) : -1;
      if (pos < 0 || item.quantity <= 0) {
        error = "slot " + fill.slot + " cannot hold " + item.block;
        return std::nullopt;
      }
      cfg.slots[s][pos] += item.quantity;
    }
  }
  cfg.services.assign(c.services.size(), 0);
  for (const auto& id : r.services) {
    int s = w.service_index(id);
    if (s < 0) {
      error = "unknown service " + id;
      return std::nullopt;
    }
    cfg.services[s] = 1;
  }
  return cfg;
}

Problems check_configure(const Configurator& configurator, const BruteForce& w, const Spec& spec,
                         const Limits& limits, const KnownBugs& bugs) {
  Problems problems;
  SpecOracle o(w, spec);
  ConfigureResult r;
  std::string thrown;
  try {
    r = configurator.configure(spec, limits);
  } catch (const Error& e) {
    thrown = e.what();
  }
  if (!o.error().empty()) {
    if (thrown.empty())
      problems.push_back("configure accepted a specification that does not resolve: " + o.error());
    return problems;
  }
  if (!thrown.empty()) {
    problems.push_back("configure threw: " + thrown);
    return problems;
  }
  if (spec.requirements.size() > 20) return {"too many requirements for the brute force"};
  bool feasible = o.feasible(o.all());
  if (feasible) {
    if (r.status != Status::optimal) {
      problems.push_back(std::string("status ") + to_string(r.status) +
                         ", but a product exists (e.g. " + w.describe(o.products(o.all()).front()) +
                         ")");
      return problems;
    }
    check_product(w, o, r, "configure", problems);
    return problems;
  }
  if (r.status != Status::infeasible) {
    std::string err;
    auto cfg = result_config(w, r, err);
    std::string shown = err;
    if (cfg) {
      if (auto found = w.find(*cfg)) {
        size_t i = *found;
        shown = w.describe(i) + (w.valid(i) ? "" : " violating " + w.violation(i));
        for (size_t k = 0; w.valid(i) && k < o.requirements(); ++k) {
          if (!o.requirement_holds(k, i)) shown += "; it violates requirement " + std::to_string(k);
        }
      }
    }
    problems.push_back(std::string("status ") + to_string(r.status) +
                       ", but no product meets the requirements; engine: " + shown);
    return problems;
  }
  // Conflict: infeasible with the catalog, and minimal.
  const auto& conflict = r.conflict.requirement_indices;
  uint64_t cm = mask_of(conflict);
  if (o.feasible(cm)) problems.push_back("conflict " + indices_text(conflict) + " is satisfiable");
  for (int k : conflict) {
    if (!o.feasible(cm & ~(uint64_t{1} << k))) {
      problems.push_back("conflict " + indices_text(conflict) + " is not minimal: without " +
                         std::to_string(k) + " still infeasible");
    }
  }
  if (!r.conflict.minimal) problems.push_back("conflict not marked minimal");
  check_rules(
      w, r.conflict.rules, [&](size_t i) { return (o.mask(i) & cm) == cm; }, "conflict rules", bugs,
      problems);
  for (size_t k = 0; k < conflict.size() && k < r.conflict.requirements.size(); ++k) {
    if (r.conflict.requirements[k] != spec.requirements[conflict[k]].label())
      problems.push_back("conflict label mismatch");
  }
  // Repairs.
  size_t n = spec.requirements.size();
  uint64_t all = o.all();
  std::optional<int64_t> least;
  for (uint64_t drop = 0; drop <= all; ++drop) {
    if ((drop & all) != drop || !o.feasible(all & ~drop)) continue;
    int64_t weight = 0;
    for (size_t k = 0; k < n; ++k) {
      if (drop >> k & 1) weight += spec.requirements[k].weight.units();
    }
    if (!least || weight < *least) least = weight;
  }
  if (!least && !r.repairs.empty())
    problems.push_back(
        "repairs offered although nothing can be repaired (the catalog has no product)");
  if (least && r.repairs.empty() && limits.max_repairs > 0) problems.push_back("no repair offered");
  std::set<std::vector<int>> seen;
  int64_t previous = INT64_MIN;
  uint64_t previous_recency = 0;
  for (size_t k = 0; k < r.repairs.size(); ++k) {
    const Repair& rep = r.repairs[k];
    std::string name = "repair " + std::to_string(k) + " " + indices_text(rep.drop_indices);
    uint64_t drop = mask_of(rep.drop_indices);
    uint64_t rest = all & ~drop;
    if (!o.feasible(rest)) {
      problems.push_back(name + " does not make the rest feasible");
      continue;
    }
    for (int d : rep.drop_indices) {
      if (o.feasible(rest | (uint64_t{1} << d)))
        problems.push_back(name + " is not minimal: " + std::to_string(d) + " can be kept");
    }
    int64_t weight = 0;
    for (int d : rep.drop_indices) weight += spec.requirements[d].weight.units();
    if (rep.weight_lost.units() != weight)
      problems.push_back(name + " reports weight " + rep.weight_lost.to_string());
    if (k == 0 && least && weight != *least) {
      problems.push_back(name + " loses weight " + money(weight) + " but " + money(*least) +
                         " is enough");
    }
    if (weight < previous) problems.push_back(name + " is better than the repair before it");
    // Equal weight: the repair that keeps the more recent requirements first (dropping
    // requirement i costs 2^i, more than every older one together).
    uint64_t recency = 0;
    for (int d : rep.drop_indices) recency += uint64_t{1} << d;
    if (weight == previous && recency < previous_recency)
      problems.push_back(name + " keeps older requirements than the repair before it");
    previous = weight;
    previous_recency = recency;
    if (!seen.insert(rep.drop_indices).second) problems.push_back(name + " is offered twice");
    // Relaxations: each dropped bound, in order, to the least value that works with the rest kept
    // (and the bounds relaxed before it); a lower bound to the greatest.
    std::vector<size_t> candidates = o.products(rest);
    std::vector<Relaxation> expected;
    Spec relaxed = spec;
    relaxed.requirements.clear();
    std::vector<std::pair<int, Decimal>> relaxed_to;
    for (size_t q = 0; q < n; ++q) {
      const Requirement& req = spec.requirements[q];
      bool dropped = drop >> q & 1;
      if (!dropped || req.kind != Requirement::Kind::bound) continue;
      if (candidates.empty()) continue;
      const detail::TExpr* measure = nullptr;
      for (size_t m = 0; m < w.catalog().measures.size(); ++m) {
        if (w.catalog().measures[m].id == req.name) measure = w.measure(m);
      }
      // Negated for a lower bound, so that the least of it is the greatest of the measure.
      auto quantity = [&](size_t i) {
        int64_t v = measure ? w.number(*measure, i, o.tier()) : w.price(i, o.tier());
        return req.at_least ? -v : v;
      };
      int64_t best = INT64_MAX;
      for (size_t i : candidates) best = std::min(best, quantity(i));
      Decimal to = Decimal::from_units(req.at_least ? -best : best);
      expected.push_back({req.label(), to});
      relaxed_to.push_back({static_cast<int>(q), to});
      std::vector<size_t> next;
      for (size_t i : candidates) {
        if (quantity(i) <= best) next.push_back(i);
      }
      candidates = next;
    }
    bool same = expected.size() == rep.relax.size();
    for (size_t q = 0; same && q < expected.size(); ++q) {
      same =
          expected[q].requirement == rep.relax[q].requirement && expected[q].to == rep.relax[q].to;
    }
    if (!same) {
      std::string want, got;
      for (const auto& x : expected) want += " " + x.requirement + "->" + x.to.to_string();
      for (const auto& x : rep.relax) got += " " + x.requirement + "->" + x.to.to_string();
      problems.push_back(name + " relaxations:" + got + "; expected:" + want);
    }
    // The product the repair yields: the best one for the kept and relaxed requirements.
    for (size_t q = 0; q < n; ++q) {
      if (!(drop >> q & 1)) {
        relaxed.requirements.push_back(spec.requirements[q]);
        continue;
      }
      for (const auto& [index, to] : relaxed_to) {
        if (index == static_cast<int>(q)) {
          Requirement b = spec.requirements[q];
          b.bound = to;
          relaxed.requirements.push_back(b);
        }
      }
    }
    if (!rep.result) {
      problems.push_back(name + " has no result");
    } else if (rep.result->status != Status::optimal) {
      problems.push_back(name + std::string(" result status ") + to_string(rep.result->status));
    } else {
      SpecOracle ro(w, relaxed);
      check_product(w, ro, *rep.result, name + " result", problems);
    }
  }
  return problems;
}

// ------------------------------------------------------------------------------------------------
// Domains and sessions

namespace {

struct Expected {
  std::string name;
  std::string kind;
  std::vector<Value> values;
  std::vector<std::string> texts;
  std::vector<bool> valid;
  bool multi = false;
};

Expected expected_of(const std::string& name, const std::string& kind) {
  Expected e;
  e.name = name;
  e.kind = kind;
  return e;
}

// The valid products consistent with every choice.
std::vector<size_t> consistent(const BruteForce& w, const std::vector<Choice>& choices) {
  std::vector<size_t> out;
  for (size_t i : w.valid_configs()) {
    bool all = true;
    for (const auto& ch : choices) all = all && w.assignment(ch.name, ch.value, i).value_or(false);
    if (all) out.push_back(i);
  }
  return out;
}

bool feasible_with(const BruteForce& w, const std::vector<Choice>& choices) {
  return !consistent(w, choices).empty();
}

// Two choices that hold in exactly the same complete assignments (valid or not).
bool equivalent(const BruteForce& w, const Choice& a, const Choice& b) {
  for (size_t i = 0; i < w.size(); ++i) {
    if (w.assignment(a.name, a.value, i) != w.assignment(b.name, b.value, i)) return false;
  }
  return true;
}

// Whether dropping `set[k]` from a set that stays infeasible is excused by KnownBugs::aliases:
// another member of the set is equivalent to it.
bool excused_alias(const BruteForce& w, const std::vector<Choice>& set, size_t k,
                   const KnownBugs& bugs) {
  if (!bugs.aliases) return false;
  for (size_t j = 0; j < set.size(); ++j) {
    if (j != k && equivalent(w, set[j], set[k])) return true;
  }
  return false;
}

std::vector<Expected> expected_variables(const BruteForce& w, const std::vector<size_t>& products) {
  const Catalog& c = w.catalog();
  std::vector<Expected> out;
  if (!c.products.empty()) {
    Expected e = expected_of("product", "product");
    for (size_t p = 0; p < c.products.size(); ++p) {
      e.values.push_back(Value::string(c.products[p].id));
      e.texts.push_back(c.products[p].id);
      bool v = false;
      for (size_t i : products) v = v || w.config(i).product == static_cast<int>(p);
      e.valid.push_back(v);
    }
    out.push_back(e);
  }
  for (size_t o = 0; o < c.options.size(); ++o) {
    Expected e = expected_of(c.options[o].id, "option");
    for (size_t k = 0; k < c.options[o].values.size(); ++k) {
      e.values.push_back(c.options[o].values[k].value);
      e.texts.push_back(option_value_text(c.options[o], k));
      bool v = false;
      for (size_t i : products) v = v || w.config(i).options[o] == static_cast<int>(k);
      e.valid.push_back(v);
    }
    out.push_back(e);
  }
  for (size_t s = 0; s < c.slots.size(); ++s) {
    const Slot& slot = c.slots[s];
    Expected e = expected_of(slot.id, "slot");
    e.multi = slot.max > 1;
    if (!e.multi) {
      e.values.push_back(Value::string("none"));
      e.texts.push_back("none");
      bool v = false;
      for (size_t i : products) {
        int n = 0;
        for (int q : w.config(i).slots[s]) n += q;
        v = v || n == 0;
      }
      e.valid.push_back(v);
    }
    for (size_t k = 0; k < slot.blocks.size(); ++k) {
      e.values.push_back(Value::string(slot.blocks[k]));
      e.texts.push_back(slot.blocks[k]);
      bool v = false;
      for (size_t i : products) v = v || w.config(i).slots[s][k] > 0;
      e.valid.push_back(v);
    }
    out.push_back(e);
  }
  for (size_t s = 0; s < c.services.size(); ++s) {
    Expected e = expected_of(c.services[s].id, "service");
    for (int k = 0; k < 2; ++k) {
      e.values.push_back(Value::boolean(k == 1));
      e.texts.push_back(k == 1 ? "true" : "false");
      bool v = false;
      for (size_t i : products) v = v || w.config(i).services[s] == k;
      e.valid.push_back(v);
    }
    out.push_back(e);
  }
  return out;
}

std::string values_text(const std::vector<Value>& values) {
  std::string out = "[";
  for (size_t k = 0; k < values.size(); ++k) out += (k ? ", " : "") + values[k].to_string();
  return out + "]";
}

std::string choices_text(const std::vector<Choice>& choices) {
  std::string out = "[";
  for (size_t k = 0; k < choices.size(); ++k)
    out += (k ? ", " : "") + choices[k].name + "=" + choices[k].value;
  return out + "]";
}

void check_state(const BruteForce& w, const SessionState& state, const std::vector<Choice>& choices,
                 const std::string& when, const KnownBugs& bugs, Problems& problems) {
  std::vector<size_t> products = consistent(w, choices);
  if (state.consistent != !products.empty()) {
    problems.push_back(when + ": state.consistent is " + (state.consistent ? "true" : "false"));
    return;
  }
  if (!state.complete) problems.push_back(when + ": state incomplete");
  if (products.empty()) return;
  std::vector<Expected> expected = expected_variables(w, products);
  std::map<std::string, std::string> chosen;
  for (const auto& ch : choices) {
    chosen[ch.name] = ch.value;
    // A block chosen by name (BLOCK=true) shows as the choice of the one slot that can hold it.
    bool is_block = std::any_of(w.catalog().blocks.begin(), w.catalog().blocks.end(),
                                [&](const Block& b) { return b.id == ch.name; });
    if (!is_block || ch.value != "true") continue;
    const Slot* holder = nullptr;
    int holders = 0;
    for (const auto& s : w.catalog().slots) {
      if (std::find(s.blocks.begin(), s.blocks.end(), ch.name) != s.blocks.end()) {
        holder = &s;
        ++holders;
      }
    }
    if (holders == 1) chosen[holder->id] = ch.name;
  }
  if (state.variables.size() != expected.size()) {
    problems.push_back(when + ": " + std::to_string(state.variables.size()) +
                       " variables, expected " + std::to_string(expected.size()));
  }
  for (const auto& e : expected) {
    const VariableState* v = state.find(e.name);
    if (!v) {
      problems.push_back(when + ": no variable " + e.name);
      continue;
    }
    std::string name = when + ": " + e.name;
    if (v->kind != e.kind) problems.push_back(name + " has kind " + v->kind);
    if (v->values != e.values) {
      problems.push_back(name + " values " + values_text(v->values) + ", expected " +
                         values_text(e.values));
      continue;
    }
    if (v->valid != e.valid) {
      std::vector<Value> got, want;
      for (size_t k = 0; k < e.values.size(); ++k) {
        if (k < v->valid.size() && v->valid[k]) got.push_back(e.values[k]);
        if (e.valid[k]) want.push_back(e.values[k]);
      }
      problems.push_back(name + " valid values " + values_text(got) + ", expected " +
                         values_text(want) + " (choices " + choices_text(choices) + ")");
    }
    if (e.multi) continue;  // a slot of several blocks has no single chosen or implied value
    std::optional<Value> want_chosen, want_implied, want_default;
    auto it = chosen.find(e.name);
    for (size_t k = 0; k < e.values.size(); ++k) {
      if (it != chosen.end() && e.texts[k] == it->second) want_chosen = e.values[k];
    }
    int valid = 0;
    size_t last = 0;
    for (size_t k = 0; k < e.valid.size(); ++k) {
      if (e.valid[k]) {
        ++valid;
        last = k;
      }
    }
    if (!want_chosen && valid == 1) want_implied = e.values[last];
    if (e.kind == "option" && !want_chosen && !want_implied) {
      const Option& o = w.catalog().options[w.option_index(e.name)];
      int d = default_index(o);
      if (o.default_value && e.valid[d]) want_default = e.values[d];
    }
    if (e.kind == "slot" && !want_chosen && !want_implied) {
      for (const Slot& s : w.catalog().slots) {
        if (s.id != e.name || !s.default_blocks) continue;
        std::string text = s.default_blocks->empty() ? "none" : s.default_blocks->front();
        for (size_t k = 0; k < e.values.size(); ++k) {
          if (e.texts[k] == text && e.valid[k]) want_default = e.values[k];
        }
      }
    }
    if (v->chosen != want_chosen)
      problems.push_back(name + " chosen " + (v->chosen ? v->chosen->to_string() : "nothing"));
    if (v->implied != want_implied) {
      problems.push_back(name + " implied " + (v->implied ? v->implied->to_string() : "nothing") +
                         ", expected " + (want_implied ? want_implied->to_string() : "nothing"));
    }
    if (v->default_value != want_default) {
      problems.push_back(name + " default " +
                         (v->default_value ? v->default_value->to_string() : "nothing") +
                         ", expected " + (want_default ? want_default->to_string() : "nothing"));
    }
  }
  int64_t lo = INT64_MAX, hi = INT64_MIN, dearest = INT64_MIN;
  for (size_t i : products) {
    lo = std::min(lo, w.price(i));
    hi = std::max(hi, w.price(i));
    for (const auto& [p, total] : w.packings(i)) dearest = std::max(dearest, total);
  }
  bool excused = bugs.packing && state.price_max && state.price_max->units() >= hi &&
                 state.price_max->units() <= dearest;
  if (!state.price_min || !state.price_max) {
    if (lo != 0 || hi != 0)
      problems.push_back(when + ": no price range, expected " + money(lo) + " to " + money(hi));
  } else if (state.price_min->units() != lo || (state.price_max->units() != hi && !excused)) {
    problems.push_back(when + ": price range " + state.price_min->to_string() + " to " +
                       state.price_max->to_string() + ", expected " + money(lo) + " to " +
                       money(hi));
  }
}

// A refusal's explanation: the chosen values it names exclude the target, and minimally so.
void check_explanation(const BruteForce& w, const Explanation& ex,
                       const std::vector<Choice>& context, const Choice& target,
                       const std::string& when, const KnownBugs& bugs, Problems& problems) {
  if (ex.available) {
    problems.push_back(when + ": explanation says " + target.name + "=" + target.value +
                       " is available");
    return;
  }
  for (const auto& ch : ex.choices) {
    if (std::find(context.begin(), context.end(), ch) == context.end()) {
      problems.push_back(when + ": explanation names " + ch.name + "=" + ch.value +
                         ", which is not an earlier choice");
      return;
    }
  }
  std::vector<Choice> with = ex.choices;
  with.push_back(target);
  if (feasible_with(w, with)) {
    problems.push_back(when + ": explanation " + choices_text(ex.choices) + " does not exclude " +
                       target.name + "=" + target.value);
  }
  for (size_t k = 0; k < ex.choices.size(); ++k) {
    std::vector<Choice> less = with;
    less.erase(less.begin() + k);
    if (!feasible_with(w, less) && !excused_alias(w, with, k, bugs)) {
      problems.push_back(when + ": explanation " + choices_text(ex.choices) + " is not minimal (" +
                         ex.choices[k].name + " is not needed)");
    }
  }
  if (!ex.minimal) problems.push_back(when + ": explanation not marked minimal");
  check_rules(
      w, ex.rules,
      [&](size_t i) {
        for (const auto& ch : with) {
          if (!w.assignment(ch.name, ch.value, i).value_or(false)) return false;
        }
        return true;
      },
      when + ": explanation rules", bugs, problems);
}

}  // namespace

Problems check_domains(const Configurator& configurator, const BruteForce& w,
                       const std::vector<Requirement>& choices, const KnownBugs& bugs) {
  Problems problems;
  Domains d;
  try {
    d = configurator.domains(choices);
  } catch (const Error& e) {
    return {std::string("domains threw: ") + e.what()};
  }
  std::vector<Choice> list;
  for (const auto& r : choices) list.push_back({r.name, r.value});
  std::vector<size_t> products = consistent(w, list);
  if (d.feasible != !products.empty()) {
    problems.push_back(std::string("domains: feasible is ") + (d.feasible ? "true" : "false") +
                       " for " + choices_text(list));
    return problems;
  }
  if (!d.complete) problems.push_back("domains: incomplete");
  if (!d.feasible) {
    const auto& idx = d.conflict.requirement_indices;
    std::vector<Choice> core;
    for (int i : idx) core.push_back(list[i]);
    if (feasible_with(w, core))
      problems.push_back("domains: conflict " + choices_text(core) + " is satisfiable");
    for (size_t k = 0; k < core.size(); ++k) {
      std::vector<Choice> less = core;
      less.erase(less.begin() + k);
      if (!feasible_with(w, less) && !excused_alias(w, core, k, bugs))
        problems.push_back("domains: conflict " + choices_text(core) + " is not minimal");
    }
    return problems;
  }
  std::vector<Expected> expected = expected_variables(w, products);
  if (d.entries.size() != expected.size()) problems.push_back("domains: wrong number of entries");
  for (const auto& e : expected) {
    auto it = std::find_if(d.entries.begin(), d.entries.end(),
                           [&](const Domains::Entry& x) { return x.name == e.name; });
    if (it == d.entries.end()) {
      problems.push_back("domains: no entry " + e.name);
      continue;
    }
    std::vector<Value> want;
    for (size_t k = 0; k < e.values.size(); ++k) {
      if (e.valid[k]) want.push_back(e.values[k]);
    }
    if (it->values != want) {
      problems.push_back("domains: " + e.name + " " + values_text(it->values) + ", expected " +
                         values_text(want) + " for " + choices_text(list));
    }
  }
  return problems;
}

Problems check_session(const Configurator& configurator, const BruteForce& w, Rng& rng, int steps,
                       std::ostream& log, const KnownBugs& bugs) {
  Problems problems;
  const Catalog& c = w.catalog();
  Session s = configurator.session();
  std::vector<Choice> choices;
  std::vector<std::vector<Choice>> history;
  auto without = [&](const std::string& name) {
    std::vector<Choice> out;
    for (const auto& ch : choices) {
      if (ch.name != name) out.push_back(ch);
    }
    return out;
  };
  check_state(w, s.state(), choices, "start", bugs, problems);
  for (int step = 1; step <= steps && problems.empty(); ++step) {
    std::string when = "step " + std::to_string(step);
    int op = rng.below(100);
    if (op < 60) {
      // Choose: half the time a value some consistent product has, else anything.
      std::pair<std::string, std::string> pick = random_choice(rng, c);
      std::vector<size_t> now = consistent(w, choices);
      if (!now.empty() && rng.chance(50)) {
        size_t i = rng.pick(now);
        for (int tries = 0; tries < 10; ++tries) {
          auto cand = random_choice(rng, c);
          if (w.assignment(cand.first, cand.second, i).value_or(false)) {
            pick = cand;
            break;
          }
        }
      }
      Choice target{pick.first, pick.second};
      std::vector<Choice> context = without(target.name);
      std::vector<Choice> next = context;
      next.push_back(target);
      bool possible = feasible_with(w, next);
      log << when << ": choose " << target.name << "=" << target.value << " (expected "
          << (possible ? "accepted" : "refused") << ")\n";
      ChooseResult r;
      try {
        r = s.choose(target.name, target.value);
      } catch (const Error& e) {
        problems.push_back(when + ": choose threw: " + e.what());
        break;
      }
      if (r.accepted != possible) {
        problems.push_back(when + ": choose " + target.name + "=" + target.value + " " +
                           (r.accepted ? "accepted" : "refused") + " with choices " +
                           choices_text(choices));
        break;
      }
      if (r.accepted) {
        history.push_back(choices);
        choices = next;
      } else {
        check_explanation(w, r.explanation, context, target, when, bugs, problems);
        if (rng.chance(30)) {
          // Repairs: dropping them makes the value available, and each is minimal.
          auto repairs = s.repairs(target.name, target.value);
          bool alone = feasible_with(w, {target});
          if (!alone && !repairs.empty())
            problems.push_back(when + ": repairs offered for a value no product has");
          if (alone && repairs.empty()) problems.push_back(when + ": no repair offered");
          for (const auto& rep : repairs) {
            std::vector<Choice> kept;
            for (const auto& ch : context) {
              if (std::find(rep.drop.begin(), rep.drop.end(), ch) == rep.drop.end())
                kept.push_back(ch);
            }
            kept.push_back(target);
            if (!feasible_with(w, kept))
              problems.push_back(when + ": repair " + choices_text(rep.drop) + " does not suffice");
            for (const auto& d : rep.drop) {
              std::vector<Choice> more = kept;
              more.push_back(d);
              if (feasible_with(w, more))
                problems.push_back(when + ": repair " + choices_text(rep.drop) + " is not minimal");
            }
          }
        }
      }
    } else if (op < 72) {
      std::string name =
          !choices.empty() && rng.chance(80) ? rng.pick(choices).name : random_choice(rng, c).first;
      log << when << ": unchoose " << name << "\n";
      s.unchoose(name);
      std::vector<Choice> next = without(name);
      if (next.size() != choices.size()) {
        history.push_back(choices);
        choices = next;
      }
    } else if (op < 84) {
      log << when << ": undo\n";
      bool threw = false;
      try {
        s.undo();
      } catch (const Error& e) {
        threw = e.kind() == ErrorKind::usage;
        if (!threw) problems.push_back(when + ": undo threw the wrong kind of error");
      }
      if (history.empty() != threw)
        problems.push_back(when + ": undo " + (threw ? "threw" : "did not throw"));
      if (!history.empty()) {
        choices = history.back();
        history.pop_back();
      }
    } else if (op < 90) {
      log << when << ": reset\n";
      s.reset();
      if (!choices.empty()) {
        history.push_back(choices);
        choices.clear();
      }
    } else {
      log << when << ": save and resume\n";
      std::string json = s.to_json();
      try {
        Session back = Session::from_json(configurator, json);
        SessionState a = s.state(), b = back.state();
        if (back.choices() != s.choices())
          problems.push_back(when + ": resumed session has other choices");
        bool same = a.consistent == b.consistent && a.price_min == b.price_min &&
                    a.price_max == b.price_max && a.variables.size() == b.variables.size();
        for (size_t k = 0; same && k < a.variables.size(); ++k) {
          const auto &x = a.variables[k], &y = b.variables[k];
          same = x.name == y.name && x.values == y.values && x.valid == y.valid &&
                 x.chosen == y.chosen && x.implied == y.implied &&
                 x.default_value == y.default_value;
        }
        if (!same) problems.push_back(when + ": resumed session shows another state");
        s = std::move(back);
      } catch (const Error& e) {
        problems.push_back(when + ": from_json threw: " + e.what());
      }
    }
    if (s.choices() != choices) {
      problems.push_back(when + ": session choices " + choices_text(s.choices()) + ", expected " +
                         choices_text(choices));
      break;
    }
    check_state(w, s.state(), choices, when, bugs, problems);
    // Finish the product from the choices: the cheapest consistent one.
    if (rng.chance(20) && problems.empty()) {
      log << when << ": complete\n";
      Spec spec;
      for (const auto& ch : choices)
        spec.requirements.push_back(Requirement::assignment_of(ch.name, ch.value));
      SpecOracle o(w, spec);
      ConfigureResult r = s.complete();
      bool possible = o.feasible(o.all());
      if (r.has_product() != possible || (possible && r.status != Status::optimal)) {
        problems.push_back(when + std::string(": complete() status ") + to_string(r.status));
      } else if (possible) {
        check_product(w, o, r, when + " complete()", problems);
      }
    }
    // Explain a value that is not available (or one that is).
    if (rng.chance(25) && problems.empty()) {
      auto [name, value] = random_choice(rng, c);
      std::vector<Choice> context = without(name);
      std::vector<Choice> with = context;
      with.push_back({name, value});
      Explanation ex = s.explain(name, value);
      log << when << ": explain " << name << "=" << value << "\n";
      if (feasible_with(w, with)) {
        if (!ex.available)
          problems.push_back(when + ": explain says " + name + "=" + value + " is unavailable");
      } else {
        check_explanation(w, ex, context, {name, value}, when + " (explain)", bugs, problems);
      }
    }
  }
  return problems;
}

// ------------------------------------------------------------------------------------------------
// Cases

Spec generate_spec(Rng& rng, const BruteForce& world, const KnownBugs& bugs) {
  SpecShape shape;
  shape.price_with_overlapping_bundles = !bugs.packing;
  return random_spec(rng, world, shape);
}

GeneratedCatalog generate_catalog(Rng& rng, size_t max_configs, const KnownBugs& bugs) {
  CatalogShape shape;
  shape.max_configs = max_configs;
  shape.price_with_overlapping_bundles = !bugs.packing;
  Catalog c = random_catalog(rng, shape);
  GeneratedCatalog out;
  out.yaml = to_yaml(c);
  try {
    out.catalog = parse_catalog(out.yaml, ModelFormat::yaml, "random.yaml");
    if (!(out.catalog == c)) out.problem = "to_yaml then parse_catalog gives a different catalog";
  } catch (const Error& e) {
    out.problem = std::string("parse_catalog(to_yaml(catalog)) failed: ") + e.what();
    out.catalog = c;
  }
  return out;
}

std::string failure_folder() {
  std::string out = env("SUMISURA_PROPERTY_OUT");
  if (!out.empty()) return out;
  return (std::filesystem::temp_directory_path() / "sumisura-property-failures").string();
}

std::string save_case(const std::string& test, uint64_t seed, const std::string& catalog_yaml,
                      const Spec* spec, const std::string& report) {
  std::filesystem::path dir =
      std::filesystem::path(failure_folder()) / (test + "-" + std::to_string(seed));
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  std::ofstream(dir / "catalog.yaml") << catalog_yaml;
  if (spec) {
    std::ofstream(dir / "spec.yaml") << spec_to_yaml(*spec);
    std::ofstream(dir / "spec.txt") << spec_to_text(*spec);
  }
  std::ofstream(dir / "report.txt")
      << "seed " << seed << "\nreproduce: SUMISURA_PROPERTY_SEED=" << seed
      << " sumisura_unit_tests \"[property]\"\n\n"
      << report;
  return dir.string();
}

CaseRun case_seeds(const std::string& test, size_t default_cases) {
  CaseRun run;
  std::string only = env("SUMISURA_PROPERTY_SEED");
  if (!only.empty()) {
    run.seeds.push_back(std::stoull(only, nullptr, 0));
    run.single = true;
    return run;
  }
  size_t cases = default_cases;
  if (std::string f = env("SUMISURA_PROPERTY_SCALE"); !f.empty())
    cases = std::max<size_t>(1, static_cast<size_t>(static_cast<double>(cases) * std::stod(f)));
  if (std::string n = env("SUMISURA_PROPERTY_CASES"); !n.empty()) cases = std::stoull(n);
  uint64_t base = 20260101;
  if (std::string b = env("SUMISURA_PROPERTY_BASE"); !b.empty()) base = std::stoull(b, nullptr, 0);
  uint64_t salt = 0;
  for (char ch : test) salt = salt * 131 + static_cast<unsigned char>(ch);
  for (size_t k = 0; k < cases; ++k) run.seeds.push_back(case_seed(base ^ salt, k));
  return run;
}

RunSummary run_cases(const std::string& test, size_t default_cases,
                     const std::function<CaseOutcome(uint64_t)>& one, size_t max_failures) {
  RunSummary summary;
  if (std::string m = env("SUMISURA_PROPERTY_MAX_FAILURES"); !m.empty())
    max_failures = std::stoull(m);
  auto start = std::chrono::steady_clock::now();
  CaseRun run = case_seeds(test, default_cases);
  for (uint64_t seed : run.seeds) {
    CaseOutcome out;
    try {
      out = one(seed);
    } catch (const std::exception& e) {
      out.problems.push_back(std::string("exception: ") + e.what());
    }
    ++summary.cases;
    if (out.problems.empty()) continue;
    ++summary.failures;
    std::string report;
    for (const auto& p : out.problems) report += p + "\n";
    if (!out.log.empty()) report += "\nsteps:\n" + out.log;
    std::string folder =
        save_case(test, seed, out.catalog_yaml, out.spec ? &*out.spec : nullptr, report);
    std::string message = test + " property failed for seed " + std::to_string(seed) +
                          "\n  reproduce: SUMISURA_PROPERTY_SEED=" + std::to_string(seed) +
                          " sumisura_unit_tests \"[property]\"\n  saved in " + folder + "\n";
    size_t shown = 0;
    for (const auto& p : out.problems) {
      if (shown++ == 8) {
        message += "  ... (" + std::to_string(out.problems.size() - 8) + " more in report.txt)\n";
        break;
      }
      message += "  " + p + "\n";
    }
    summary.messages.push_back(message);
    if (summary.failures >= max_failures) break;
  }
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return summary;
}

}  // namespace sumisura::proptest
