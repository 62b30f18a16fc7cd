// `sumisura session MODEL`: a JSON-lines protocol on stdin/stdout (docs/cli.md, "session").
#include <iostream>

#include "commands.hpp"
#include "session_protocol.hpp"
#include "sumisura/session.hpp"

namespace sumisura::cli {
namespace {

struct SessionOptions {
  std::string path, format;
  double seconds = 10;
  CustomerFlags customer;
};

int run_session(const SessionOptions& o) {
  Configurator configurator = with_preferences(load_model(o.path, o.format, o.seconds), o.customer);
  std::optional<Profile> profile = customer_profile(o.customer);
  Session session = profile ? configurator.session(*profile) : configurator.session();
  // The seconds spent loading come out of the first request's limit, not the later ones'.
  Limits first, limits;
  first.seconds = seconds_left(o.seconds);
  limits.seconds = o.seconds;
  bool answered = false;
  std::string line;
  while (std::getline(std::cin, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    // Flush: the other side waits for each answer.
    std::cout << answer_session_line(session, configurator, line, answered ? limits : first)
              << std::endl;
    answered = true;
  }
  return 0;
}

}  // namespace

void add_session_command(CLI::App& app, Action& action) {
  auto o = std::make_shared<SessionOptions>();
  CLI::App* cmd =
      app.add_subcommand("session", "Interactive configuration over JSON lines on stdin/stdout");
  cmd->add_option("MODEL", o->path, "Catalog or model file")->required();
  add_time_limit_option(*cmd, o->seconds, "Seconds per request (default 10)");
  add_format_option(*cmd, o->format);
  add_customer_options(*cmd, o->customer);
  cmd->callback([o, &action] { action = [o] { return run_session(*o); }; });
}

}  // namespace sumisura::cli
