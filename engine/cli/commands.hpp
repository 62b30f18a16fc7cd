// The subcommands of `sumisura`, one file each; main.cpp wires them up.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <optional>
#include <string>

#include "sumisura/catalog.hpp"
#include "sumisura/configurator.hpp"

namespace sumisura::cli {

/// A subcommand's work, run after parsing; returns the process exit status.
using Action = std::function<int()>;

void add_check_command(CLI::App& app, Action& action);
void add_convert_command(CLI::App& app, Action& action);
void add_configure_command(CLI::App& app, Action& action);
void add_domains_command(CLI::App& app, Action& action);
void add_session_command(CLI::App& app, Action& action);
void add_compile_command(CLI::App& app, Action& action);
void add_count_command(CLI::App& app, Action& action);
void add_analyze_command(CLI::App& app, Action& action);
void add_sample_command(CLI::App& app, Action& action);
void add_serve_command(CLI::App& app, Action& action);
void add_learn_command(CLI::App& app, Action& action);
void add_diff_command(CLI::App& app, Action& action);
void add_revalidate_command(CLI::App& app, Action& action);

/// Adds `--time-limit SECONDS` to a subcommand: a positive, finite number of seconds, anything
/// else (0, negative, nan, inf, text) a usage error naming the option.
void add_time_limit_option(CLI::App& command, double& seconds, const std::string& help);
/// What is left of a command's --time-limit `seconds`, counted from the start of the process:
/// reading and compiling the model spend it too. 0 (no limit) stays 0; never below 1 ms.
double seconds_left(double seconds);
/// Configurator::from_file(path, format) within what is left of `seconds` (0: no limit).
Configurator load_model(const std::string& path, const std::string& format, double seconds);
/// Adds `--format` to a subcommand; the result goes to `format`.
void add_format_option(CLI::App& command, std::string& format);
/// The ModelFormat a --format value names; throws Error(kind usage) when it names none.
ModelFormat parse_format(const std::string& name);

/// --preferences MODEL (learned by `sumisura learn`) and --profile FILE: whom a call serves.
struct CustomerFlags {
  std::string preferences, profile;
};
void add_customer_options(CLI::App& command, CustomerFlags& flags);
/// `configurator` with the --preferences model, when given.
Configurator with_preferences(const Configurator& configurator, const CustomerFlags& flags);
/// The --profile, when given.
std::optional<Profile> customer_profile(const CustomerFlags& flags);

/// What the compiled form may spend (--work, --memory, --time-limit, and --form where asked).
struct CompileFlags {
  uint64_t work = 0;
  size_t memory_mb = 0;
  size_t nodes = 0;
  double seconds = 0;
  std::string form = "auto";
};
void add_compile_options(CLI::App& command, CompileFlags& flags, bool with_form);
/// The flags as the engine takes them (without progress).
CompileOptions compile_options(const CompileFlags& flags);
/// Loads MODEL (any format, or a compiled file) and settles its compiled form in the foreground
/// under `flags`, showing progress on standard error when it is a terminal.
Configurator load_and_compile(const std::string& path, const std::string& format,
                              const CompileFlags& flags, CompileReport* report = nullptr);

}  // namespace sumisura::cli
