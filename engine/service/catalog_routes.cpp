// Catalog routes: list, describe, configure, domains, count, analyze, sample.
#include <httplib.h>

#include "answer_json.hpp"
#include "api_error.hpp"
#include "app.hpp"
#include "sumisura/json.hpp"

namespace sumisura::service {
namespace {

Json catalog_summary(const LoadedCatalog& c) {
  const Catalog& catalog = c.configurator->catalog();
  CompileReport r = c.configurator->compiled_form();
  return {{"id", c.id},
          {"name", catalog.name},
          {"version", catalog.version},
          {"generation", c.generation},
          {"compiled",
           {{"settled", r.compiled || !r.reason.empty()},
            {"compiled", r.compiled},
            {"form", r.form},
            {"priced", r.priced}}}};
}

constexpr uint64_t kMaxSamples = 10000;  // one answer stays a few megabytes at most

/// body[field] as a whole number within [0, max], `fallback` when absent.
uint64_t bounded_count(const Json& body, const char* field, uint64_t fallback, uint64_t max) {
  if (!body.is_object() || !body.contains(field)) return fallback;
  const Json& v = body[field];
  if (!v.is_number_unsigned() || v.get<uint64_t>() > max)
    throw ApiError(
        400, "invalid_request",
        std::string("\"") + field + "\" is a whole number from 0 to " + std::to_string(max));
  return v.get<uint64_t>();
}

}  // namespace

/// {"choices": {"NAME": VALUE, ...}} or {"choices": ["NAME=VALUE", ...]} as requirements.
std::vector<Requirement> choices_of(const Json& body, const char* field) {
  std::vector<Requirement> out;
  if (!body.is_object() || !body.contains(field)) return out;
  const Json& c = body[field];
  if (c.is_object()) {
    for (const auto& [name, value] : c.items())
      out.push_back(Requirement::assignment_of(name, value_text(value)));
  } else if (c.is_array()) {
    for (const auto& item : c) {
      if (!item.is_string())
        throw ApiError(400, "invalid_request",
                       std::string("\"") + field + "\" holds \"NAME=VALUE\" strings");
      out.push_back(Requirement::parse_where(item.get<std::string>()));
    }
  } else {
    throw ApiError(
        400, "invalid_request",
        std::string("\"") + field + "\" is an object {NAME: VALUE} or a list of \"NAME=VALUE\"");
  }
  return out;
}

void App::add_catalog_routes(httplib::Server& server) {
  add(server, "GET", "/v1/catalogs", "/v1/catalogs", [this](Call&) {
    Json list = Json::array();
    for (const auto& c : catalogs_->list()) list.push_back(catalog_summary(*c));
    return Json{{"catalogs", list}};
  });
  add(server, "GET", R"(/v1/catalogs/([^/]+))", "/v1/catalogs/{id}", [this](Call& call) {
    auto c = catalog(call.param(1));
    Json out = catalog_summary(*c);
    out["catalog"] = frontend::parse_answer(c->description);
    return out;
  });
  add(server, "POST", R"(/v1/catalogs/([^/]+)/configure)", "/v1/catalogs/{id}/configure",
      [this](Call& call) {
        auto c = catalog(call.param(1));
        Spec spec = parse_spec(call.body.dump(), "request body");
        return frontend::parse_answer(to_json(c->configurator->configure(spec, call.limits())));
      });
  add(server, "POST", R"(/v1/catalogs/([^/]+)/domains)", "/v1/catalogs/{id}/domains",
      [this](Call& call) {
        auto c = catalog(call.param(1));
        return frontend::parse_answer(
            to_json(c->configurator->domains(choices_of(call.body, "choices"), call.limits())));
      });
  add(server, "POST", R"(/v1/catalogs/([^/]+)/count)", "/v1/catalogs/{id}/count",
      [this](Call& call) {
        auto c = catalog(call.param(1));
        return frontend::parse_answer(
            to_json(c->configurator->count(choices_of(call.body, "where"))));
      });
  // Dead and core values and per-value counts: a complete analysis is kept for the catalog's
  // version (it cannot change), so only the first call pays for it.
  add(server, "POST", R"(/v1/catalogs/([^/]+)/analyze)", "/v1/catalogs/{id}/analyze",
      [this](Call& call) {
        auto c = catalog(call.param(1));
        std::string cached = c->cached_analysis();
        if (!cached.empty()) return frontend::parse_answer(cached);
        Analysis a = c->configurator->analyze(call.limits());
        std::string json = to_json(a);
        if (a.complete) c->cache_analysis(json);
        return frontend::parse_answer(json);
      });
  add(server, "POST", R"(/v1/catalogs/([^/]+)/sample)", "/v1/catalogs/{id}/sample",
      [this](Call& call) {
        auto c = catalog(call.param(1));
        const size_t n = bounded_count(call.body, "n", 1, kMaxSamples);
        const uint64_t seed = bounded_count(call.body, "seed", 0, UINT32_MAX);
        return frontend::parse_answer(
            to_json(c->configurator->sample(n, seed, choices_of(call.body, "where"))));
      });
}

}  // namespace sumisura::service
