// `sumisura compile MODEL -o FILE`: the catalog and its compiled form in one file, which every
// command (and Configurator::from_file) loads without compiling again.
#include <filesystem>
#include <iostream>

#include "cli_json.hpp"
#include "commands.hpp"

namespace sumisura::cli {
namespace {

struct CompileCommandOptions {
  std::string path, format, output;
  CompileFlags flags;
  bool json = false;
};

int run_compile(const CompileCommandOptions& o) {
  CompileReport r;
  Configurator configurator = load_and_compile(o.path, o.format, o.flags, &r);
  configurator.save_compiled(o.output);
  // Not a regular file (a pipe, /dev/null): written, but its size is not known.
  std::error_code no_size;
  auto bytes = std::filesystem::file_size(o.output, no_size);
  if (o.json) {
    Json out;
    out["compiled"] = r.compiled;
    out["form"] = r.compiled ? Json(r.form) : Json(nullptr);
    out["nodes"] = r.nodes;
    out["edges"] = r.edges;
    out["seconds"] = r.seconds;
    out["work"] = r.work;
    out["reason"] = r.compiled ? Json(nullptr) : Json(r.reason);
    out["left_out"] = r.left_out;
    out["file"] = o.output;
    out["bytes"] = no_size ? Json(nullptr) : Json(bytes);
    std::cout << out.dump() << "\n";
  } else if (r.compiled) {
    std::cout << o.output << ": " << r.form << ", " << r.nodes << " nodes, " << r.edges
              << " edges, compiled in " << r.seconds << " s";
    if (!no_size) std::cout << " (" << bytes << " bytes)";
    std::cout << "\n";
  } else if (!r.left_out.empty()) {
    std::cout << o.output << ": no exact compiled form (" << r.reason
              << "); saved with that relaxed form\n";
  } else {
    std::cout << o.output << ": no compiled form (" << r.reason
              << "); saved with that verdict, so sessions use the search back end at once\n";
  }
  return r.compiled ? 0 : 3;
}

}  // namespace

void add_compile_command(CLI::App& app, Action& action) {
  auto o = std::make_shared<CompileCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "compile", "Compile a model once into a file that every command loads without compiling");
  cmd->add_option("MODEL", o->path, "Catalog or model file")->required();
  cmd->add_option("-o,--output", o->output, "Compiled file to write (e.g. MODEL.sumisura)")
      ->required();
  add_format_option(*cmd, o->format);
  add_compile_options(*cmd, o->flags, true);
  cmd->add_flag("--json", o->json, "Print one JSON object");
  cmd->callback([o, &action] { action = [o] { return run_compile(*o); }; });
}

}  // namespace sumisura::cli
