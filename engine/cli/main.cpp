// `sumisura`: the command-line face of the engine (docs/cli.md).
#include <iostream>
#include <new>

#include "commands.hpp"
#include "sumisura/error.hpp"

namespace sumisura::cli {

void add_format_option(CLI::App& command, std::string& format) {
  command
      .add_option("--format", format,
                  "Model format: yaml, dimacs, xcsp or uvl (default: from the extension)")
      ->check(CLI::IsMember({"auto", "yaml", "yml", "dimacs", "cnf", "xcsp", "xml", "uvl"}));
}

ModelFormat parse_format(const std::string& name) {
  if (name.empty()) return ModelFormat::automatic;
  if (auto f = format_from_name(name)) return *f;
  throw Error(ErrorKind::usage, "unknown format '" + name + "'");
}

}  // namespace sumisura::cli

int main(int argc, char** argv) {
  CLI::App app{"Sumisura: made-to-measure product configuration"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "sumisura 0.1.0");
  sumisura::cli::Action action;
  sumisura::cli::add_check_command(app, action);
  sumisura::cli::add_convert_command(app, action);
  sumisura::cli::add_configure_command(app, action);
  sumisura::cli::add_domains_command(app, action);
  sumisura::cli::add_session_command(app, action);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 1;
  }
  try {
    return action ? action() : 0;
  } catch (const sumisura::Error& e) {
    std::cerr << "sumisura: " << e.what() << "\n";
    return 1;
  } catch (const std::bad_alloc&) {
    std::cerr << "sumisura: out of memory\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "sumisura: internal error: " << e.what() << " (please report it)\n";
    return 1;
  }
}
