// `sumisura analyze MODEL [--json]`: dead and core values, false-optional options, and the count
// of every value.
#include <iostream>

#include "commands.hpp"
#include "sumisura/json.hpp"

namespace sumisura::cli {
namespace {

struct AnalyzeOptions {
  std::string path, format;
  CompileFlags flags;
  bool json = false;
};

void print_list(const char* title, const std::vector<std::string>& items) {
  std::cout << title << " (" << items.size() << ")";
  if (items.empty()) {
    std::cout << ": none\n";
    return;
  }
  std::cout << ":\n";
  for (const auto& i : items) std::cout << "  " << i << "\n";
}

int run_analyze(const AnalyzeOptions& o) {
  Configurator configurator = load_and_compile(o.path, o.format, o.flags);
  Limits limits;
  if (o.flags.seconds > 0) limits.seconds = seconds_left(o.flags.seconds);
  Analysis a = configurator.analyze(limits);
  if (o.json) {
    std::cout << to_json(a) << "\n";
  } else {
    if (!a.feasible) {
      std::cout << "the catalog makes no product at all\n";
      return 2;
    }
    if (a.counted)
      std::cout << a.total << " valid products\n";
    else
      std::cout << "no counts: " << a.reason << "\n";
    if (!a.complete)
      std::cout << "(a limit stopped the search: some dead, core or false-optional values may be "
                   "missing)\n";
    print_list("dead values (in no product)", a.dead);
    print_list("core values (in every product)", a.core);
    print_list("false-optional options", a.false_optional);
  }
  if (!a.feasible) return 2;
  return a.complete ? 0 : 3;
}

}  // namespace

void add_analyze_command(CLI::App& app, Action& action) {
  auto o = std::make_shared<AnalyzeOptions>();
  CLI::App* cmd = app.add_subcommand(
      "analyze", "Dead and core values, false-optional options, and the count of every value");
  cmd->add_option("MODEL", o->path, "Catalog, model or compiled file")->required();
  add_format_option(*cmd, o->format);
  add_compile_options(*cmd, o->flags, false);
  cmd->add_flag("--json", o->json, "Print one JSON object (with every value's count)");
  cmd->callback([o, &action] { action = [o] { return run_analyze(*o); }; });
}

}  // namespace sumisura::cli
