// `sumisura convert MODEL -o OUT.yaml`: any readable model in Sumisura's catalog format.
#include <iostream>

#include "commands.hpp"

namespace sumisura::cli {
namespace {

struct ConvertOptions {
  std::string path;
  std::string format;
  std::string output;
};

int run_convert(const ConvertOptions& o) {
  Catalog catalog = load_catalog(o.path, parse_format(o.format));
  if (o.output.empty() || o.output == "-") {
    std::cout << to_yaml(catalog);
  } else {
    save_catalog(catalog, o.output);
    std::cerr << o.path << " -> " << o.output << ": " << catalog.options.size() << " options, "
              << catalog.rules.size() << " rules\n";
  }
  return 0;
}

}  // namespace

void add_convert_command(CLI::App& app, Action& action) {
  auto o = std::make_shared<ConvertOptions>();
  CLI::App* cmd = app.add_subcommand(
      "convert", "Write a model (DIMACS, XCSP, UVL or YAML) as a Sumisura YAML catalog");
  cmd->add_option("MODEL", o->path, "Model to convert")->required();
  cmd->add_option("-o,--output", o->output, "Output file (default: standard output)");
  add_format_option(*cmd, o->format);
  cmd->callback([o, &action] { action = [o] { return run_convert(*o); }; });
}

}  // namespace sumisura::cli
