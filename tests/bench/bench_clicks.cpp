// Per-click latency of interactive sessions: replays click sequences and, after every click,
// computes the complete valid domains of every option, side by side:
//   (a) Sumisura's Session: session.choose + session.state (CDCL with witness reuse, seeded with
//       the engine's cached initial witnesses);
//   (b) a naive loop on the same compiled model and the same SAT solver (CaDiCaL): one solver
//       call per value of every option, under the choices made so far plus that value.
// Both answers are compared at every click where (b) runs. Sessions use the compiled back end
// where the catalog compiles (built before the clicks); (d), the engine's DomainSolver on CDCL with
// witness reuse alone, runs on every click too and its answer is compared with (a)'s. The states of
// a sample of sessions are written, with (a)'s domains, to a file that tests/bench/clingo_brave.lp
// replays with clingo's brave consequences (method (c)) and checks against (a).
//
// Click sequences: --history FILE replays sold cars (first line names the options, each further
// line is one complete valid configuration; one click per column, in column order or shuffled);
// without it, random valid clicks: pick a random option that still has two or more valid values,
// then a random valid value, until every option is decided or --max-clicks is reached.
//
// Prints RESULT lines (see bench_common.hpp) and a human summary. Exit 77 when the model is
// absent (the public benchmark folder is not part of the project).
#include <cstdio>
#include <fstream>
#include <iostream>
#include <unordered_map>

#include "bench_common.hpp"
#include "compiled/compiled_catalog.hpp"
#include "reason/domains.hpp"
#include "reason/engine.hpp"
#include "sumisura/sumisura.hpp"

using namespace sumisura;
using bench::Clock;
using bench::ms_since;
using bench::peak_mib;

namespace {

using Valid = std::vector<std::vector<bool>>;  // per option, per value index

struct Click {
  int option;
  int value;  // index into the option's values
};

struct Bench {
  const Configurator& cfg;
  const detail::Model& model;
  std::unordered_map<std::string, int> option_of;

  explicit Bench(const Configurator& c) : cfg(c), model(c.engine()->model()) {
    const Catalog& cat = cfg.catalog();
    for (size_t o = 0; o < cat.options.size(); ++o) option_of.emplace(cat.options[o].id, o);
  }

  const Option& option(int o) const { return cfg.catalog().options[o]; }
  std::string text(const Click& c) const {
    return option(c.option).values[c.value].value.to_string();
  }
  /// The value as the ASP encoding of tests/bench/to_asp.py writes it: 0/1 for Boolean options,
  /// the integer otherwise.
  std::string asp_value(int o, int k) const {
    return option(o).kind == OptionKind::boolean ? std::to_string(k)
                                                 : option(o).values[k].value.to_string();
  }
  detail::Lit lit(const Click& c) const {
    return model.vars[model.option_var[c.option]].lits[c.value];
  }

  Valid from_state(const SessionState& st) const {
    Valid d(cfg.catalog().options.size());
    for (const auto& v : st.variables) {
      if (v.kind != "option") continue;
      auto it = option_of.find(v.name);
      if (it == option_of.end()) continue;
      d[it->second] = v.valid;
    }
    return d;
  }

  /// (b): one solver call per value of every option.
  Valid naive(detail::SatSolver& solver, const std::vector<detail::Lit>& choices,
              int64_t& calls) const {
    Valid d(cfg.catalog().options.size());
    std::vector<detail::Lit> assumptions = choices;
    assumptions.push_back(0);
    detail::SearchLimits limits;
    for (size_t o = 0; o < d.size(); ++o) {
      const detail::FdVar& fd = model.vars[model.option_var[o]];
      d[o].assign(fd.size(), false);
      for (int k = 0; k < fd.size(); ++k) {
        assumptions.back() = fd.lits[k];
        d[o][k] = solver.solve(assumptions, limits) == detail::SatResult::sat;
        ++calls;
      }
    }
    return d;
  }

