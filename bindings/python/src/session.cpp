// Session: one customer's clicks over a shared Configurator.
#include <mutex>

#include "bindings.hpp"
#include "configure.hpp"
#include "containers.hpp"
#include "memory.hpp"
#include "sumisura/json.hpp"

namespace sumisura::python {
namespace {

/// The engine's Session is not thread-safe; its Python object is: every call takes the lock,
/// after releasing the GIL (so that a thread waiting for the lock never holds the GIL that the
/// thread holding the lock needs to return).
struct SessionObject {
  SessionObject(std::shared_ptr<ConfiguratorObject> c, Session s)
      : configurator(std::move(c)), session(std::move(s)) {}
  std::shared_ptr<ConfiguratorObject> configurator;
  Session session;
  std::mutex mutex;
};

template <typename F>
auto locked(SessionObject& self, F&& f) {
  py::gil_scoped_release release;
  std::lock_guard<std::mutex> lock(self.mutex);
  return f(self.session);
}

py::object optional_value(const std::optional<Value>& v) {
  return v ? value_to_python(*v) : py::none();
}

py::object state_to_python(const SessionState& s) {
  py::object variable_class = result_class("VariableState");
  py::dict domains, chosen, implied, defaults, variables;
  for (const auto& v : s.variables) {
    py::str name(v.name);
    py::list values, valid, valid_values;
    for (size_t k = 0; k < v.values.size(); ++k) {
      py::object value = value_to_python(v.values[k]);
      values.append(value);
      const bool ok = k < v.valid.size() && v.valid[k];
      valid.append(py::bool_(ok));
      if (ok) valid_values.append(value);
    }
    domains[name] = valid_values;
    if (v.chosen) chosen[name] = value_to_python(*v.chosen);
    if (v.implied) implied[name] = value_to_python(*v.implied);
    if (v.default_value) defaults[name] = value_to_python(*v.default_value);
    variables[name] = variable_class(py::arg("name") = v.name, py::arg("kind") = v.kind,
                                     py::arg("values") = values, py::arg("valid") = valid,
                                     py::arg("chosen") = optional_value(v.chosen),
                                     py::arg("implied") = optional_value(v.implied),
                                     py::arg("default_value") = optional_value(v.default_value));
  }
  auto money = [](const std::optional<Decimal>& d) {
    return d ? decimal_to_python(*d) : py::object(py::none());
  };
  return result_class("SessionState")(
      py::arg("consistent") = s.consistent, py::arg("complete") = s.complete,
      py::arg("domains") = domains, py::arg("chosen") = chosen, py::arg("implied") = implied,
      py::arg("defaults") = defaults, py::arg("price_min") = money(s.price_min),
      py::arg("price_max") = money(s.price_max), py::arg("price_limited") = s.price_limited,
      py::arg("currency") = s.currency, py::arg("variables") = variables,
      py::arg("count") = count_to_python(s.count));
}

Objective objective_of(py::handle o) {
  if (PyUnicode_Check(o.ptr())) return Objective::parse(o.cast<std::string>());
  throw py::type_error(
      "objective: expected 'cheapest', 'preferred', 'most_likely', 'minimize MEASURE', "
      "'maximize MEASURE' or a list of them, not " +
      type_name(o.get_type()));
}

std::vector<Objective> objectives(py::handle objective) {
  std::vector<Objective> out;
  if (objective.is_none()) return out;
  if (PyUnicode_Check(objective.ptr())) return parse_objectives(objective.cast<std::string>());
  for (py::handle o : py::iter(objective)) out.push_back(objective_of(o));
  return out;
}

std::string session_text(py::handle text) {
  if (PyUnicode_Check(text.ptr())) return text.cast<std::string>();
  if (PyBytes_Check(text.ptr())) return text.cast<std::string>();
  if (py::isinstance(text, py::module_::import("collections.abc").attr("Mapping"))) {
    return py::str(py::module_::import("json").attr("dumps")(text));
  }
  throw py::type_error(
      "a saved session is the JSON text Session.to_json() gives (or its dict), "
      "not " +
      type_name(text.get_type()));
}

// `report`, when given, says what a session saved under another version of the catalog became.
std::shared_ptr<SessionObject> resume(std::shared_ptr<ConfiguratorObject> configurator,
                                      const std::string& text, ResumeReport* report = nullptr) {
  py::gil_scoped_release release;
  Session s = Session::from_json(configurator->configurator, text, report);
  return std::make_shared<SessionObject>(std::move(configurator), std::move(s));
}

// A session, for the customer `profile` when it is not None (see profile_from_python).
std::shared_ptr<SessionObject> open_session(std::shared_ptr<ConfiguratorObject> configurator,
                                            py::object profile) {
  const ProfileArgument customer = profile_from_python(profile);
  Session s(configurator->configurator);
  if (customer.profile) {
    try {
      py::gil_scoped_release release;
      s.set_profile(*customer.profile);
    } catch (const Error& e) {
      if (customer.from_dict && e.kind() == ErrorKind::spec) rethrow_without_position(e);
      throw;
    }
  }
  return std::make_shared<SessionObject>(std::move(configurator), std::move(s));
}

py::list ranking_to_python(const std::vector<ScoredValue>& values) {
  py::object scored = result_class("ScoredValue");
  py::list out;
  for (const auto& v : values) out.append(scored(value_to_python(v.value), v.score));
  return out;
}

std::shared_ptr<SessionObject> copy_of(SessionObject& self) {
  Session copy = locked(self, [](Session& s) { return Session(s); });
  return std::make_shared<SessionObject>(self.configurator, std::move(copy));
}

std::string describe(SessionObject& self) {
  const auto choices = locked(self, [](Session& s) { return s.choices(); });
  std::string out =
      "<Session " +
      py::repr(py::str(self.configurator->configurator.catalog().name)).cast<std::string>();
  if (choices.empty()) return out + ": no choices>";
  for (size_t i = 0; i < choices.size(); ++i) {
    out += (i ? ", " : ": ") + choices[i].name + "=" + choices[i].value;
  }
  return out + ">";
}

}  // namespace

void bind_session(py::module_& m) {
  using Class = py::class_<SessionObject, std::shared_ptr<SessionObject>>;
  Class cls(m, "Session",
            "One customer's configuration, click by click, over a Configurator: every choice "
            "keeps at least one valid product possible. Safe to use from several threads "
            "(calls are serialised); solving calls release the GIL.");
  cls.def(py::init(&open_session), py::arg("configurator"), py::kw_only(),
          py::arg("profile") = py::none(),
          "A new session with no choices (configurator.session()), for the customer `profile` "
          "when given (as set_profile takes it).")
      .def_readonly("configurator", &SessionObject::configurator)
      .def(
          "choose",
          [](SessionObject& self, const std::string& name, py::handle value,
             std::optional<double> time_limit, std::optional<int64_t> conflict_limit) {
            const std::string text = choice_text(value);
            const Limits limits = make_limits(time_limit, conflict_limit);
            ChooseResult r = locked(self, [&](Session& s) { return s.choose(name, text, limits); });
            return result_class("ChooseResult")(
                py::arg("accepted") = r.accepted,
                py::arg("explanation") =
                    r.accepted ? py::object(py::none()) : explanation_to_python(r.explanation));
          },
          py::arg("name"), py::arg("value"), py::kw_only(), py::arg("time_limit") = 10.0,
          py::arg("conflict_limit") = py::none(),
          "Chooses a value (str; bool for services, blocks and Boolean options; int for "
          "integer options). A value no valid product has together with the other choices is "
          "refused, with its explanation, and the session does not change; choosing a name "
          "again replaces the earlier choice. Returns a ChooseResult (true when accepted). "
          "Raises SpecError for names or values the catalog does not have.")
      .def(
          "unchoose",
          [](SessionObject& self, const std::string& name) {
            locked(self, [&](Session& s) { s.unchoose(name); });
          },
          py::arg("name"), "Forgets the choice of `name` (nothing happens when there is none).")
      .def(
          "undo", [](SessionObject& self) { locked(self, [](Session& s) { s.undo(); }); },
          "Undoes the last choose, unchoose or reset; raises UsageError when there is nothing "
          "to undo.")
      .def(
          "reset", [](SessionObject& self) { locked(self, [](Session& s) { s.reset(); }); },
          "Forgets every choice (undo brings them back).")
      .def_property_readonly(
          "choices",
          [](SessionObject& self) {
            return choices_to_python(locked(self, [](Session& s) { return s.choices(); }));
          },
          "The choices in the order they were made, as Choice(name, value) tuples "
          "(str(choice) is NAME=VALUE).")
      .def(
          "state",
          [](SessionObject& self, std::optional<double> time_limit,
             std::optional<int64_t> conflict_limit) {
            const Limits limits = make_limits(time_limit, conflict_limit);
            return state_to_python(locked(self, [&](Session& s) { return s.state(limits); }));
          },
          py::kw_only(), py::arg("time_limit") = 10.0, py::arg("conflict_limit") = py::none(),
          "The valid values of everything, what is chosen, implied and defaulted, and the price "
          "range: a SessionState.")
      .def(
          "explain",
          [](SessionObject& self, const std::string& name, py::handle value,
             std::optional<double> time_limit, std::optional<int64_t> conflict_limit) {
            const std::string text = choice_text(value);
            const Limits limits = make_limits(time_limit, conflict_limit);
            return explanation_to_python(
                locked(self, [&](Session& s) { return s.explain(name, text, limits); }));
          },
          py::arg("name"), py::arg("value"), py::kw_only(), py::arg("time_limit") = 10.0,
          py::arg("conflict_limit") = py::none(),
          "Why `name`=`value` is not available: a minimal set of the other choices that "
          "excludes it and the catalog rules involved (available=True when it is available).")
      .def(
          "repairs",
          [](SessionObject& self, const std::string& name, py::handle value, int max_repairs,
             std::optional<double> time_limit, std::optional<int64_t> conflict_limit) {
            const std::string text = choice_text(value);
            const Limits limits = make_limits(time_limit, conflict_limit, max_repairs);
            auto found = locked(self, [&](Session& s) { return s.repairs(name, text, limits); });
            py::list out;
            for (const auto& r : found) out.append(choices_to_python(r.drop));
            return out;
          },
          py::arg("name"), py::arg("value"), py::kw_only(), py::arg("max_repairs") = 5,
          py::arg("time_limit") = 10.0, py::arg("conflict_limit") = py::none(),
          "Minimal sets of earlier choices to give up so that `name`=`value` becomes available, "
          "best first (keeping the most recent choices): a list of lists of Choice.")
      .def(
          "complete",
          [](SessionObject& self, py::handle objective, std::optional<double> time_limit,
             std::optional<int64_t> conflict_limit, int max_repairs) {
            const std::vector<Objective> o = objectives(objective);
            const Limits limits = make_limits(time_limit, conflict_limit, max_repairs);
            ConfigureResult r = locked(self, [&](Session& s) { return s.complete(o, limits); });
            return result_to_python(r);
          },
          py::arg("objective") = py::none(), py::kw_only(), py::arg("time_limit") = 10.0,
          py::arg("conflict_limit") = py::none(), py::arg("max_repairs") = 5,
          "Finishes the product from the current choices: the best completion for `objective` "
          "('cheapest', 'preferred', 'most_likely', a list of them, or None for cheapest), as "
          "a ConfigureResult. 'most_likely' first sets every open variable the preference "
          "model or the profile knows, the most certain first, to its most likely valid value "
          "(what a customer who accepts every recommendation gets); what follows it settles "
          "the rest.")
      .def(
          "recommend",
          [](SessionObject& self, const std::string& name, std::optional<double> time_limit,
             std::optional<int64_t> conflict_limit) {
            const Limits limits = make_limits(time_limit, conflict_limit);
            return ranking_to_python(
                locked(self, [&](Session& s) { return s.recommend(name, limits); }));
          },
          py::arg("name"), py::kw_only(), py::arg("time_limit") = 10.0,
          py::arg("conflict_limit") = py::none(),
          "The valid values of `name` (option, slot, service, 'product') ranked for this "
          "customer, best first: a list of ScoredValue (value, score) tuples whose scores sum "
          "to 1. The configurator's preference model predicts from the current choices; the "
          "profile's past orders and stated wishes shift it. Equal scores (catalog default "
          "first) without either. Raises SpecError for a name the catalog lacks.")
      .def(
          "recommend_next",
          [](SessionObject& self, std::optional<double> time_limit,
             std::optional<int64_t> conflict_limit) -> py::object {
            const Limits limits = make_limits(time_limit, conflict_limit);
            auto next = locked(self, [&](Session& s) { return s.recommend_next(limits); });
            if (!next) return py::none();
            return result_class("Recommendation")(next->name, ranking_to_python(next->values));
          },
          py::kw_only(), py::arg("time_limit") = 10.0, py::arg("conflict_limit") = py::none(),
          "The open variable to ask about next and its ranked values: a Recommendation "
          "(name, [(value, score), ...]), or None when every variable is chosen or implied. "
          "Among the variables the model or the profile knows, the one whose answer is hardest "
          "to guess; without any, the first open one in catalog order.")
      .def(
          "set_profile",
          [](SessionObject& self, py::object profile) {
            const ProfileArgument customer = profile_from_python(profile);
            if (!customer.profile) {
              throw py::type_error("set_profile: expected a Profile, a dict or a path, not None");
            }
            try {
              locked(self, [&](Session& s) { s.set_profile(*customer.profile); });
            } catch (const Error& e) {
              if (customer.from_dict && e.kind() == ErrorKind::spec) rethrow_without_position(e);
              throw;
            }
          },
          py::arg("profile"),
          "Serves a known customer from now on: their tier's prices, their orders and wishes in "
          "recommendations. `profile` is a Profile, a dict with the keys of a profile file "
          "(id, tier, prefer, orders), or the path of one. Raises SpecError when the catalog "
          "does not have the tier it names or the names and values of its orders.")
      .def_property_readonly(
          "profile",
          [](SessionObject& self) -> py::object {
            auto p = locked(self, [](Session& s) {
              const Profile* profile = s.profile();
              return profile ? std::optional<Profile>(*profile) : std::nullopt;
            });
            return p ? profile_to_python(*p) : py::none();
          },
          "The customer's Profile (a copy), or None.")
      .def(
          "to_json",
          [](SessionObject& self) { return locked(self, [](Session& s) { return s.to_json(); }); },
          "The session as JSON text: the catalog's name and version, the choices and the undo "
          "history. Session.from_json resumes it.")
      .def_static(
          "from_json",
          [](std::shared_ptr<ConfiguratorObject> configurator, py::handle text) {
            return resume(std::move(configurator), session_text(text));
          },
          py::arg("configurator"), py::arg("text"),
          "Resumes a session saved by to_json (the text or its dict) over `configurator`. "
          "Saved under another version of the catalog (same name), the choices that still hold "
          "are kept in their order and the others dropped (Session.resume says which). Raises "
          "SpecError when the text is malformed, is another catalog's, or names what the "
          "catalog it was saved under lacks.")
      .def_static(
          "resume",
          [](std::shared_ptr<ConfiguratorObject> configurator, py::handle text) {
            const std::string saved = session_text(text);
            ResumeReport report;
            auto session = resume(std::move(configurator), saved, &report);
            return py::make_tuple(session, json_loads(to_json(report)));
          },
          py::arg("configurator"), py::arg("text"),
          "from_json, and what became of the saved choices: (session, report), the report a "
          "dict {'catalog_changed': bool, 'saved_version': str, 'kept': ['NAME=VALUE', ...], "
          "'dropped': [{'choice': 'NAME=VALUE', 'reason': str, 'explanation': {...}}]} "
          "('explanation' when the choice still exists: {'available', 'choices': the earlier "
          "kept choices that rule it out, 'rules': the catalog rules, 'minimal'}). Plain data: the "
          "`resumed` object `sumisura session` prints, as the json module reads it.")
      .def("__repr__", &describe)
      .def("__copy__", &copy_of)
      .def(
          "__deepcopy__", [](SessionObject& self, py::handle) { return copy_of(self); },
          py::arg("memo"))
      // (configurator, json), and the profile when the session serves one.
      .def(py::pickle(
          [](SessionObject& self) {
            std::optional<Profile> profile;
            std::string json = locked(self, [&](Session& s) {
              if (s.profile()) profile = *s.profile();
              return s.to_json();
            });
            if (profile)
              return py::make_tuple(self.configurator, json, profile_to_python(*profile));
            return py::make_tuple(self.configurator, json);
          },
          [](py::tuple state) {
            if (state.size() < 2 || state.size() > 3 ||
                !py::isinstance<ConfiguratorObject>(state[0])) {
              throw_usage("not a pickled sumisura.Session");
            }
            auto session = resume(state[0].cast<std::shared_ptr<ConfiguratorObject>>(),
                                  state[1].cast<std::string>());
            if (state.size() == 3) {
              const Profile profile = state[2].cast<Profile>();
              locked(*session, [&](Session& s) { s.set_profile(profile); });
            }
            return session;
          }));

  // Configurator.session() is defined here, where Session is.
  py::object configurator = m.attr("Configurator");
  configurator.attr("session") = py::cpp_function(
      &open_session, py::name("session"), py::is_method(configurator),
      py::sibling(py::getattr(configurator, "session", py::none())), py::kw_only(),
      py::arg("profile") = py::none(),
      "A new interactive session with no choices, for the customer `profile` when given (a "
      "Profile, a dict with the keys of a profile file, or the path of one).");
}

}  // namespace sumisura::python
