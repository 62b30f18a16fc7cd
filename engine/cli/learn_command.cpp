// `sumisura learn CATALOG HISTORY -o MODEL`: a preference model from past orders (a sales table
// or JSON orders), or `--update MODEL` to count more orders into a model without relearning.
#include <chrono>
#include <iostream>

#include "commands.hpp"
#include "sumisura/preferences.hpp"

namespace sumisura::cli {
namespace {

struct LearnFlags {
  std::string catalog, history, output, update, format, method = "neighbours";
  double bandwidth = 0;
  uint64_t seed = 1;
};

int run_learn(const LearnFlags& o) {
  auto start = std::chrono::steady_clock::now();
  Configurator configurator = Configurator::from_file(o.catalog, parse_format(o.format));
  std::vector<Order> orders = load_orders(configurator, o.history);
  PreferenceModel model;
  if (!o.update.empty()) {
    model = PreferenceModel::load(configurator, o.update);
    for (const auto& order : orders) model.add(order);
  } else {
    auto method = preference_method_from_name(o.method);
    if (!method) {
      throw Error(
          ErrorKind::usage,
          "--method must be neighbours, tree, naive_bayes or frequency, not '" + o.method + "'");
    }
    model =
        PreferenceModel::learn(configurator, orders, LearnOptions{*method, o.bandwidth, o.seed});
  }
  model.save(o.output);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::cout << (o.update.empty() ? "learned from " : "added ") << orders.size() << " orders ("
            << model.orders() << " in the model, " << model.variables().size()
            << " variables): " << model.describe() << "\n"
            << "wrote " << o.output << " in " << seconds << " s\n";
  return 0;
}

}  // namespace

void add_learn_command(CLI::App& app, Action& action) {
  auto o = std::make_shared<LearnFlags>();
  CLI::App* cmd = app.add_subcommand(
      "learn", "Learn a preference model from past orders, for recommendations in sessions");
  cmd->add_option("CATALOG", o->catalog, "Catalog or model file")->required();
  cmd->add_option("HISTORY", o->history,
                  "Past orders: a table (header of variable names, one order per line) or JSON "
                  "(configure results, saved sessions, {\"choices\": ...} objects)")
      ->required();
  cmd->add_option("-o,--output", o->output, "Where to write the model (JSON)")->required();
  cmd->add_option("--update", o->update,
                  "Add HISTORY's orders to this model instead of learning anew (counts only)");
  cmd->add_option("--method", o->method, "neighbours (default), tree, naive_bayes or frequency");
  cmd->add_option("--bandwidth", o->bandwidth,
                  "Kernel bandwidth below 0.5 (default: tuned on held-out orders)");
  cmd->add_option("--seed", o->seed, "Seed of the held-out orders tuning draws (default 1)");
  add_format_option(*cmd, o->format);
  cmd->callback([o, &action] { action = [o] { return run_learn(*o); }; });
}

}  // namespace sumisura::cli
