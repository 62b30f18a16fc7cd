// `sumisura sample MODEL -n N [--seed S] [--where NAME=VALUE]... [--json]`: valid products drawn
// uniformly at random.
#include <iostream>

#include "commands.hpp"
#include "sumisura/json.hpp"

namespace sumisura::cli {
namespace {

struct SampleOptions {
  std::string path, format;
  size_t n = 1;
  uint64_t seed = 0;
  std::vector<std::string> where;
  CompileFlags flags;
  bool json = false;
};

int run_sample(const SampleOptions& o) {
  Configurator configurator = load_and_compile(o.path, o.format, o.flags);
  std::vector<Requirement> where;
  for (const auto& w : o.where) where.push_back(Requirement::parse_where(w));
  Samples s = configurator.sample(o.n, o.seed, where);
  if (o.json) {
    std::cout << to_json(s) << "\n";
  } else if (!s.uniform) {
    std::cout << "unknown: " << s.reason << "\n";
  } else {
    for (size_t p = 0; p < s.products.size(); ++p) {
      for (size_t c = 0; c < s.columns.size(); ++c)
        std::cout << (c ? " " : "") << s.columns[c].name << "=" << s.value(p, c).to_string();
      std::cout << "\n";
    }
  }
  if (!s.uniform) return 3;
  return s.products.empty() && o.n > 0 ? 2 : 0;
}

}  // namespace

void add_sample_command(CLI::App& app, Action& action) {
  auto o = std::make_shared<SampleOptions>();
  CLI::App* cmd = app.add_subcommand("sample", "Valid products drawn uniformly at random");
  cmd->add_option("MODEL", o->path, "Catalog, model or compiled file")->required();
  cmd->add_option("-n", o->n, "How many products (default 1)")->check(CLI::Range(0, 10000000));
  cmd->add_option("--seed", o->seed, "Random seed (the same seed gives the same products)");
  cmd->add_option("--where", o->where, "Only products with NAME=VALUE (repeatable)");
  add_format_option(*cmd, o->format);
  add_compile_options(*cmd, o->flags, false);
  cmd->add_flag("--json", o->json, "Print one JSON object: {\"products\": [{NAME: VALUE}, ...]}");
  cmd->callback([o, &action] { action = [o] { return run_sample(*o); }; });
}

}  // namespace sumisura::cli
