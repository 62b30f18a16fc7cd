#include "app.hpp"

#include "memory_accounting.hpp"
#include "page_assets.hpp"

#include <httplib.h>

#include <algorithm>
#include <cmath>

#include "api_error.hpp"
#include "sumisura/json.hpp"

namespace sumisura::service {
namespace {

using Clock = std::chrono::steady_clock;

void send_json(httplib::Response& res, int status, const Json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, Json::error_handler_t::replace), "application/json");
}

Json error_body(const std::string& code, const std::string& message) {
  return {{"error", {{"code", code}, {"message", message}}}};
}

// Engine errors: what the client sent is wrong (spec, usage, catalog) or the server is.
std::pair<int, std::string> engine_error_status(const Error& e) {
  switch (e.kind()) {
    case ErrorKind::spec:
    case ErrorKind::usage:
      return {400, "invalid_request"};
    case ErrorKind::limit:
      return {503, "limit_reached"};
    default:
      return {500, "internal"};
  }
}

}  // namespace

std::string Call::param(size_t i) const {
  return request.matches[i];
}

Limits Call::limits() const {
  Limits l;
  double left = std::chrono::duration<double>(deadline - Clock::now()).count();
  l.seconds = std::max(left, 0.001);
  l.price_seconds = std::min(l.price_seconds, l.seconds);
  return l;
}

std::string value_text(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  if (v.is_number()) return v.dump();
  throw ApiError(400, "invalid_request", "a value must be text, a number or a boolean");
}

App::App(const ServiceOptions& options)
    : options_(options),
      catalogs_(std::make_unique<CatalogRegistry>(options.catalogs)),
      sessions_(options.max_sessions, options.session_idle,
                options.session_memory ? options.session_memory : default_session_memory()),
      gate_(
          options.threads > 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency()),
          options.queue),
      cors_(options.cors_origins) {
  if (!options.api_keys_file.empty()) keys_ = KeyRing::from_file(options.api_keys_file);
  if (!options.admin_keys_file.empty()) admin_keys_ = KeyRing::from_file(options.admin_keys_file);
}

std::shared_ptr<const LoadedCatalog> App::catalog(const std::string& id) const {
  auto c = catalogs_->find(id);
  if (!c)
    throw ApiError(404, "unknown_catalog", "no catalog '" + id + "'; GET /v1/catalogs lists them");
  return c;
}

void App::add(httplib::Server& server, const std::string& method, const std::string& pattern,
              const std::string& name, Route route, bool gated) {
  auto handler = [this, route, name, method, gated](const httplib::Request& req,
                                                    httplib::Response& res) {
    Clock::time_point start = Clock::now();
    double seconds = options_.time_limit;
    if (req.has_param("time_limit")) {
      char* end = nullptr;
      std::string text = req.get_param_value("time_limit");
      double asked = std::strtod(text.c_str(), &end);
      if (end == text.c_str() || *end || !std::isfinite(asked) || asked <= 0) {
        send_json(res, 400,
                  error_body("invalid_request", "time_limit must be a positive number of seconds"));
        metrics_.record(method, name, 400, "invalid_request", 0);
        return;
      }
      seconds = std::min(seconds, asked);
    }
    Call call{
        req, Json::object(),
        start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds)),
        200, nullptr};
    std::string code;
    // What the route leaves allocated, less the answer it sends, stays with its session.
    int64_t allocated_before = 0, answer_bytes = 0;
    auto send = [&](int status, const Json& body) {
      int64_t before = thread_net_allocated();
      send_json(res, status, body);
      answer_bytes += thread_net_allocated() - before;
    };
    try {
      std::unique_ptr<GateTicket> ticket;
      if (gated) {
        ticket = std::make_unique<GateTicket>(gate_, call.deadline);
        if (ticket->entry() == WorkerGate::Entry::overloaded) {
          res.set_header("Retry-After", "1");
          throw ApiError(503, "overloaded",
                         "every worker is busy and the queue is full; retry shortly");
        }
        if (ticket->entry() == WorkerGate::Entry::timed_out)
          throw ApiError(503, "limit_reached", "the time limit passed while waiting for a worker");
      }
      call.body = parse_json_body(req.body);
      allocated_before = thread_net_allocated();
      Json out = route(call);
      send(call.status, out);
    } catch (const ApiError& e) {
      code = e.code();
      send(e.status(), error_body(e.code(), e.what()));
    } catch (const Error& e) {
      auto [status, c] = engine_error_status(e);
      code = c;
      send(status, error_body(c, e.what()));
    } catch (const Json::exception& e) {
      code = "invalid_request";
      send(400, error_body(code, std::string("a field has the wrong type: ") + e.what()));
    } catch (const std::bad_alloc&) {
      code = "out_of_memory";
      send(503, error_body(code, "the request needs more memory than there is"));
    }
    if (call.session)
      sessions_.charge(call.session, thread_net_allocated() - allocated_before - answer_bytes);
    metrics_.record(method, name, res.status, code,
                    std::chrono::duration<double>(Clock::now() - start).count());
  };
  if (method == "GET")
    server.Get(pattern, handler);
  else if (method == "POST")
    server.Post(pattern, handler);
  else if (method == "DELETE")
    server.Delete(pattern, handler);
}

