// `sumisura domains MODEL [--where NAME=VALUE]... [--json]`: the values each option can still take.
#include <iostream>

#include "cli_json.hpp"
#include "commands.hpp"
#include "sumisura/configurator.hpp"
#include "sumisura/json.hpp"
#include "sumisura/session.hpp"

namespace sumisura::cli {
namespace {

struct DomainsOptions {
  std::string path, format;
  std::vector<std::string> where;
  double seconds = 60;
  bool json = false;
  CustomerFlags customer;
};

/// With a preference model or a profile: the choices made in a session, then every variable's
/// valid values ranked for this customer.
int run_ranked_domains(const DomainsOptions& o, const Configurator& configurator) {
  std::optional<Profile> profile = customer_profile(o.customer);
  Session session = profile ? configurator.session(*profile) : configurator.session();
  Limits limits;
  limits.seconds = seconds_left(o.seconds);
  for (const auto& w : o.where) {
    Requirement r = Requirement::parse_where(w);
    ChooseResult c = session.choose(r.name, r.value, limits);
    if (!c.accepted) {
      std::cerr << "error: " << w << " cannot be had with the choices before it"
                << (c.limit_reached ? " (time limit reached)" : "") << "\n";
      return 2;
    }
  }
  const SessionState& state = session.state(limits);
  Json out = {{"status", state.complete ? "ok" : "unknown"}, {"domains", Json::object()}};
  // Appended, not looked up: an ordered object finds a key by scanning its members.
  auto& domains = out["domains"].get_ref<Json::object_t&>();
  for (const auto& v : state.variables) {
    std::vector<ScoredValue> ranked = session.recommend(v.name, limits);
    if (o.json) {
      domains.emplace_back(v.name, parse_answer(to_json(ranked)));
      continue;
    }
    std::cout << v.name << ":";
    for (const auto& r : ranked) {
      char score[32];
      std::snprintf(score, sizeof score, "%.2f", r.score);
      std::cout << " " << r.value.to_string() << " (" << score << ")";
    }
    std::cout << "\n";
  }
  if (o.json) std::cout << out.dump() << "\n";
  return state.complete ? 0 : 3;
}

int run_domains(const DomainsOptions& o) {
  Configurator configurator = with_preferences(load_model(o.path, o.format, o.seconds), o.customer);
  if (!o.customer.preferences.empty() || !o.customer.profile.empty())
    return run_ranked_domains(o, configurator);
  std::vector<Requirement> choices;
  for (const auto& w : o.where) choices.push_back(Requirement::parse_where(w));
  Limits limits;
  limits.seconds = seconds_left(o.seconds);
  Domains d = configurator.domains(choices, limits);
  if (o.json) {
    std::cout << to_json(d) << "\n";
  } else if (!d.feasible) {
    std::cout << "infeasible: these choices contradict each other:\n";
    for (const auto& c : d.conflict.requirements) std::cout << "  - " << c << "\n";
  } else {
    if (!d.complete) std::cout << "(time limit reached: some valid values may be missing)\n";
    for (const auto& e : d.entries) {
      std::cout << e.name << ":";
      for (const auto& v : e.values) std::cout << " " << v.to_string();
      std::cout << "\n";
    }
  }
  if (!d.feasible) return 2;
  return d.complete ? 0 : 3;
}

}  // namespace

void add_domains_command(CLI::App& app, Action& action) {
  auto o = std::make_shared<DomainsOptions>();
  CLI::App* cmd =
      app.add_subcommand("domains", "Valid values of every option and slot given some choices");
  cmd->add_option("MODEL", o->path, "Catalog or model file")->required();
  cmd->add_option("--where", o->where, "Choose NAME=VALUE (repeatable)");
  add_time_limit_option(*cmd, o->seconds, "Seconds (default 60)");
  add_format_option(*cmd, o->format);
  cmd->add_flag("--json", o->json, "Print one JSON object");
  add_customer_options(*cmd, o->customer);
  cmd->callback([o, &action] { action = [o] { return run_domains(*o); }; });
}

}  // namespace sumisura::cli
