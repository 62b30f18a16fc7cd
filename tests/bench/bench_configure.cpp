// Configure latency: random specifications (deterministic seed) answered by
// Configurator::configure, one after the other on one compiled catalog.
//
// YAML catalogs: 0-3 hard requirements NAME=VALUE (each picked among the values still valid with
// the requirements picked before it), 0-4 weighted preferences, a budget `price <= B` on half of
// the specs (B drawn around the catalog's price range, so some specs are infeasible), objective
// cheapest or preferred-then-cheapest.
// XCSP models (Renault): 1-6 requirements picked the same way (so every spec is feasible), 3-10
// weighted preferences `option == value` (distinct, weights 1-9), objective preferred. With
// --clingo-specs FILE the specs and Sumisura's optimum are written for
// tests/bench/clingo_optimize.lp, which solves the same optimisation with clingo (#minimize) and
// checks the optimum.
//
// Every answer is checked on its own: the returned product must meet every requirement, and for
// XCSP models the met weight is recomputed from the returned values.
//
// The catalog is compiled first (Configurator::compile), so that configure answers on the priced
// compiled form where it can; the first --search-specs specifications (default: all) are also
// answered with the compiled form switched off (Limits::use_compiled = false), timed in the same
// run, and both answers are compared: same status, and for optimal answers the same objective
// values (price, weight of the preferences met).
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <unordered_map>

#include "bench_common.hpp"
#include "model/expression.hpp"
#include "reason/domains.hpp"
#include "sumisura/sumisura.hpp"

using namespace sumisura;
using bench::Clock;
using bench::ms_since;

namespace {

struct Pick {
  std::string name, kind, value;
  Value raw;
};

/// Valid values of every option, single-block slot, service and the product under `choices`,
/// computed directly with the engine's domain solver (untimed set-up). Configurator::domains would
/// also compute the price range, which is far slower than the domains on priced catalogs.
struct Setup {
  const Configurator& cfg;
  const detail::Model& m;
  std::unique_ptr<detail::SatSolver> solver;
  detail::DomainSolver domains;
  explicit Setup(const Configurator& c)
      : cfg(c),
        m(c.engine()->model()),
        solver(c.engine()->solver()),
        domains(*c.engine(), *solver) {}

  /// Name and value text of value k of FdVar v, or nothing for quantity variables.
  std::optional<Pick> pick(int v, int k) const {
    const Catalog& cat = cfg.catalog();
    const detail::FdVar& fd = m.vars[v];
    switch (fd.kind) {
      case detail::VarKind::option: {
        const Value& x = cat.options[fd.owner].values[k].value;
        return Pick{cat.options[fd.owner].id, "option", x.to_string(), x};
      }
      case detail::VarKind::slot: {
        const Slot& s = cat.slots[fd.owner];
        std::string t = k == 0 ? "none" : s.blocks[k - 1];
        return Pick{s.id, "slot", t, Value::string(t)};
      }
      case detail::VarKind::service:
        return Pick{cat.services[fd.owner].id, "service", k ? "true" : "false",
                    Value::boolean(k == 1)};
      case detail::VarKind::product:
        return Pick{"product", "product", cat.products[k].id, Value::string(cat.products[k].id)};
      case detail::VarKind::quantity:
        return std::nullopt;
    }
    return std::nullopt;
  }

  /// Valid (FdVar, value) pairs under `lits`, grouped by FdVar with two or more valid values.
  std::vector<std::pair<int, std::vector<int>>> open(const std::vector<detail::Lit>& lits) {
    detail::SearchLimits limits;
    detail::DomainAnswer a =
        domains.compute(lits, limits, cfg.engine()->initial_witnesses(limits).get());
    std::vector<std::pair<int, std::vector<int>>> out;
    if (!a.feasible) return out;
    for (size_t v = 0; v < a.valid.size(); ++v) {
      if (m.vars[v].kind == detail::VarKind::quantity) continue;
      std::vector<int> ks;
      for (size_t k = 0; k < a.valid[v].size(); ++k) {
        if (a.valid[v][k]) ks.push_back(k);
      }
      if (ks.size() >= 2) out.push_back({static_cast<int>(v), ks});
    }
    return out;
  }
};

/// A preference text for NAME == VALUE in the rule language, or empty when the kind has none.
std::string preference_text(const Catalog& cat, const Pick& p) {
  std::string name = detail::quote_name(p.name);
  if (p.kind == "option") {
    if (p.raw.is_boolean()) return p.raw.as_boolean() ? name : "not " + name;
    if (p.raw.is_number()) return name + " == " + p.raw.to_string();
    return name + " == " + detail::quote_string(p.raw.as_string());
  }
  if (p.kind == "service") return p.raw.as_boolean() ? name : "not " + name;
  if (p.kind == "product") return detail::quote_name(p.value);
  if (p.kind == "slot") {
    for (const auto& s : cat.slots) {
      if (s.id != p.name) continue;
      if (s.max <= 1)
        return name +
               " == " + (p.value == "none" ? std::string("none") : detail::quote_name(p.value));
      return p.value == "none" ? std::string() : detail::quote_name(p.value) + " in " + name;
    }
  }
  return {};
}

}  // namespace

