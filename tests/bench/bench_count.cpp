// Counting, analysis and sampling on one model, step by step, in one process: load, compile (the
// form the engine picks), the total count (checked against --expected, e.g. REFERENCE.tsv), every
// per-value count (analyze), 1,000 uniform samples, the compiled file (its size, and a reload from
// it that must count the same), with the process's peak resident memory after each step.
//
//   sumisura_bench_count --model FILE [--expected DECIMAL] [--label NAME] [--samples N]
//                        [--work N] [--memory MB] [--nodes N] [--form auto|diagram|dnnf]
//
// Prints `COUNT<TAB>label<TAB>key<TAB>value` lines (tests/bench/format_results.py reads them).
// Exit 77 when the model is absent, 1 when a count differs from --expected or the reload.

#include <cstdio>

#include "bench_common.hpp"
#include "sumisura/sumisura.hpp"

using namespace sumisura;
using bench::Clock;
using bench::ms_since;
using bench::peak_mib;

namespace {

void put(const std::string& label, const std::string& key, const std::string& value) {
  std::printf("COUNT\t%s\t%s\t%s\n", label.c_str(), key.c_str(), value.c_str());
  std::fflush(stdout);
}

void put(const std::string& label, const std::string& key, double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.3f", value);
  put(label, key, text);
}

/// Counts agree when equal; a published figure rounded to a double (renault-big's) agrees
/// within one part in 10^15.
bool agrees(const std::string& ours, const std::string& expected) {
  if (ours == expected) return true;
  if (ours.size() != expected.size() || ours.size() < 17) return false;
  return ours.substr(0, 15) == expected.substr(0, 15);
}

}  // namespace

int main(int argc, char** argv) try {
  bench::Args args(argc, argv);
  const std::string path = args.str("model");
  const std::string label = args.str("label", path);
  const std::string expected = args.str("expected");
  const size_t samples = static_cast<size_t>(args.num("samples", 1000));
  if (path.empty()) {
    std::fprintf(stderr,
                 "usage: sumisura_bench_count --model FILE [--expected DECIMAL] [--label NAME]\n"
                 "       [--samples N] [--work N] [--memory MB] [--nodes N] [--form F]\n");
    return 2;
  }
  if (!bench::file_exists(path)) {
    std::fprintf(stderr, "skip: %s is absent\n", path.c_str());
    return 77;
  }
  auto t0 = Clock::now();
  Configurator cfg = Configurator::from_file(path);
  put(label, "load_ms", ms_since(t0));
  put(label, "load_peak_mib", peak_mib());

  CompileOptions options;
  options.work = static_cast<uint64_t>(args.num("work", 0));
  options.memory_mb = static_cast<size_t>(args.num("memory", 0));
  options.nodes = static_cast<size_t>(args.num("nodes", 0));
  options.form = args.str("form", "auto");
  t0 = Clock::now();
  CompileReport report = cfg.compile(options);
  put(label, "compile_ms", ms_since(t0));
  put(label, "compile_peak_mib", peak_mib());
  put(label, "compiled", report.compiled ? "yes" : "no");
  put(label, "work", std::to_string(report.work));
  if (!report.compiled) {
    put(label, "reason", report.reason);
    return 0;
  }
  put(label, "form", report.form);
  put(label, "nodes", std::to_string(report.nodes));
  put(label, "edges", std::to_string(report.edges));

  t0 = Clock::now();
  Count total = cfg.count();
  put(label, "count_ms", ms_since(t0));
  put(label, "digits", std::to_string(total.count.size()));
  int status = 0;
  if (!expected.empty()) {
    bool ok = agrees(total.count, expected);
    put(label, "matches_reference", ok ? "yes" : "NO");
    if (!ok) {
      std::fprintf(stderr, "%s: count %s, reference %s\n", label.c_str(), total.count.c_str(),
                   expected.c_str());
      status = 1;
    }
  }

  t0 = Clock::now();
  Analysis a = cfg.analyze();
  put(label, "value_counts_ms", ms_since(t0));
  put(label, "dead", std::to_string(a.dead.size()));
  put(label, "core", std::to_string(a.core.size()));
  put(label, "false_optional", std::to_string(a.false_optional.size()));

  t0 = Clock::now();
  Samples s = cfg.sample(samples, 1);
  put(label, "sample_ms", ms_since(t0));
  put(label, "samples", std::to_string(s.products.size()));

  t0 = Clock::now();
  std::string bytes = cfg.compiled_bytes();
  put(label, "save_ms", ms_since(t0));
  put(label, "file_bytes", std::to_string(bytes.size()));
  t0 = Clock::now();
  Configurator again = Configurator::from_compiled_bytes(bytes, label);
  Count reloaded = again.count();
  put(label, "reload_count_ms", ms_since(t0));
  if (reloaded.count != total.count) {
    std::fprintf(stderr, "%s: the reloaded file counts %s\n", label.c_str(),
                 reloaded.count.c_str());
    status = 1;
  }
  put(label, "peak_mib", peak_mib());
  return status;
} catch (const std::exception& e) {
  std::fprintf(stderr, "error: %s\n", e.what());
  return 1;
}