  /// Human-readable differences between two answers (empty when equal).
  std::string diff(const Valid& a, const Valid& b) const {
    std::string out;
    int shown = 0;
    for (size_t o = 0; o < a.size(); ++o) {
      if (a[o] == b[o]) continue;
      if (++shown > 5) {
        out += " ...";
        break;
      }
      out += " " + option(o).id + ":";
      for (size_t k = 0; k < a[o].size() && k < b[o].size(); ++k) {
        if (a[o][k] != b[o][k])
          out += std::string(a[o][k] ? " +" : " -") + option(o).values[k].value.to_string();
      }
    }
    return out;
  }
};

std::vector<std::vector<Click>> read_history(const Bench& b, const std::string& path, size_t cars,
                                             bench::Rng& rng, bool shuffle) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::string line;
  std::getline(in, line);
  std::vector<int> columns;
  for (const auto& name : bench::split(line)) {
    auto it = b.option_of.find(name);
    if (it == b.option_of.end())
      throw std::runtime_error("history names '" + name + "', which the model lacks");
    columns.push_back(it->second);
  }
  std::vector<std::string> lines;
  while (std::getline(in, line)) {
    if (!bench::split(line).empty()) lines.push_back(line);
  }
  // N distinct cars drawn with the seed (a partial Fisher-Yates shuffle).
  std::vector<size_t> order(lines.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  cars = std::min(cars, lines.size());
  for (size_t i = 0; i < cars; ++i) std::swap(order[i], order[i + rng.below(order.size() - i)]);
  std::vector<std::vector<Click>> out;
  for (size_t i = 0; i < cars; ++i) {
    auto cells = bench::split(lines[order[i]]);
    if (cells.size() != columns.size())
      throw std::runtime_error("history line with a wrong number of values");
    std::vector<Click> car;
    for (size_t c = 0; c < cells.size(); ++c) {
      auto k = b.model.index->option_value_index(columns[c], cells[c]);
      if (!k)
        throw std::runtime_error("history value " + cells[c] + " not in the domain of " +
                                 b.option(columns[c]).id);
      car.push_back({columns[c], *k});
    }
    if (shuffle) rng.shuffle(car);
    out.push_back(std::move(car));
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) try {
  bench::Args args(argc, argv);
  std::string model_path = args.str("model");
  std::string history = args.str("history");
  std::string label = args.str("label", model_path);
  size_t cars = args.num("cars", 50);                // sessions (cars replayed, or random sessions)
  size_t naive_cars = args.num("naive-cars", cars);  // the first this many also run (b)
  size_t clingo_cars = args.num("clingo-cars", 0);   // the first this many go to --clingo-states
  size_t max_clicks = args.num("max-clicks", 1000000);
  std::string order = args.str("order", "column");  // column | random (history replay)
  uint64_t seed = args.num("seed", 1);
  std::string states_path = args.str("clingo-states");
  // Also run (d): the engine's DomainSolver alone, to count the solver calls a click needs.
  bool extra = args.str("extra", "1") != "0";
  if (model_path.empty()) {
    std::fprintf(
        stderr,
        "usage: sumisura_bench_clicks --model FILE [--history FILE] [--cars N] [--naive-cars N]\n"
        "       [--clingo-cars N --clingo-states FILE] [--order column|random] [--max-clicks N]\n"
        "       [--seed S] [--label NAME] [--extra 0: no (d)]\n");
    return 2;
  }
  if (!bench::file_exists(model_path) || (!history.empty() && !bench::file_exists(history))) {
    std::printf("SKIP: %s not found (the public benchmark models are not part of the project)\n",
                model_path.c_str());
    return 77;
  }

  auto t0 = Clock::now();
  Configurator cfg = Configurator::from_file(model_path);
  double load_ms = ms_since(t0);
  t0 = Clock::now();
  cfg.engine()->initial_witnesses({});  // computed once per compiled catalog, shared by sessions
  double warm_ms = ms_since(t0);
  // The compiled back end is built in the background from the first session on; a shop would
  // warm it with the catalog, so the clicks are measured once it is decided.
  t0 = Clock::now();
  std::string why_not;
  const detail::CompiledCatalog* diagram = cfg.engine()->wait_compiled(&why_not);
  double diagram_ms = ms_since(t0);
  Bench b(cfg);
  std::printf("INFO\t%s\tload+compile %.1f ms, initial witnesses %.1f ms (%zu), %zu options\n",
              label.c_str(), load_ms, warm_ms, cfg.engine()->initial_witnesses({})->size(),
              cfg.catalog().options.size());
  if (diagram) {
    std::printf("INFO\t%s\tdiagram: %s, %zu nodes, %zu edges, %.1f ms\n", label.c_str(),
                diagram->kind_name(), diagram->node_count(), diagram->edge_count(), diagram_ms);
  } else {
    std::printf("INFO\t%s\tdiagram: none (%s, %.1f ms)\n", label.c_str(), why_not.c_str(),
                diagram_ms);
  }

  const double peak_before_clicks = peak_mib();
  bench::Rng rng(seed);
  std::vector<std::vector<Click>> sequences;
  if (!history.empty()) sequences = read_history(b, history, cars, rng, order == "random");

  std::ofstream states;
  if (!states_path.empty() && clingo_cars > 0) {
    states.open(states_path);
    if (!states) throw std::runtime_error("cannot write " + states_path);
  }

  bench::Timed a_click, b_click, a_open, b_open, d_click;
  bench::Stats d_calls;
  bench::Stats a_paired, a_paired_cpu;
  size_t clicks = 0, compared = 0, mismatches = 0, refused = 0, written = 0, price_limited = 0;
  int64_t naive_calls = 0;
  size_t sessions = history.empty() ? cars : sequences.size();
  for (size_t car = 0; car < sessions; ++car) {
    bool run_naive = car < naive_cars;
    bool to_clingo = states.is_open() && car < clingo_cars;
    Session session = cfg.session();
    std::unique_ptr<detail::SatSolver> solver = run_naive ? cfg.engine()->solver() : nullptr;
    std::vector<detail::Lit> chosen_lits;
    std::vector<Click> chosen;
    // (d): the engine's DomainSolver alone on CDCL with witness reuse, never the compiled back end
    // (what Session::state runs on catalogs that do not compile, without the price range and
    // without choose's consistency check): its solver calls, and an independent check of (a).
    std::unique_ptr<detail::SatSolver> d_solver = extra ? cfg.engine()->solver() : nullptr;
    std::unique_ptr<detail::DomainSolver> d_domains =
        extra ? std::make_unique<detail::DomainSolver>(*cfg.engine(), *d_solver, 256,
                                                       /*use_compiled=*/false)
              : nullptr;

    // The page before any click: (a) and (b) on no choice.
    a_open.start();
    SessionState st = session.state();
    a_open.stop();
    Valid da = b.from_state(st);
    if (run_naive) {
      b_open.start();
      Valid db = b.naive(*solver, chosen_lits, naive_calls);
      b_open.stop();
      ++compared;
      if (db != da) {
        ++mismatches;
        std::printf("MISMATCH\t%s\tsession %zu, no choice:%s\n", label.c_str(), car,
                    b.diff(da, db).c_str());
      }
    }

    for (size_t step = 0; step < max_clicks; ++step) {
      Click click;
      if (!history.empty()) {
        if (step >= sequences[car].size()) break;
        click = sequences[car][step];
      } else {
        std::vector<int> open;
        for (size_t o = 0; o < da.size(); ++o) {
          if (std::count(da[o].begin(), da[o].end(), true) >= 2) open.push_back(o);
        }
        if (open.empty()) break;
        click.option = open[rng.below(open.size())];
        std::vector<int> valid;
        for (size_t k = 0; k < da[click.option].size(); ++k) {
          if (da[click.option][k]) valid.push_back(k);
        }
        click.value = valid[rng.below(valid.size())];
      }
      a_click.start();
      ChooseResult r = session.choose(b.option(click.option).id, b.text(click));
      st = session.state();
      a_click.stop();
      if (!r.accepted) {
        ++refused;
        std::printf("REFUSED\t%s\tsession %zu click %zu: %s=%s\n", label.c_str(), car, step,
                    b.option(click.option).id.c_str(), b.text(click).c_str());
        continue;
      }
      ++clicks;
      if (st.price_limited) ++price_limited;  // the range's own budget ran out (see Limits)
      chosen.push_back(click);
      chosen_lits.push_back(b.lit(click));
      da = b.from_state(st);
      if (extra) {
        d_click.start();
        detail::DomainAnswer ans = d_domains->compute(chosen_lits, detail::SearchLimits{},
                                                      cfg.engine()->initial_witnesses({}).get());
        d_click.stop();
        d_calls.add(ans.solver_calls);
        if (ans.valid.size() == b.model.vars.size()) {
          for (size_t o = 0; o < da.size(); ++o) {
            if (ans.valid[b.model.option_var[o]] != da[o]) {
              std::printf(
                  "MISMATCH\t%s\tsession %zu click %zu: CDCL DomainSolver differs from Session\n",
                  label.c_str(), car, step);
              ++mismatches;
              break;
            }
          }
        }
      }
      if (run_naive) {
        a_paired.add(a_click.wall.samples.back());
        a_paired_cpu.add(a_click.cpu.samples.back());
        b_click.start();
        Valid db = b.naive(*solver, chosen_lits, naive_calls);
        b_click.stop();
        ++compared;
        if (db != da) {
          ++mismatches;
          std::printf("MISMATCH\t%s\tsession %zu click %zu:%s\n", label.c_str(), car, step,
                      b.diff(da, db).c_str());
        }
      }
      if (to_clingo) {
        states << "S " << car << ' ' << step << ' ' << chosen.size();
        for (const auto& c : chosen)
          states << ' ' << c.option << ' ' << b.asp_value(c.option, c.value);
        states << "\nE";
        for (size_t o = 0; o < da.size(); ++o) {
          states << ' ';
          bool first = true;
          for (size_t k = 0; k < da[o].size(); ++k) {
            if (!da[o][k]) continue;
            if (!first) states << ',';
            states << b.asp_value(o, k);
            first = false;
          }
          if (first) states << '-';
        }
        states << '\n';
        ++written;
      }
    }
  }

  std::printf(
      "INFO\t%s\t%zu sessions, %zu clicks (%zu refused); naive on the first %zu sessions: %zu "
      "answers "
      "compared, %zu mismatches, %lld solver calls; %zu states written for clingo; %zu states "
      "without a price range (its 1 s budget ran out)\n",
      label.c_str(), sessions, clicks, refused, std::min(naive_cars, sessions), compared,
      mismatches, static_cast<long long>(naive_calls), written, price_limited);
  std::printf(
      "INFO\t%s\tpeak memory: %.0f MiB after load, compilation and the first page; %.0f MiB "
      "after every click (with (b) and (d) in the same process)\n",
      label.c_str(), peak_before_clicks, peak_mib());
  a_click.print(label, "sumisura-click");
  d_click.print(label, "engine-domains");
  if (d_calls.n()) bench::print_result(label, "engine-domains-solver-calls", d_calls);
  a_open.print(label, "sumisura-open");
  if (b_click.wall.n() > 0) {
    bench::print_result(label, "sumisura-click-paired", a_paired);
    bench::print_result(label, "sumisura-click-paired-cpu", a_paired_cpu);
    b_click.print(label, "naive-click");
    b_open.print(label, "naive-open");
    std::printf("SPEEDUP\t%s\twall median %.1fx p99 %.1fx\tcpu median %.1fx p99 %.1fx\n",
                label.c_str(), b_click.wall.median() / a_paired.median(),
                b_click.wall.percentile(99) / a_paired.percentile(99),
                b_click.cpu.median() / a_paired_cpu.median(),
                b_click.cpu.percentile(99) / a_paired_cpu.percentile(99));
  }
  std::printf("CHECK\t%s\tnaive-vs-sumisura\t%zu compared\t%zu mismatches\t%zu refused\n",
              label.c_str(), compared, mismatches, refused);
  return mismatches || refused ? 1 : 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "error: %s\n", e.what());
  return 2;
}
