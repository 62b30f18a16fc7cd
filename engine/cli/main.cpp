// `sumisura`: the command-line face of the engine (docs/cli.md).
#include <unistd.h>
#include <cmath>
#include <cstdlib>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <new>
#include <vector>

#include "cli_json.hpp"
#include "commands.hpp"
#include "sanitizers.hpp"
#include "sumisura/error.hpp"
#include "sumisura/version.hpp"

namespace sumisura::cli {
namespace {

// Every --time-limit counts from here: reading and compiling the model are part of the command.
const auto process_start = std::chrono::steady_clock::now();

/// Seconds kept back from a command's limit to write its answer, set once the model is loaded.
double answer_reserve = 0;

/// Writing an answer costs about 10 microseconds per option, slot and service it lists (a state,
/// domains or a product of automotive02's 14,000 options took 0.1 to 0.15 s on the 2-core test
/// machine, 8.5 microseconds each on a model of 14,000 free options): kept back from the limit so
/// that the answer is written within it.
constexpr double kAnswerSecondsPerVariable = 10e-6;

double seconds_spent() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - process_start).count();
}

}  // namespace

double seconds_left(double seconds) {
  if (seconds <= 0) return 0;
  return std::max(seconds - seconds_spent() - answer_reserve, 1e-3);
}

Configurator load_model(const std::string& path, const std::string& format, double seconds) {
  Limits limits;
  limits.seconds = seconds_left(seconds);
  Configurator loaded = Configurator::from_file(path, parse_format(format), limits);
  // Kept to the end of the process, which ends without tearing it down (see main): freeing a
  // model of 14,000 variables and stopping its background compilation took up to 0.1 s past a
  // command's time limit. Kept before the check below, which would otherwise free it.
  static std::vector<Configurator> kept;
  kept.push_back(loaded);
  const Catalog& c = loaded.catalog();
  answer_reserve = kAnswerSecondsPerVariable *
                   static_cast<double>(c.options.size() + c.slots.size() + c.services.size());
  if (seconds > 0 && seconds - seconds_spent() < answer_reserve) {
    throw Error(ErrorKind::limit,
                "the time limit ran out while reading the model: too little of it is left to "
                "answer about its " +
                    std::to_string(c.options.size() + c.slots.size() + c.services.size()) +
                    " options, slots and services; give more time (--time-limit)");
  }
  return loaded;
}

void add_format_option(CLI::App& command, std::string& format) {
  command
      .add_option("--format", format,
                  "Model format: yaml, dimacs, xcsp or uvl (default: from the extension)")
      ->check(CLI::IsMember(
          {"auto", "yaml", "yml", "dimacs", "cnf", "xcsp", "xml", "uvl", "compiled"}));
}

void add_time_limit_option(CLI::App& command, double& seconds, const std::string& help) {
  // CLI11 reads "nan", "inf" and "1e400" as numbers: each is refused here, with 0 and negatives
  // (which the engine reads as "no limit": never what a user typing a limit means).
  auto positive_finite = [](const std::string& text) -> std::string {
    char* end = nullptr;
    double v = std::strtod(text.c_str(), &end);
    if (end == text.c_str() || *end != '\0' || !std::isfinite(v) || v <= 0)
      return "--time-limit must be a positive number of seconds, such as 10 or 0.5 (got '" + text +
             "')";
    return {};
  };
  command.add_option("--time-limit", seconds, help)->check(positive_finite);
}

void add_compile_options(CLI::App& command, CompileFlags& flags, bool with_form) {
  command.add_option("--work", flags.work,
                     "Compilation budget in elementary steps (default 1e9, about 10-50 s)");
  command.add_option("--memory", flags.memory_mb, "Compilation memory budget in MiB (default 256)");
  command.add_option("--nodes", flags.nodes,
                     "Size budget of the compiled form: nodes plus edges (default 20,000,000)");
  add_time_limit_option(
      command, flags.seconds,
      "Wall-clock limit in seconds (default: none; work and memory bound compiling)");
  if (with_form)
    command.add_option("--form", flags.form, "Compiled form: auto, diagram or dnnf (default auto)")
        ->check(CLI::IsMember({"auto", "diagram", "dnnf", "relaxed"}));
}

