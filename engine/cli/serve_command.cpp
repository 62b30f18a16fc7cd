// `sumisura serve --catalog ID=PATH...`: the HTTP/JSON service (docs/service.md).
#include <algorithm>
#include <iostream>

#include "../service/service.hpp"
#include "commands.hpp"

namespace sumisura::cli {

void add_serve_command(CLI::App& app, Action& action) {
  auto o = std::make_shared<service::ServiceOptions>();
  auto catalogs = std::make_shared<std::vector<std::string>>();
  auto preferences = std::make_shared<std::vector<std::string>>();
  CLI::App* cmd = app.add_subcommand("serve", "Serve catalogs over HTTP/JSON (docs/service.md)");
  cmd->add_option("--catalog", *catalogs, "ID=PATH of a catalog to serve (repeatable)")->required();
  cmd->add_option("--preferences", *preferences,
                  "ID=MODEL: a preference model (sumisura learn) for catalog ID (repeatable)");
  cmd->add_option("--host", o->host, "Address to listen on (default 127.0.0.1)");
  cmd->add_option("--port", o->port, "Port (default 8080; 0: any free port, printed)")
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--threads", o->threads, "Requests solved at once (default: the cores)")
      ->check(CLI::Range(0, 1024));
  cmd->add_option("--queue", o->queue, "Requests waiting for a worker before 503 (default 64)")
      ->check(CLI::Range(0, 100000));
  add_time_limit_option(*cmd, o->time_limit, "Seconds per request, waiting included (default 10)");
  cmd->add_option("--max-body", o->max_body, "Largest request body in bytes (default 1 MiB)")
      ->check(CLI::Range(size_t(1), size_t(1) << 30));
  cmd->add_option("--session-memory", o->session_memory,
                  "Bytes live sessions may hold together, counted as they allocate (default: half "
                  "the machine's memory)")
      ->check(CLI::Range(uint64_t{1} << 20, uint64_t{1} << 50));
  cmd->add_option("--max-sessions", o->max_sessions, "Live sessions kept (default 10000)")
      ->check(CLI::Range(size_t(1), size_t(100000000)));
  cmd->add_option("--session-idle", o->session_idle,
                  "Seconds before an idle session is dropped (default 1800)")
      ->check(CLI::Range(0.001, 1e9));
  cmd->add_option("--api-keys", o->api_keys_file,
                  "File of API keys, one per line (default: none needed)");
  cmd->add_option("--admin-keys", o->admin_keys_file,
                  "File of keys for /v1/admin routes (default: admin off)");
  cmd->add_option("--cors-origin", o->cors_origins,
                  "Origin a browser page may call from (repeatable; * any)");
  cmd->add_option("--page", o->page_dir,
                  "Folder of static files served at / instead of the built-in configurator page");
  cmd->add_flag("--no-page{false}", o->page, "Serve the API only, no page at /");
  cmd->callback([o, catalogs, preferences, &action] {
    action = [o, catalogs, preferences] {
      for (const auto& c : *catalogs) {
        size_t eq = c.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == c.size())
          throw Error(ErrorKind::usage, "--catalog takes ID=PATH, got '" + c + "'");
        o->catalogs.push_back({c.substr(0, eq), c.substr(eq + 1), ""});
      }
      for (const auto& p : *preferences) {
        size_t eq = p.find('=');
        auto it = std::find_if(o->catalogs.begin(), o->catalogs.end(), [&](const auto& c) {
          return eq != std::string::npos && c.id == p.substr(0, eq);
        });
        if (eq == std::string::npos || eq + 1 == p.size() || it == o->catalogs.end())
          throw Error(ErrorKind::usage,
                      "--preferences takes ID=MODEL for an ID given by --catalog, got '" + p + "'");
        it->preferences = p.substr(eq + 1);
      }
      o->on_listening = [o](int port) {
        std::cout << "listening on http://" << o->host << ":" << port << std::endl;
      };
      return service::serve(*o);
    };
  });
}

}  // namespace sumisura::cli
