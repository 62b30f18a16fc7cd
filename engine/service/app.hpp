// The service's routes over the catalogs and sessions it holds (docs/service.md).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "access.hpp"
#include "catalog_registry.hpp"
#include "json_body.hpp"
#include "metrics.hpp"
#include "service.hpp"
#include "session_store.hpp"
#include "worker_gate.hpp"

namespace httplib {
class Server;
struct Request;
}  // namespace httplib

namespace sumisura::service {

/// One request as a route sees it: its JSON body, its path parameters and its deadline.
struct Call {
  const httplib::Request& request;
  Json body;
  std::chrono::steady_clock::time_point deadline;
  int status = 200;  ///< what a route answers with (201 on create)
  /// The session the route worked on: charged with the memory the route left allocated.
  std::shared_ptr<LiveSession> session;
  std::string param(size_t i) const;
  /// Limits for the engine: what is left of the request's time.
  Limits limits() const;
};

class App {
 public:
  explicit App(const ServiceOptions& options);
  /// Registers every route, access checks, CORS and the JSON error handlers on `server`.
  void install(httplib::Server& server);
  CatalogRegistry& catalogs() { return *catalogs_; }
  SessionStore& sessions() { return sessions_; }

 private:
  using Route = std::function<Json(Call&)>;
  /// Wraps a route: worker gate, JSON body, errors as JSON, metrics.
  void add(httplib::Server& server, const std::string& method, const std::string& pattern,
           const std::string& name, Route route, bool gated = true);
  void add_catalog_routes(httplib::Server& server);
  void add_page(httplib::Server& server);
  void add_session_routes(httplib::Server& server);
  Json session_answer(LiveSession& live, Call& call, bool with_state);
  std::shared_ptr<LiveSession> live_session(Call& call);
  std::shared_ptr<const LoadedCatalog> catalog(const std::string& id) const;

  ServiceOptions options_;
  std::unique_ptr<CatalogRegistry> catalogs_;
  SessionStore sessions_;
  Metrics metrics_;
  WorkerGate gate_;
  KeyRing keys_, admin_keys_;
  CorsPolicy cors_;
};

/// A choice's value as text: JSON strings as they are, booleans and numbers written out.
std::string value_text(const Json& v);

}  // namespace sumisura::service