CompileOptions compile_options(const CompileFlags& flags) {
  CompileOptions options;
  options.work = flags.work;
  options.memory_mb = flags.memory_mb;
  options.nodes = flags.nodes;
  options.seconds = flags.seconds;
  options.form = flags.form;
  return options;
}

Configurator load_and_compile(const std::string& path, const std::string& format,
                              const CompileFlags& flags, CompileReport* report) {
  Configurator configurator = load_model(path, format, flags.seconds);
  CompileOptions options = compile_options(flags);
  options.seconds = seconds_left(flags.seconds);
  bool terminal = isatty(STDERR_FILENO);
  bool shown = false;
  if (terminal) {
    options.progress = [&](double seconds, uint64_t work, size_t nodes) {
      std::fprintf(stderr, "\rcompiling %s: %.1f s, %.0f M steps, %.1f M nodes   ", path.c_str(),
                   seconds, work / 1e6, nodes / 1e6);
      shown = true;
    };
  }
  CompileReport r = configurator.compile(options);
  if (shown) std::fprintf(stderr, "\r%*s\r", 72, "");
  if (report) *report = r;
  return configurator;
}

ModelFormat parse_format(const std::string& name) {
  if (name.empty()) return ModelFormat::automatic;
  if (auto f = format_from_name(name)) return *f;
  throw Error(ErrorKind::usage, "unknown format '" + name + "'");
}

}  // namespace sumisura::cli

namespace {

/// Ends the process with `status` once the answer is out: without running destructors (the
/// models loaded are kept to the end, see load_model), except in sanitizer builds, which check
/// every teardown.
int finish(int status) {
#ifndef SUMISURA_SANITIZED
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  std::_Exit(status);
#endif
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Sumisura: made-to-measure product configuration"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("sumisura ") + sumisura::version());
  sumisura::cli::Action action;
  sumisura::cli::add_check_command(app, action);
  sumisura::cli::add_convert_command(app, action);
  sumisura::cli::add_configure_command(app, action);
  sumisura::cli::add_domains_command(app, action);
  sumisura::cli::add_session_command(app, action);
  sumisura::cli::add_compile_command(app, action);
  sumisura::cli::add_count_command(app, action);
  sumisura::cli::add_analyze_command(app, action);
  sumisura::cli::add_sample_command(app, action);
  sumisura::cli::add_serve_command(app, action);
  sumisura::cli::add_learn_command(app, action);
  sumisura::cli::add_diff_command(app, action);
  sumisura::cli::add_revalidate_command(app, action);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 1;
  }
  try {
    int status = action ? action() : 0;
    // An answer that could not be written (a full disk, a closed pipe) is a failure, not a
    // silent success.
    std::cout.flush();
    if (!std::cout) {
      std::cerr << "sumisura: error while writing the answer to standard output; it is "
                   "incomplete\n";
      return finish(1);
    }
    return finish(status);
  } catch (const sumisura::Error& e) {
    std::cerr << "sumisura: " << e.what() << "\n";
    if (e.kind() == sumisura::ErrorKind::limit) {
      // A limit is an outcome, not a failure: "unknown", as a solve stopped by its limit says
      // (and the same JSON shape where the answer was asked for as JSON).
      for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--json") == 0) {
          std::cout << nlohmann::json{{"status", "unknown"}, {"reason", e.what()}}.dump() << "\n";
          break;
        }
      }
      return finish(3);
    }
    return finish(1);
  } catch (const std::bad_alloc&) {
    std::cerr << "sumisura: out of memory\n";
    return finish(1);
  } catch (const std::exception& e) {
    std::cerr << "sumisura: internal error: " << e.what() << " (please report it)\n";
    return finish(1);
  }
}
