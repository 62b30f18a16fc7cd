// `sumisura check MODEL`: every problem of a catalog or model file, one line each.
#include <iostream>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "sumisura/check.hpp"

namespace sumisura::cli {
namespace {

struct CheckOptions {
  std::string path;
  std::string format;
  bool json = false;
  bool no_warnings = false;
};

std::string plural(size_t n, const char* word, const char* words = nullptr) {
  if (n == 1) return "1 " + std::string(word);
  return std::to_string(n) + " " + (words ? std::string(words) : std::string(word) + "s");
}

int run_check(const CheckOptions& o) {
  CheckReport report = check_file(o.path, parse_format(o.format));
  size_t errors = 0, warnings = 0;
  for (const auto& d : report.diagnostics) (d.severity == Severity::error ? errors : warnings)++;
  const CatalogSummary& s = report.summary;
  if (o.json) {
    nlohmann::ordered_json out;
    out["ok"] = report.ok();
    out["file"] = o.path;
    out["diagnostics"] = nlohmann::ordered_json::array();
    for (const auto& d : report.diagnostics) {
      if (o.no_warnings && d.severity == Severity::warning) continue;
      out["diagnostics"].push_back(
          {{"severity", d.severity == Severity::error ? "error" : "warning"},
           {"file", d.file},
           {"line", d.position.line},
           {"column", d.position.column},
           {"message", d.message}});
    }
    out["summary"] = {
        {"options", s.options},   {"blocks", s.blocks},           {"slots", s.slots},
        {"products", s.products}, {"services", s.services},       {"bundles", s.bundles},
        {"rules", s.rules},       {"constraints", s.constraints}, {"assemblies", s.assemblies}};
    std::cout << out.dump(2) << "\n";
    return report.ok() ? 0 : 1;
  }
  for (const auto& d : report.diagnostics) {
    if (o.no_warnings && d.severity == Severity::warning) continue;
    std::cout << d.to_string() << "\n";
  }
  if (!report.ok()) {
    std::cout << o.path << ": " << plural(errors, "error") << ", " << plural(warnings, "warning")
              << "\n";
    return 1;
  }
  std::string name = report.catalog.name.empty() || report.catalog.name == o.path
                         ? ""
                         : " '" + report.catalog.name + "'";
  std::cout << o.path << ": ok" << name << ": " << plural(s.options, "option") << ", "
            << plural(s.constraints, "constraint");
  if (s.blocks) std::cout << ", " << plural(s.blocks, "block") << " in " << plural(s.slots, "slot");
  if (s.assemblies) std::cout << ", " << plural(s.assemblies, "assembly", "assemblies");
  if (s.products) std::cout << ", " << plural(s.products, "product");
  if (s.services) std::cout << ", " << plural(s.services, "service");
  if (s.bundles) std::cout << ", " << plural(s.bundles, "bundle");
  std::cout << " (" << plural(warnings, "warning") << ")\n";
  return 0;
}

}  // namespace

void add_check_command(CLI::App& app, Action& action) {
  auto o = std::make_shared<CheckOptions>();
  CLI::App* cmd = app.add_subcommand(
      "check", "Validate a catalog or model and report every problem with its line");
  cmd->add_option("MODEL", o->path, "Catalog (.yaml) or model (.dimacs/.cnf, .xml, .uvl)")
      ->required();
  add_format_option(*cmd, o->format);
  cmd->add_flag("--json", o->json, "Print one JSON object");
  cmd->add_flag("--no-warnings", o->no_warnings, "Print errors only");
  cmd->callback([o, &action] { action = [o] { return run_check(*o); }; });
}

}  // namespace sumisura::cli
