// One line of the `sumisura session` protocol: parsing the request, bounded, and answering it.
#include "session_protocol.hpp"

#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "cli_json.hpp"
#include "sumisura/json.hpp"

namespace sumisura::cli {
namespace {

Json parsed(const std::string& json) {
  return parse_answer(json);
}

std::string text_of(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  if (v.is_number()) return v.dump();
  throw Error(ErrorKind::spec, "\"value\" must be text, a number or a boolean");
}

/// A request line as JSON, in time linear in its length. Nesting is bounded (requests are flat;
/// the deepest is a saved session, four levels): deeper input is refused before it can exhaust
/// the stack.
Json parse_request(const std::string& line) {
  constexpr int kMaxDepth = 32;
  LinearJsonBuilder builder(kMaxDepth);
  if (Json::sax_parse(line, &builder)) return builder.take();
  if (builder.too_deep())
    throw Error(ErrorKind::spec, "request nested deeper than " + std::to_string(kMaxDepth) +
                                     " levels; requests are flat objects (docs/cli.md)");
  throw Error(ErrorKind::spec, "not valid JSON");
}

Json handle(Session& session, const Configurator& configurator, const Json& request,
            const Limits& limits) {
  if (!request.is_object() || !request.contains("op") || !request["op"].is_string()) {
    throw Error(ErrorKind::spec, "each request is an object with \"op\"");
  }
  std::string op = request["op"];
  auto name = [&] {
    if (!request.contains("name") || !request["name"].is_string())
      throw Error(ErrorKind::spec, op + " needs \"name\"");
    return request["name"].get<std::string>();
  };
  auto value = [&] {
    if (!request.contains("value")) throw Error(ErrorKind::spec, op + " needs \"value\"");
    return text_of(request["value"]);
  };
  Json out = {{"ok", true}, {"op", op}};
  if (op == "choose") {
    ChooseResult r = session.choose(name(), value(), limits);
    out["accepted"] = r.accepted;
    if (r.limit_reached) out["limit_reached"] = true;
    if (!r.accepted) out["explanation"] = parsed(to_json(r.explanation));
    if (r.accepted) out["state"] = parsed(to_json(session.state(limits)));
  } else if (op == "unchoose") {
    session.unchoose(name());
    out["state"] = parsed(to_json(session.state(limits)));
  } else if (op == "undo") {
    session.undo();
    out["state"] = parsed(to_json(session.state(limits)));
  } else if (op == "reset") {
    session.reset();
    out["state"] = parsed(to_json(session.state(limits)));
  } else if (op == "domains" || op == "state") {
    out["state"] = parsed(to_json(session.state(limits)));
  } else if (op == "explain") {
    out["explanation"] = parsed(to_json(session.explain(name(), value(), limits)));
  } else if (op == "repairs") {
    out["repairs"] = parsed(to_json(session.repairs(name(), value(), limits)));
  } else if (op == "complete") {
    std::vector<Objective> objective;
    if (request.contains("objective") && !request["objective"].is_string())
      throw Error(ErrorKind::spec,
                  "\"objective\" is text: \"cheapest\", \"preferred\", \"most_likely\", "
                  "\"minimize MEASURE\", \"maximize MEASURE\" or a comma-separated list");
    std::string o = request.value("objective", "");
    if (!o.empty()) objective = parse_objectives(o);
    out["result"] = parsed(to_json(session.complete(objective, limits)));
  } else if (op == "recommend") {
    out["recommendations"] = parsed(to_json(session.recommend(name(), limits)));
  } else if (op == "recommend_next") {
    auto next = session.recommend_next(limits);
    out["next"] = next ? parsed(to_json(*next)) : Json();
  } else if (op == "profile") {
    if (!request.contains("profile") || !request["profile"].is_object())
      throw Error(ErrorKind::spec, "profile needs \"profile\": {id, prefer, orders, tier}");
    session.set_profile(parse_profile(request["profile"].dump(), "request profile"));
    out["state"] = parsed(to_json(session.state(limits)));
  } else if (op == "choices") {
    out["choices"] = Json::array();
    for (const auto& c : session.choices()) out["choices"].push_back(c.name + "=" + c.value);
  } else if (op == "save") {
    out["session"] = parsed(session.to_json());
  } else if (op == "load") {
    if (!request.contains("session")) throw Error(ErrorKind::spec, "load needs \"session\"");
    std::optional<Profile> served;  // the customer stays who they were
    if (session.profile()) served = *session.profile();
    ResumeReport report;
    session = Session::from_json(configurator, request["session"].dump(), &report, limits);
    if (served) session.set_profile(*served);
    // Saved under another version of the catalog: what was kept, what was dropped and why.
    if (report.catalog_changed) out["resumed"] = parsed(to_json(report));
    out["state"] = parsed(to_json(session.state(limits)));
  } else {
    throw Error(ErrorKind::spec, "unknown op '" + op +
                                     "'; ops: choose, unchoose, undo, reset, domains, state, "
                                     "explain, repairs, complete, recommend, recommend_next, "
                                     "profile, choices, save, load");
  }
  return out;
}

}  // namespace

std::string answer_session_line(Session& session, const Configurator& configurator,
                                const std::string& line, const Limits& limits) {
  Json response;
  Json request;
  try {
    request = parse_request(line);
    response = handle(session, configurator, request, limits);
  } catch (const Error& e) {
    response = {{"ok", false}, {"error", e.what()}};
  } catch (const Json::exception& e) {
    // A field of the wrong type that handle() did not check: the request is wrong, not the
    // session, which goes on.
    response = {{"ok", false}, {"error", std::string("malformed request: ") + e.what()}};
  }
  if (request.is_object() && request.contains("id")) response["id"] = request["id"];
  // Text that is not UTF-8 cannot come from the engine (readers refuse it) but is replaced
  // rather than ending the session.
  return response.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace sumisura::cli
