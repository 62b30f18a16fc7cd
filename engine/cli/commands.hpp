// The subcommands of `sumisura`, one file each; main.cpp wires them up.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

#include "sumisura/catalog.hpp"

namespace sumisura::cli {

/// A subcommand's work, run after parsing; returns the process exit status.
using Action = std::function<int()>;

void add_check_command(CLI::App& app, Action& action);
void add_convert_command(CLI::App& app, Action& action);
void add_configure_command(CLI::App& app, Action& action);
void add_domains_command(CLI::App& app, Action& action);
void add_session_command(CLI::App& app, Action& action);

/// Adds `--format` to a subcommand; the result goes to `format`.
void add_format_option(CLI::App& command, std::string& format);
/// The ModelFormat a --format value names; throws Error(kind usage) when it names none.
ModelFormat parse_format(const std::string& name);

}  // namespace sumisura::cli
