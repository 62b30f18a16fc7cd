// `sumisura count MODEL [--where NAME=VALUE]... [--json]`: how many valid products, exactly.
#include <iostream>

#include "commands.hpp"
#include "cli_json.hpp"

namespace sumisura::cli {
namespace {

struct CountOptions {
  std::string path, format;
  std::vector<std::string> where;
  CompileFlags flags;
  bool json = false;
};

int run_count(const CountOptions& o) {
  CompileReport r;
  Configurator configurator = load_and_compile(o.path, o.format, o.flags, &r);
  std::vector<Requirement> where;
  for (const auto& w : o.where) where.push_back(Requirement::parse_where(w));
  Count c = configurator.count(where);
  if (o.json) {
    Json out;
    out["count"] = c.exact ? Json(c.count) : Json(nullptr);
    out["exact"] = c.exact;
    if (c.exact) {
      out["form"] = r.form;
      out["compile_seconds"] = r.seconds;
      out["from_file"] = r.from_file;
    } else {
      out["reason"] = c.reason;
    }
    std::cout << out.dump() << "\n";
  } else if (c.exact) {
    std::cout << c.count << "\n";
  } else {
    std::cout << "unknown: " << c.reason << "\n";
  }
  return c.exact ? 0 : 3;
}

}  // namespace

void add_count_command(CLI::App& app, Action& action) {
  auto o = std::make_shared<CountOptions>();
  CLI::App* cmd = app.add_subcommand("count", "The exact number of valid products");
  cmd->add_option("MODEL", o->path, "Catalog, model or compiled file")->required();
  cmd->add_option("--where", o->where, "Count only products with NAME=VALUE (repeatable)");
  add_format_option(*cmd, o->format);
  add_compile_options(*cmd, o->flags, false);
  cmd->add_flag("--json", o->json, "Print one JSON object: {\"count\": \"<decimal>\", ...}");
  cmd->callback([o, &action] { action = [o] { return run_count(*o); }; });
}

}  // namespace sumisura::cli
