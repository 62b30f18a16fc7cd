// Revalidating a large order book against an edited catalog (issue 15): the Renault sales
// history, repeated to --orders saved orders, checked against the model with --rules forbidden
// pairs of values added (each pair taken from a sold car, so that real orders break). Reports
// orders per second over the whole call (loading the orders, compiling the new version and
// checking every order), the distinct orders checked per second, and the verdicts.
//
//   sumisura_bench_revalidate --model renault-medium.xml --history renault-medium-sales.txt
//       [--orders 100000] [--rules 3] [--runs 3] [--threads 0] [--seed 1] [--label L]
#include <sumisura/sumisura.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "bench_common.hpp"

using namespace sumisura;
using namespace bench;

int main(int argc, char** argv) {
  Args args(argc, argv);
  std::string model = args.str("model"), history = args.str("history");
  std::string label = args.str("label", "renault");
  if (!std::ifstream(model) || !std::ifstream(history)) {
    std::cerr << "skipped: " << model << " or " << history
              << " is missing (../shared/benchmarks is needed)\n";
    return 77;
  }
  size_t wanted = static_cast<size_t>(args.num("orders", 100000));
  int rules = static_cast<int>(args.num("rules", 3));
  int runs = static_cast<int>(args.num("runs", 3));
  int threads = static_cast<int>(args.num("threads", 0));
  Rng rng(static_cast<uint64_t>(args.num("seed", 1)));

  Catalog old_catalog = load_catalog(model);
  std::ifstream in(history);
  std::stringstream text;
  text << in.rdbuf();
  std::vector<std::string> lines;
  {
    std::istringstream all(text.str());
    for (std::string line; std::getline(all, line);) lines.push_back(line);
  }
  std::vector<std::string> header = split(lines.front());

  // The edit: forbid pairs of values sold together in 0.5 to 5% of the cars (a season's change
  // that breaks some orders, not most).
  std::vector<std::vector<std::string>> cars;
  for (size_t i = 1; i < lines.size(); ++i) cars.push_back(split(lines[i]));
  auto share = [&](size_t a, const std::string& x, size_t b, const std::string& y) {
    size_t n = 0;
    for (const auto& car : cars) n += car[a] == x && car[b] == y;
    return static_cast<double>(n) / cars.size();
  };
  Catalog edited = old_catalog;
  edited.version = "edited";
  std::string edits;
  for (int r = 0; r < rules; ++r) {
    std::vector<std::string> car;
    size_t a = 0, b = 0;
    for (int attempt = 0; attempt < 10000; ++attempt) {
      car = cars[rng.below(cars.size())];
      a = rng.below(header.size()), b = rng.below(header.size());
      if (a == b) continue;
      double s = share(a, car[a], b, car[b]);
      if (s >= 0.005 && s <= 0.05) break;
    }
    Rule rule;
    rule.id = "edited-" + std::to_string(r);
    rule.message = "no longer made";
    rule.kind = RuleKind::forbid;
    rule.expression = header[a] + " == " + car[a] + " and " + header[b] + " == " + car[b];
    edited.rules.push_back(rule);
    edits += (edits.empty() ? "" : "; ") + rule.expression;
  }
  // The order book: the history repeated.
  std::string book = lines.front() + "\n";
  for (size_t n = 0; n < wanted; ++n) book += lines[1 + n % (lines.size() - 1)] + "\n";
  std::printf("# %s: %zu saved orders (%zu sold cars repeated), edit: forbid %s\n", label.c_str(),
              wanted, lines.size() - 1, edits.c_str());

  Stats wall, per_order;
  Revalidation last;
  for (int run = 0; run < runs; ++run) {
    auto start = Clock::now();
    Configurator next(edited);  // compiled afresh each run: revalidate settles the compiled form
    std::vector<Order> orders = parse_saved_orders(next, book, history);
    double read_ms = ms_since(start);
    RevalidateOptions options;
    options.threads = threads;
    auto checking = Clock::now();
    last = revalidate(next, orders, options);
    double check_ms = ms_since(checking);
    double ms = ms_since(start);
    wall.add(ms);
    per_order.add(ms / orders.size());
    std::printf(
        "# run %d: %.0f ms (reading %.0f, checking %.0f), %zu orders, %zu distinct; valid "
        "%zu, repriced %zu, broken %zu, undecided %zu\n",
        run + 1, ms, read_ms, check_ms, last.orders.size(), last.distinct, last.valid,
        last.repriced, last.broken, last.undecided);
  }
  double median_s = wall.median() / 1000;
  std::printf(
      "REVALIDATE\t%s\torders\t%zu\tdistinct\t%zu\tmedian_s\t%.3f\torders_per_s\t%.0f\t"
      "distinct_per_s\t%.0f\tbroken\t%zu\tvalid\t%zu\tundecided\t%zu\tpeak_mib\t%.0f\n",
      label.c_str(), last.orders.size(), last.distinct, median_s, last.orders.size() / median_s,
      last.distinct / median_s, last.broken, last.valid, last.undecided, peak_mib());
  return last.undecided == 0 ? 0 : 1;
}