int main(int argc, char** argv) try {
  bench::Args args(argc, argv);
  std::string path = args.str("model");
  std::string label = args.str("label", path);
  size_t count = args.num("specs", 200);
  uint64_t seed = args.num("seed", 1);
  std::string clingo_path = args.str("clingo-specs");
  size_t search_specs = args.num("search-specs", count);
  if (path.empty()) {
    std::fprintf(
        stderr,
        "usage: sumisura_bench_configure --model FILE [--specs N] [--seed S] [--label NAME] "
        "[--clingo-specs FILE] [--search-specs N]\n");
    return 2;
  }
  if (!bench::file_exists(path)) {
    std::printf("SKIP: %s not found\n", path.c_str());
    return 77;
  }
  auto t0 = Clock::now();
  Configurator cfg = Configurator::from_file(path);
  const Catalog& cat = cfg.catalog();
  bool xcsp = format_from_path(path) == ModelFormat::xcsp;
  std::printf("INFO\t%s\tload+compile %.1f ms\n", label.c_str(), ms_since(t0));
  auto t1 = Clock::now();
  CompileReport compiled = cfg.compile();
  std::string form = compiled.compiled
                         ? compiled.form + ", " + std::to_string(compiled.nodes) +
                               " nodes, prices " + (compiled.priced ? "compiled" : "not compiled")
                         : "none: " + compiled.reason;
  std::printf("INFO\t%s\tcompiled form: %s (%.1f ms)\n", label.c_str(), form.c_str(), ms_since(t1));

  Setup setup(cfg);
  const auto initial = setup.open({});
  std::unordered_map<std::string, int> option_of;
  for (size_t o = 0; o < cat.options.size(); ++o) option_of.emplace(cat.options[o].id, o);
  // Budgets are drawn between the cheapest product and 2.5 times its price.
  std::optional<Decimal> cheapest;
  if (!cat.options.empty() && !cfg.engine()->model().price.empty()) {
    Spec none;
    none.objective = {Objective::cheapest};
    ConfigureResult r = cfg.configure(none);
    if (r.has_product()) cheapest = r.price.total;
  }

  std::ofstream clingo;
  if (!clingo_path.empty()) {
    clingo.open(clingo_path);
    if (!clingo) throw std::runtime_error("cannot write " + clingo_path);
  }

  bench::Rng rng(seed);
  bench::Timed all, feasible_stats, infeasible_stats, searched;
  size_t proven = 0, compared = 0, disagree = 0;
  std::map<std::string, int> statuses;
  size_t bad = 0;
  for (size_t n = 0; n < count; ++n) {
    Spec spec;
    // Requirements, each among the values still valid with the ones before it.
    size_t want = xcsp ? 1 + rng.below(6) : rng.below(4);
    std::vector<Requirement> reqs;
    std::vector<detail::Lit> lits;
    std::vector<Pick> required;
    for (size_t i = 0; i < want; ++i) {
      auto open = lits.empty() ? initial : setup.open(lits);
      if (open.empty()) break;
      const auto& [v, ks] = open[rng.below(open.size())];
      int k = ks[rng.below(ks.size())];
      auto p = setup.pick(v, k);
      if (!p) continue;
      reqs.push_back(Requirement::assignment_of(p->name, p->value));
      lits.push_back(setup.m.vars[v].lits[k]);
      required.push_back(*p);
    }
    spec.requirements = reqs;
    // Preferences among the values valid without any requirement, distinct.
    size_t prefs = xcsp ? 3 + rng.below(8) : rng.below(5);
    std::set<std::pair<std::string, std::string>> seen;
    std::vector<std::pair<Pick, int>> preferred;
    for (size_t i = 0, tries = 0; i < prefs && tries < 100 && !initial.empty(); ++tries) {
      const auto& [v, ks] = initial[rng.below(initial.size())];
      auto picked = setup.pick(v, ks[rng.below(ks.size())]);
      if (!picked) continue;
      Pick p = *picked;
      const std::string& name = p.name;
      std::string text = preference_text(cat, p);
      if (text.empty() || !seen.insert({name, p.value}).second) continue;
      int w = 1 + rng.below(9);
      spec.preferences.push_back({text, Decimal::from_integer(w), {}});
      preferred.push_back({p, w});
      ++i;
    }
    if (xcsp) {
      spec.objective = {Objective::preferred};
    } else {
      if (cheapest && rng.below(2) == 0) {
        int64_t budget = static_cast<int64_t>(cheapest->to_double() * (1 + 1.5 * rng.unit()));
        spec.requirements.push_back(Requirement::bound_of("price", Decimal::from_integer(budget)));
      }
      if (!spec.preferences.empty() && rng.below(2) == 0) {
        spec.objective = {Objective::preferred, Objective::cheapest};
      } else {
        spec.objective = {Objective::cheapest};
      }
    }

    all.start();
    ConfigureResult r = cfg.configure(spec);
    double ms = all.stop();
    (r.has_product() ? feasible_stats : infeasible_stats).wall.add(ms);
    (r.has_product() ? feasible_stats : infeasible_stats).cpu.add(all.cpu.samples.back());
    statuses[to_string(r.status)]++;
    proven += r.status == Status::optimal || r.status == Status::infeasible;
    if (n < search_specs) {
      Limits off;
      off.use_compiled = false;
      searched.start();
      ConfigureResult s2 = cfg.configure(spec, off);
      searched.stop();
      ++compared;
      bool proven_both = (r.status == Status::optimal || r.status == Status::infeasible) &&
                         (s2.status == Status::optimal || s2.status == Status::infeasible);
      auto met_weight = [](const ConfigureResult& x) {
        int64_t w = 0;
        for (const auto& o : x.preferences) {
          if (o.met) w += o.weight.units();
        }
        return w;
      };
      // Equally good products may differ; what the objective ranks them by may not.
      bool ranks_preferences = std::find(spec.objective.begin(), spec.objective.end(),
                                         Objective::preferred) != spec.objective.end();
      bool ranks_price = std::find(spec.objective.begin(), spec.objective.end(),
                                   Objective::cheapest) != spec.objective.end() ||
                         spec.objective.empty();
      if (proven_both &&
          (r.status != s2.status ||
           (r.has_product() && ((ranks_price && r.price.total != s2.price.total) ||
                                (ranks_preferences && met_weight(r) != met_weight(s2)))))) {
        ++disagree;
        ++bad;
        std::printf(
            "BAD\t%s\tspec %zu: compiled %s (price %s, preferences met %lld), search %s (price "
            "%s, preferences met %lld)\n",
            label.c_str(), n, to_string(r.status), r.price.total.to_string().c_str(),
            static_cast<long long>(met_weight(r)), to_string(s2.status),
            s2.price.total.to_string().c_str(), static_cast<long long>(met_weight(s2)));
        for (const auto& q : spec.requirements)
          std::printf("INFO\t  requirement %s\n", q.label().c_str());
        for (const auto& p : spec.preferences)
          std::printf("INFO\t  preference %s (%s)\n", p.text.c_str(), p.weight.to_string().c_str());
      }
    }

    // Independent checks of the answer.
    int64_t met = 0, total = 0;
    for (const auto& [p, w] : preferred) total += w;
    if (r.has_product()) {
      std::map<std::string, std::string> got;
      for (const auto& o : r.options) got[o.option] = o.value.to_string();
      for (const auto& s : r.slots) {
        got[s.slot] = s.blocks.empty() ? "none" : s.blocks.front().block;
      }
      for (const auto& q : required) {
        if (q.kind == "option" && got.count(q.name) && got[q.name] != q.value) {
          ++bad;
          std::printf("BAD\t%s\tspec %zu: requirement %s=%s but the answer has %s\n", label.c_str(),
                      n, q.name.c_str(), q.value.c_str(), got[q.name].c_str());
        }
      }
      if (xcsp) {
        for (const auto& [p, w] : preferred) {
          if (got[p.name] == p.value) met += w;
        }
        int64_t reported = 0;
        for (const auto& o : r.preferences) {
          if (o.met) reported += o.weight.integer_part();
        }
        if (reported != met) {
          ++bad;
          std::printf("BAD\t%s\tspec %zu: reports met weight %lld, the values give %lld\n",
                      label.c_str(), n, static_cast<long long>(reported),
                      static_cast<long long>(met));
        }
      }
    }
    if (clingo.is_open()) {
      clingo << "Q " << n << ' ' << required.size();
      for (const auto& q : required) {
        int o = option_of.at(q.name);
        clingo << ' ' << o << ' '
               << (cat.options[o].kind == OptionKind::boolean ? (q.raw.as_boolean() ? "1" : "0")
                                                              : q.value);
      }
      clingo << ' ' << preferred.size();
      for (const auto& [p, w] : preferred) {
        int o = option_of.at(p.name);
        clingo << ' ' << o << ' '
               << (cat.options[o].kind == OptionKind::boolean ? (p.raw.as_boolean() ? "1" : "0")
                                                              : p.value)
               << ' ' << w;
      }
      clingo << ' ' << to_string(r.status) << ' ' << (total - met) << ' ' << ms << '\n';
    }
  }
  std::string status_text;
  for (const auto& [s, c] : statuses) status_text += " " + s + "=" + std::to_string(c);
  std::printf("INFO\t%s\t%zu specs:%s; %zu answers failed the independent check\n", label.c_str(),
              count, status_text.c_str(), bad);
  all.print(label, "sumisura-configure");
  feasible_stats.print(label, "sumisura-configure-product");
  infeasible_stats.print(label, "sumisura-configure-no-product");
  searched.print(label, "sumisura-configure-search");
  std::printf(
      "INFO\t%s\t%zu of %zu answers proven (optimal or infeasible); %zu compared with "
      "search, %zu disagree\n",
      label.c_str(), proven, count, compared, disagree);
  std::printf("CHECK\t%s\tconfigure-self\t%zu specs\t%zu bad\n", label.c_str(), count, bad);
  return bad ? 1 : 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "error: %s\n", e.what());
  return 2;
}
