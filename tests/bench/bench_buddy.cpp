// A published BDD package on the same counting task, for comparison: BuDDy (Debian's libbdd-dev)
// conjoins the clauses of the model's CNF (the engine's own encoding, the same clauses the
// compilers see) one by one in file order, over the variables in their natural order, then
// quantifies the auxiliary variables away and counts the models over the scope. Its count is taken
// as a logarithm (bdd_satcountln: counts pass a double's range) and compared with ours.
// BuDDy reorders its variables dynamically (sifting) unless --no-reorder.
//
//   sumisura_bench_buddy --model FILE [--label NAME] [--seconds S] [--max-nodes N]
//
// Prints `BUDDY<TAB>label<TAB>key<TAB>value` lines; exit 77 when the model is absent. Stops
// (and says so) at --seconds between two conjunctions, or when BuDDy exceeds --max-nodes.
#include <bdd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "bench_common.hpp"
#include "compile/model.hpp"
#include "reason/engine.hpp"
#include "sumisura/sumisura.hpp"

using namespace sumisura;
using bench::Clock;
using bench::ms_since;
using bench::peak_mib;

namespace {

std::string label;

void put(const std::string& key, const std::string& value) {
  std::printf("BUDDY\t%s\t%s\t%s\n", label.c_str(), key.c_str(), value.c_str());
  std::fflush(stdout);
}

void put(const std::string& key, double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.3f", value);
  put(key, text);
}

Clock::time_point started;

void out_of_nodes(int code) {
  put("status", std::string("stopped: ") + bdd_errstring(code));
  put("seconds", ms_since(started) / 1000);
  put("peak_mib", peak_mib());
  std::exit(0);
}

}  // namespace

int main(int argc, char** argv) try {
  bench::Args args(argc, argv);
  const std::string path = args.str("model");
  label = args.str("label", path);
  const double seconds = static_cast<double>(args.num("seconds", 60));
  const long max_nodes = args.num("max-nodes", 100'000'000);
  if (path.empty()) {
    std::fprintf(stderr, "usage: sumisura_bench_buddy --model FILE [--label NAME] [--seconds S]\n");
    return 2;
  }
  if (!bench::file_exists(path)) return 77;
  Configurator cfg = Configurator::from_file(path);
  const detail::Model& m = cfg.engine()->model();
  const int n = m.cnf.num_vars();
  std::vector<char> scope(static_cast<size_t>(n) + 1, 0);
  for (const auto& v : m.vars)
    for (detail::Lit l : v.lits) scope[std::abs(l)] = 1;

  started = Clock::now();
  bdd_init(1'000'000, 100'000);
  bdd_setmaxincrease(10'000'000);
  bdd_setmaxnodenum(static_cast<int>(std::min<long>(max_nodes, 2'000'000'000)));
  bdd_error_hook(out_of_nodes);
  bdd_gbc_hook(nullptr);
  bdd_setvarnum(n + 1);
  // BuDDy's own best effort on the order: dynamic reordering by sifting (off with --no-reorder).
  if (!args.has("no-reorder")) bdd_autoreorder(BDD_REORDER_SIFT);
  bdd f = bddtrue;  // the C++ interface counts references itself
  for (size_t i = 0; i < m.cnf.size(); ++i) {
    if (ms_since(started) > seconds * 1000) {
      put("status", "stopped: time limit (" + std::to_string(i) + " of " +
                        std::to_string(m.cnf.size()) + " clauses conjoined)");
      put("seconds", ms_since(started) / 1000);
      put("peak_mib", peak_mib());
      return 0;
    }
    bdd clause = bddfalse;
    for (detail::Lit l : m.cnf.clause(i)) clause |= l > 0 ? bdd_ithvar(l) : bdd_nithvar(-l);
    f &= clause;
  }
  // Auxiliary variables (gates, ladders) are quantified away; models are counted over the scope.
  std::vector<int> aux, kept;
  for (int v = 1; v <= n; ++v) (scope[v] ? kept : aux).push_back(v);
  if (!aux.empty()) f = bdd_exist(f, bdd_makeset(aux.data(), static_cast<int>(aux.size())));
  // log2 of the count over all BuDDy variables (0..n), less the variables outside the scope:
  // satcountln does not overflow where the count passes a double's range.
  double log2_count = bdd_satcountln(f) - static_cast<double>(aux.size() + 1);
  put("status", "counted");
  put("seconds", ms_since(started) / 1000);
  put("nodes", std::to_string(bdd_nodecount(f)));
  put("log10_count", log2_count * std::log10(2.0));
  std::string ours = cfg.count().count;  // log10 from the digits: counts pass a double's range
  put("ours_log10", static_cast<double>(ours.size() - 1) +
                        std::log10(std::stod(ours.substr(0, 15)) /
                                   std::pow(10.0, std::min<size_t>(14, ours.size() - 1))));
  put("peak_mib", peak_mib());
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "error: %s\n", e.what());
  return 1;
}