void App::install(httplib::Server& server) {
  server.set_payload_max_length(options_.max_body);
  server.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    std::string origin = cors_.allow(req.get_header_value("Origin"));
    if (!origin.empty()) {
      res.set_header("Access-Control-Allow-Origin", origin);
      res.set_header("Vary", "Origin");
    }
    if (req.method == "OPTIONS") {  // CORS preflight
      res.set_header("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS");
      res.set_header("Access-Control-Allow-Headers", "Content-Type, Authorization, X-API-Key");
      res.status = 204;
      return httplib::Server::HandlerResponse::Handled;
    }
    if (req.path == "/v1/health" || req.path == "/v1/ready" ||
        req.path.rfind("/v1/", 0) != 0)  // the page's static files
      return httplib::Server::HandlerResponse::Unhandled;
    const KeyRing& ring = req.path.rfind("/v1/admin/", 0) == 0 ? admin_keys_ : keys_;
    bool admin = &ring == &admin_keys_;
    std::string key =
        request_key(req.get_header_value("Authorization"), req.get_header_value("X-API-Key"));
    if ((admin && !admin_keys_.enabled()) || !ring.accepts(key)) {
      send_json(res, 401,
                error_body("unauthorized",
                           admin && !admin_keys_.enabled()
                               ? "admin routes are off (serve --admin-keys FILE)"
                               : "a valid API key is needed (Authorization: Bearer KEY)"));
      metrics_.record(req.method, "unauthorized", 401, "unauthorized", 0);
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  // Errors httplib answers itself (no route, body too large, unreadable request) in JSON too.
  server.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    if (res.status == 404)
      send_json(res, 404,
                error_body("not_found",
                           "no route " + req.method + " " + req.path + " (docs/openapi.yaml)"));
    else if (res.status == 413)
      send_json(res, 413,
                error_body("body_too_large",
                           "the body is larger than the service accepts (serve --max-body)"));
    else
      send_json(res, res.status, error_body("bad_request", "the request could not be read"));
  });
  server.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        send_json(res, 500, error_body("internal", "internal error; the service goes on"));
      });

  add(
      server, "GET", "/v1/health", "/v1/health",
      [](Call&) {
        return Json{{"status", "ok"}};
      },
      false);
  add(
      server, "GET", "/v1/ready", "/v1/ready",
      [this](Call& call) {
        bool ready = catalogs_->ready();
        call.status = ready ? 200 : 503;
        return Json{{"ready", ready}};
      },
      false);
  server.Get("/v1/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(metrics_.text({{"sumisura_live_sessions", double(sessions_.size())},
                                   {"sumisura_dropped_sessions_total", double(sessions_.dropped())},
                                   {"sumisura_session_bytes", double(sessions_.bytes())},
                                   {"sumisura_busy_workers", double(gate_.active())},
                                   {"sumisura_waiting_requests", double(gate_.waiting())}}),
                    "text/plain; version=0.0.4");
  });
  add(
      server, "POST", R"(/v1/admin/catalogs/([^/]+)/reload)", "/v1/admin/catalogs/{id}/reload",
      [this](Call& call) {
        auto fresh = catalogs_->reload(call.param(1));
        return Json{{"id", fresh->id},
                    {"generation", fresh->generation},
                    {"version", fresh->configurator->catalog().version}};
      },
      false);
  add_catalog_routes(server);
  add_session_routes(server);
  if (!options_.page_dir.empty())
    server.set_mount_point("/", options_.page_dir);
  else if (options_.page)
    add_page(server);
}

void App::add_page(httplib::Server& server) {
  for (const PageAsset& asset : page_assets()) {
    auto answer = [&asset](const httplib::Request&, httplib::Response& res) {
      res.set_content(asset.content, asset.content_type);
      // The page talks to this service only and loads nothing from elsewhere.
      res.set_header("Content-Security-Policy",
                     "default-src 'self'; img-src 'self' data:; frame-ancestors 'self'");
      res.set_header("X-Content-Type-Options", "nosniff");
      res.set_header("Cache-Control", "no-cache");
    };
    server.Get(asset.path, answer);
    if (std::string(asset.path) == "/index.html") server.Get("/", answer);
  }
}

}  // namespace sumisura::service
