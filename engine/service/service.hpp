// `sumisura serve`: the HTTP/JSON configurator service (docs/service.md). The engine never
// includes this code; it sits beside the CLI, over the public façade.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace sumisura::service {

/// A catalog the service serves: its id in URLs and the file it is (re)loaded from.
struct CatalogSource {
  std::string id;
  std::string path;
  std::string preferences;  ///< a preference model (sumisura learn) loaded beside it, or empty
};

struct ServiceOptions {
  std::vector<CatalogSource> catalogs;
  std::string host = "127.0.0.1";
  int port = 8080;              ///< 0: any free port (announced on standard output)
  int threads = 0;              ///< requests solved at once; 0: the machine's cores
  int queue = 64;               ///< requests waiting for a worker before the answer is 503
  double time_limit = 10;       ///< seconds per request, waiting included
  size_t max_body = 1 << 20;    ///< bytes of a request body
  size_t max_sessions = 10000;  ///< live sessions before the least recently used is dropped
  /// Bytes the live sessions may hold together before the least recently used is dropped (each
  /// holds its own solver: 8 to 10 MB on the largest shared models); 0: half the machine's memory.
  uint64_t session_memory = 0;
  double session_idle = 1800;             ///< seconds before an idle session is dropped
  std::string api_keys_file;              ///< one key per line; empty: no key needed
  std::string admin_keys_file;            ///< keys for /v1/admin; empty: admin routes refused
  std::vector<std::string> cors_origins;  ///< origins a browser may call from ("*": any)
  bool page = true;                       ///< serve the built-in web page at / (docs/page.md)
  std::string page_dir;                   ///< a folder served at / instead of the built-in page
  /// Called once the port is bound, with the port (tests and `--port 0`).
  std::function<void(int port)> on_listening;
};

/// Loads every catalog, listens, and serves until SIGTERM or SIGINT, then finishes the requests in
/// flight and returns 0. SIGHUP reloads every catalog from its file. Throws sumisura::Error when
/// a catalog cannot be loaded at start or the port cannot be bound.
int serve(const ServiceOptions& options);

}  // namespace sumisura::service
