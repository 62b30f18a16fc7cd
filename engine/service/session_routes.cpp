// Session routes: create (or resume from a token), state, choose, unchoose, undo, reset, explain,
// repairs, complete, delete. Every answer carries the session's resume token.
#include <httplib.h>

#include "answer_json.hpp"
#include "api_error.hpp"
#include "app.hpp"
#include "resume_token.hpp"
#include "sumisura/json.hpp"

namespace sumisura::service {

std::vector<Requirement> choices_of(const Json& body, const char* field);

namespace {

std::string text_field(const Json& body, const char* field) {
  if (!body.contains(field) || !body[field].is_string())
    throw ApiError(400, "invalid_request", std::string("the body needs \"") + field + "\" (text)");
  return body[field].get<std::string>();
}

std::string value_field(const Json& body) {
  if (!body.contains("value")) throw ApiError(400, "invalid_request", "the body needs \"value\"");
  return value_text(body["value"]);
}

std::vector<Objective> objective_of(const Json& body) {
  if (!body.contains("objective")) return {};
  const Json& o = body["objective"];
  const char* forms =
      "\"objective\" is \"cheapest\", \"preferred\", \"most_likely\", \"minimize MEASURE\", "
      "\"maximize MEASURE\", or a list of them, most important first";
  std::vector<Objective> out;
  try {
    if (o.is_string()) return parse_objectives(o.get<std::string>());
    if (!o.is_array()) throw ApiError(400, "invalid_request", forms);
    for (const Json& part : o) {
      if (!part.is_string()) throw ApiError(400, "invalid_request", forms);
      out.push_back(Objective::parse(part.get<std::string>()));
    }
  } catch (const Error& e) {
    throw ApiError(400, "invalid_request", e.what());
  }
  return out;
}

/// The "profile" of a body: a customer's id, stated wishes, past orders and tier.
Profile profile_of(const Json& body) {
  const Json& p = body["profile"];
  if (!p.is_object())
    throw ApiError(400, "invalid_request", "\"profile\" is an object {id, prefer, orders, tier}");
  return parse_profile(p.dump(), "request profile");
}

// A name or value the catalog does not have: said as such, not as a generic invalid request.
[[noreturn]] void rethrow_unknown(const Error& e, const SessionState& state,
                                  const std::string& name, const std::string& value,
                                  const Catalog& catalog) {
  if (e.kind() == ErrorKind::spec) {
    const VariableState* v = state.find(name);
    bool block = std::any_of(catalog.blocks.begin(), catalog.blocks.end(),
                             [&](const Block& b) { return b.id == name; });
    if (!v && !block) throw ApiError(400, "unknown_option", e.what());
    if (v && std::none_of(v->values.begin(), v->values.end(),
                          [&](const Value& x) { return x.to_string() == value; }))
      throw ApiError(400, "unknown_value", e.what());
  }
  throw;
}

}  // namespace

std::shared_ptr<LiveSession> App::live_session(Call& call) {
  std::string id = call.param(1);
  if (auto live = sessions_.find(id)) return live;
  // Not here (expired, dropped, another replica, a restart): resumed from the token if sent.
  if (!call.body.contains("resume"))
    throw ApiError(404, "unknown_session",
                   "no session '" + id + "' here; send its \"resume\" token to continue it");
  ResumeState saved = read_resume_token(text_field(call.body, "resume"));
  auto c = catalog(saved.catalog);
  ResumeReport report;
  Session session =
      Session::from_json(*c->configurator, saved.session_json, &report, call.limits());
  auto live = sessions_.add(c, std::move(session), id);
  if (report.catalog_changed) {
    std::lock_guard<std::timed_mutex> lock(live->busy);
    live->resumed = to_json(report);
  }
  return live;
}

Json App::session_answer(LiveSession& live, Call& call, bool with_state) {
  Json out = {{"session", live.id},
              {"catalog", live.catalog->id},
              {"token", make_resume_token(live.catalog->id, live.session.to_json())}};
  if (with_state) out["state"] = frontend::parse_answer(to_json(live.session.state(call.limits())));
  // A token from an earlier version of the catalog: said once, in the first answer after.
  if (!live.resumed.empty()) {
    out["resumed"] = frontend::parse_answer(live.resumed);
    live.resumed.clear();
  }
  return out;
}

void App::add_session_routes(httplib::Server& server) {
  add(server, "POST", R"(/v1/catalogs/([^/]+)/sessions)", "/v1/catalogs/{id}/sessions",
      [this](Call& call) {
        std::shared_ptr<const LoadedCatalog> c;
        ResumeReport report;
        Session session = [&] {
          if (call.body.contains("resume")) {
            ResumeState saved = read_resume_token(text_field(call.body, "resume"));
            if (saved.catalog != call.param(1))
              throw ApiError(400, "bad_token", "the token is for catalog '" + saved.catalog + "'");
            c = catalog(saved.catalog);
            return Session::from_json(*c->configurator, saved.session_json, &report, call.limits());
          }
          c = catalog(call.param(1));
          return c->configurator->session();
        }();
        if (call.body.contains("profile")) session.set_profile(profile_of(call.body));
        Json refused = Json::array();
        for (const auto& r : choices_of(call.body, "choices")) {
          ChooseResult result = session.choose(r.name, r.value, call.limits());
          if (!result.accepted)
            refused.push_back(
                {{"choice", r.name + "=" + r.value},
                 {"explanation", frontend::parse_answer(to_json(result.explanation))}});
        }
        auto live = sessions_.add(c, std::move(session));
        call.session = live;
        std::lock_guard<std::timed_mutex> lock(live->busy);
        if (report.catalog_changed) live->resumed = to_json(report);
        call.status = 201;
        Json out = session_answer(*live, call, true);
        if (!refused.empty()) out["refused"] = refused;
        return out;
      });
  auto op = [this](std::function<Json(LiveSession&, Call&)> body) {
    return [this, body](Call& call) {
      auto live = live_session(call);
      call.session = live;
      std::unique_lock<std::timed_mutex> lock(live->busy, std::defer_lock);
      if (!lock.try_lock_until(call.deadline))
        throw ApiError(503, "limit_reached",
                       "the session is busy with another request past the time limit");
      return body(*live, call);
    };
  };
  add(server, "GET", R"(/v1/sessions/([0-9a-f]+))", "/v1/sessions/{sid}",
      op([this](LiveSession& s, Call& c) { return session_answer(s, c, true); }));
  add(server, "DELETE", R"(/v1/sessions/([0-9a-f]+))", "/v1/sessions/{sid}", [this](Call& call) {
    if (!sessions_.erase(call.param(1)))
      throw ApiError(404, "unknown_session", "no session '" + call.param(1) + "'");
    return Json{{"deleted", call.param(1)}};
  });
  auto post = [&](const std::string& verb, std::function<Json(LiveSession&, Call&)> body) {
    add(server, "POST", R"(/v1/sessions/([0-9a-f]+)/)" + verb, "/v1/sessions/{sid}/" + verb,
        op(body));
  };
  post("choose", [this](LiveSession& s, Call& c) {
    std::string name = text_field(c.body, "name"), value = value_field(c.body);
    ChooseResult r;
    try {
      r = s.session.choose(name, value, c.limits());
    } catch (const Error& e) {
      rethrow_unknown(e, s.session.state(c.limits()), name, value,
                      s.catalog->configurator->catalog());
    }
    Json out = session_answer(s, c, r.accepted);
    out["accepted"] = r.accepted;
    if (r.limit_reached) out["limit_reached"] = true;
    if (!r.accepted) out["explanation"] = frontend::parse_answer(to_json(r.explanation));
    return out;
  });
  post("unchoose", [this](LiveSession& s, Call& c) {
    s.session.unchoose(text_field(c.body, "name"));
    return session_answer(s, c, true);
  });
  post("undo", [this](LiveSession& s, Call& c) {
    s.session.undo();
    return session_answer(s, c, true);
  });
  post("reset", [this](LiveSession& s, Call& c) {
    s.session.reset();
    return session_answer(s, c, true);
  });
  // Routes about one value (explain, repairs): `answer` gives the JSON of what they ask.
  auto about_value = [&](const std::string& verb, const char* field,
                         std::function<std::string(Session&, const std::string&, const std::string&,
                                                   const Limits&)>
                             answer) {
    post(verb, [this, field, answer](LiveSession& s, Call& c) {
      std::string name = text_field(c.body, "name"), value = value_field(c.body);
      Json out = session_answer(s, c, false);
      try {
        out[field] = frontend::parse_answer(answer(s.session, name, value, c.limits()));
      } catch (const Error& e) {
        rethrow_unknown(e, s.session.state(c.limits()), name, value,
                        s.catalog->configurator->catalog());
      }
      return out;
    });
  };
  about_value("explain", "explanation", [](Session& s, auto& n, auto& v, const Limits& l) {
    return to_json(s.explain(n, v, l));
  });
  about_value("repairs", "repairs", [](Session& s, auto& n, auto& v, const Limits& l) {
    return to_json(s.repairs(n, v, l));
  });
  // For each chosen variable, the values it could be changed to with every other choice kept:
  // what a page offers beside the chosen value (the session's own domains show the choice only).
  post("alternatives", [this](LiveSession& s, Call& c) {
    // Each choice taken back, the state read, and the choice restored by undo: the session's
    // own solver and incremental state answer, which is far cheaper than fresh domains.
    const std::vector<Choice> choices = s.session.choices();
    Domains alternatives;
    Limits limits = c.limits();
    limits.price_seconds = 1e-6;  // these states are read for their domains only
    for (const Choice& choice : choices) {
      s.session.unchoose(choice.name);
      const SessionState& state = s.session.state(limits);
      alternatives.complete = alternatives.complete && state.complete;
      if (const VariableState* v = state.find(choice.name)) {
        Domains::Entry entry{v->name, v->kind, {}};
        for (size_t k = 0; k < v->values.size(); ++k)
          if (v->valid[k]) entry.values.push_back(v->values[k]);
        alternatives.entries.push_back(std::move(entry));
      }
      s.session.undo();
    }
    Json out = session_answer(s, c, false);
    out["alternatives"] = frontend::parse_answer(to_json(alternatives));
    return out;
  });
  post("recommend", [this](LiveSession& s, Call& c) {
    std::string name = text_field(c.body, "name");
    Json out = session_answer(s, c, false);
    try {
      out["recommendations"] =
          frontend::parse_answer(to_json(s.session.recommend(name, c.limits())));
    } catch (const Error& e) {
      rethrow_unknown(e, s.session.state(c.limits()), name, "", s.catalog->configurator->catalog());
    }
    return out;
  });
  post("recommend_next", [this](LiveSession& s, Call& c) {
    Json out = session_answer(s, c, false);
    auto next = s.session.recommend_next(c.limits());
    out["next"] = next ? frontend::parse_answer(to_json(*next)) : Json();
    return out;
  });
  post("profile", [this](LiveSession& s, Call& c) {
    s.session.set_profile(profile_of(c.body));
    return session_answer(s, c, true);
  });
  post("complete", [this](LiveSession& s, Call& c) {
    Json out = session_answer(s, c, false);
    out["result"] =
        frontend::parse_answer(to_json(s.session.complete(objective_of(c.body), c.limits())));
    return out;
  });
}

}  // namespace sumisura::service
