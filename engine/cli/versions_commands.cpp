// `sumisura diff OLD NEW` and `sumisura revalidate NEW ORDERS`: what a new catalog version
// changes, and what it does to saved orders (docs/versions.md).
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "commands.hpp"
#include "sumisura/versions.hpp"

namespace sumisura::cli {
namespace {

struct DiffFlags {
  std::string old_path, new_path, format;
  size_t examples = 3;
  uint64_t seed = 1;
  CompileFlags compile;
  bool json = false;
};

int run_diff(const DiffFlags& f) {
  Configurator a = Configurator::from_file(f.old_path, parse_format(f.format));
  Configurator b = Configurator::from_file(f.new_path, parse_format(f.format));
  DiffOptions options;
  options.examples = f.examples;
  options.seed = f.seed;
  options.compile = compile_options(f.compile);
  CatalogDiff d = diff(a, b, options);
  if (f.json) {
    std::cout << to_json(d) << "\n";
  } else {
    std::cout << to_text(d);
  }
  return 0;  // a change is an answer, not a failure (errors exit 1)
}

struct RevalidateFlags {
  std::string catalog_path, orders_path, format;
  double seconds = 0;
  int repairs = 3;
  int threads = 0;
  bool json = false;
};

std::string money(const std::optional<Decimal>& d) {
  return d ? d->to_fixed(2) : "-";
}

void print_check(const OrderCheck& c, const Finding& f) {
  if (c.verdict == Verdict::valid) return;
  std::cout << c.source << ":" << c.line << ": " << to_string(c.verdict);
  if (c.verdict == Verdict::repriced) {
    std::cout << " " << money(c.old_total) << " -> " << money(c.new_total) << "\n";
    return;
  }
  std::cout << "\n";
  for (const auto& p : f.problems) std::cout << "    " << p << "\n";
  if (!f.conflict.requirements.empty()) {
    std::cout << "    conflict:";
    for (const auto& r : f.conflict.requirements) std::cout << " " << r;
    std::cout << "\n";
    for (const auto& r : f.conflict.rules)
      std::cout << "      rule " << r.id << (r.message.empty() ? "" : ": " + r.message) << "\n";
  }
  for (const auto& r : f.repairs) {
    std::cout << "    repair: give up";
    // Each choice given up, and what the repaired product has instead.
    for (const auto& ch : r.drop) {
      std::cout << " " << ch.name << "=" << ch.value;
      for (const auto& now : r.product)
        if (now.name == ch.name) std::cout << " (now " << now.value << ")";
    }
    std::cout << ": " << money(r.total) << "\n";
  }
}

int run_revalidate(const RevalidateFlags& f) {
  Configurator c = Configurator::from_file(f.catalog_path, parse_format(f.format));
  std::vector<Order> orders = load_saved_orders(c, f.orders_path);
  RevalidateOptions options;
  if (f.seconds > 0) options.limits.seconds = f.seconds;
  options.max_repairs = f.repairs;
  options.threads = f.threads;
  bool terminal = isatty(STDERR_FILENO);
  bool shown = false;
  if (terminal) {
    options.progress = [&](size_t done, size_t total) {
      if (done % 64 != 0 && done != total) return;
      std::fprintf(stderr, "\rrevalidating: %zu / %zu distinct orders   ", done, total);
      shown = true;
    };
  }
  Revalidation r = revalidate(c, orders, options);
  if (shown) std::fprintf(stderr, "\r%*s\r", 60, "");
  if (f.json) {
    std::cout << to_json(r);
  } else {
    for (const auto& check : r.orders) print_check(check, r.finding(check));
    std::printf("\n%-10s %10s\n", "verdict", "orders");
    std::printf("%-10s %10zu\n", "valid", r.valid);
    std::printf("%-10s %10zu\n", "repriced", r.repriced);
    std::printf("%-10s %10zu\n", "broken", r.broken);
    std::printf("%-10s %10zu\n", "undecided", r.undecided);
    std::printf("%-10s %10zu  (%zu distinct, %.2f s)\n", "total", r.orders.size(), r.distinct,
                r.seconds);
    std::fflush(stdout);
  }
  return r.broken || r.undecided ? 2 : 0;
}

}  // namespace

void add_diff_command(CLI::App& app, Action& action) {
  auto f = std::make_shared<DiffFlags>();
  CLI::App* cmd = app.add_subcommand(
      "diff", "What changed between two versions of a catalog, and what it means for its products");
  cmd->add_option("OLD", f->old_path, "The old version (any model format)")->required();
  cmd->add_option("NEW", f->new_path, "The new version")->required();
  cmd->add_option("--examples", f->examples, "Products to show on each side (default 3)");
  cmd->add_option("--seed", f->seed, "Which example products (default 1)");
  add_format_option(*cmd, f->format);
  add_compile_options(*cmd, f->compile, false);
  cmd->add_flag("--json", f->json, "Print one JSON object");
  cmd->callback([f, &action] { action = [f] { return run_diff(*f); }; });
}

void add_revalidate_command(CLI::App& app, Action& action) {
  auto f = std::make_shared<RevalidateFlags>();
  CLI::App* cmd = app.add_subcommand(
      "revalidate", "Check saved orders against a catalog version: valid, repriced or broken");
  cmd->add_option("CATALOG", f->catalog_path, "The catalog version to check against")->required();
  cmd->add_option("ORDERS", f->orders_path,
                  "Saved orders: configure results or saved sessions (JSON lines or a list), or a "
                  "table with a header line (- for standard input)")
      ->required();
  add_time_limit_option(*cmd, f->seconds, "Limit per distinct order in seconds (default 10)");
  cmd->add_option("--repairs", f->repairs, "Repairs to list per broken order (default 3)");
  cmd->add_option("--threads", f->threads, "Threads (default: one per core)");
  add_format_option(*cmd, f->format);
  cmd->add_flag("--json", f->json, "Print one JSON line per order, then a summary line");
  cmd->callback([f, &action] { action = [f] { return run_revalidate(*f); }; });
}

}  // namespace sumisura::cli
