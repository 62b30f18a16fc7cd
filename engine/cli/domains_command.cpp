// `sumisura domains MODEL [--where NAME=VALUE]... [--json]`: the values each option can still take.
#include <iostream>

#include "commands.hpp"
#include "sumisura/configurator.hpp"
#include "sumisura/json.hpp"

namespace sumisura::cli {
namespace {

struct DomainsOptions {
  std::string path, format;
  std::vector<std::string> where;
  double seconds = 60;
  bool json = false;
};

int run_domains(const DomainsOptions& o) {
  Configurator configurator = Configurator::from_file(o.path, parse_format(o.format));
  std::vector<Requirement> choices;
  for (const auto& w : o.where) choices.push_back(Requirement::parse_where(w));
  Limits limits;
  limits.seconds = o.seconds;
  Domains d = configurator.domains(choices, limits);
  if (o.json) {
    std::cout << to_json(d) << "\n";
  } else if (!d.feasible) {
    std::cout << "infeasible: these choices contradict each other:\n";
    for (const auto& c : d.conflict.requirements) std::cout << "  - " << c << "\n";
  } else {
    if (!d.complete) std::cout << "(time limit reached: some valid values may be missing)\n";
    for (const auto& e : d.entries) {
      std::cout << e.name << ":";
      for (const auto& v : e.values) std::cout << " " << v.to_string();
      std::cout << "\n";
    }
  }
  if (!d.feasible) return 2;
  return d.complete ? 0 : 3;
}

}  // namespace

void add_domains_command(CLI::App& app, Action& action) {
  auto o = std::make_shared<DomainsOptions>();
  CLI::App* cmd =
      app.add_subcommand("domains", "Valid values of every option and slot given some choices");
  cmd->add_option("MODEL", o->path, "Catalog or model file")->required();
  cmd->add_option("--where", o->where, "Choose NAME=VALUE (repeatable)");
  add_time_limit_option(*cmd, o->seconds, "Seconds (default 60)");
  add_format_option(*cmd, o->format);
  cmd->add_flag("--json", o->json, "Print one JSON object");
  cmd->callback([o, &action] { action = [o] { return run_domains(*o); }; });
}

}  // namespace sumisura::cli
