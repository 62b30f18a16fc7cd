// Customer memory: past orders, customer profiles, the preference model learned from sales,
// lifetime value and earned tiers (engine/include/sumisura/preferences.hpp).
#include "memory.hpp"

#include <pybind11/stl/filesystem.h>

#include "bindings.hpp"
#include "containers.hpp"
#include "sumisura/versions.hpp"

namespace sumisura::python {
namespace {

py::object spec_helper(const char* name) {
  return py::module_::import("sumisura._spec").attr(name);
}

bool is_mapping(py::handle h) {
  return py::isinstance(h, py::module_::import("collections.abc").attr("Mapping"));
}

// An order's value: as a session choice takes it, and None for an empty slot.
std::string order_value(py::handle value) {
  return value.is_none() ? "none" : choice_text(value);
}

Choice choice_of(py::handle name, py::handle value, const char* what) {
  if (!PyUnicode_Check(name.ptr())) {
    throw py::type_error(std::string(what) + ": names are str, not " + type_name(name.get_type()));
  }
  return {name.cast<std::string>(), order_value(value)};
}

// Choices: a dict {name: value}, or a list of 'NAME=VALUE' texts and (name, value) pairs.
std::vector<Choice> choices_from_python(py::handle choices, const char* what) {
  std::vector<Choice> out;
  if (choices.is_none()) return out;
  if (is_mapping(choices)) {
    for (auto item : py::reinterpret_borrow<py::object>(choices).attr("items")()) {
      auto pair = py::reinterpret_borrow<py::tuple>(item);
      out.push_back(choice_of(pair[0], pair[1], what));
    }
    return out;
  }
  if (PyUnicode_Check(choices.ptr())) {
    throw py::type_error(std::string(what) +
                         ": expected a dict {name: value} or a list of choices, not one str");
  }
  for (py::handle item : py::iter(choices)) {
    if (PyUnicode_Check(item.ptr())) {
      const Requirement r = Requirement::parse_where(item.cast<std::string>());
      out.push_back({r.name, r.value});
    } else if (PyTuple_Check(item.ptr()) && py::len(item) == 2) {
      out.push_back(choice_of(item[py::int_(0)], item[py::int_(1)], what));
    } else {
      throw py::type_error(std::string(what) +
                           ": each choice is 'NAME=VALUE' or a (name, value) pair, not " +
                           type_name(item.get_type()));
    }
  }
  return out;
}

py::dict order_choices(const Order& o) {
  py::dict out;
  for (const auto& c : o.choices) out[py::str(c.name)] = py::str(c.value);
  return out;
}

py::dict order_to_dict(const Order& o) {
  py::dict out;
  out["choices"] = order_choices(o);
  if (o.total) out["total"] = decimal_to_python(*o.total);
  return out;
}

std::string order_repr(const Order& o) {
  std::string out = "Order(" + py::repr(order_choices(o)).cast<std::string>();
  if (o.total) out += ", total=" + py::repr(decimal_to_python(*o.total)).cast<std::string>();
  if (!o.tier.empty()) out += ", tier=" + py::repr(py::str(o.tier)).cast<std::string>();
  if (o.complete) out += ", complete=True";
  return out + ")";
}

// Dict orders are read by the engine's own JSON orders reader, one JSON line each, so that a
// dict and a line of an orders file mean the same; a run of them is read at once. An error names
// the order by its index in `what`. `saved`: read for revalidation (parse_saved_orders).
std::vector<Order> read_dict_orders(const Configurator& configurator,
                                    const std::vector<std::string>& lines,
                                    const std::vector<size_t>& indices, const std::string& what,
                                    bool saved) {
  if (lines.empty()) return {};
  std::string text;
  for (const auto& line : lines) text.append(line).append("\n");
  try {
    py::gil_scoped_release release;
    return saved ? parse_saved_orders(configurator, text, "")
                 : parse_orders(configurator, text, "");
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::spec || !e.file().empty()) throw;
    std::string where = what;
    if (e.line() >= 1 && static_cast<size_t>(e.line()) <= indices.size()) {
      where += "[" + std::to_string(indices[e.line() - 1]) + "]";
    }
    throw Error(ErrorKind::spec, where + ": " + e.what());
  }
}

}  // namespace

std::vector<Order> orders_from_python(const ConfiguratorObject& configurator, py::handle orders,
                                      const std::string& what, bool saved) {
  if (is_path(orders)) {
    const std::string path = fspath(orders);
    try {
      py::gil_scoped_release release;
      return saved ? load_saved_orders(configurator.configurator, path)
                   : load_orders(configurator.configurator, path);
    } catch (const Error& e) {
      rethrow_with_file(e, path);
    }
  }
  if (is_mapping(orders) || py::isinstance<Order>(orders)) {
    throw py::type_error(what +
                         ": expected a list of orders or the path of an orders file, not "
                         "a single " +
                         type_name(orders.get_type()));
  }
  py::object to_json = spec_helper("order_to_json");
  std::vector<Order> out;
  std::vector<std::string> lines;
  std::vector<size_t> indices;
  auto flush = [&] {
    for (auto& o : read_dict_orders(configurator.configurator, lines, indices, what, saved)) {
      out.push_back(std::move(o));
    }
    lines.clear();
    indices.clear();
  };
  size_t i = 0;
  for (py::handle item : py::iter(orders)) {
    if (py::isinstance<Order>(item)) {
      flush();
      out.push_back(item.cast<const Order&>());
    } else {
      const std::string where = what + "[" + std::to_string(i) + "]";
      lines.push_back(to_json(item, where).cast<std::string>());
      indices.push_back(i);
    }
    ++i;
  }
  flush();
  return out;
}

namespace {

Order one_order(const ConfiguratorObject& configurator, py::handle order) {
  if (py::isinstance<Order>(order)) return order.cast<const Order&>();
  py::list one;
  one.append(order);
  std::vector<Order> read = orders_from_python(configurator, one, "order");
  return read.at(0);
}

// A dict profile goes through the engine's profile reader, as a profile file does.
Profile profile_from_mapping(py::handle mapping) {
  const auto text = spec_helper("profile_to_json")(mapping).cast<std::string>();
  Profile p;
  try {
    p = parse_profile(text, "");
  } catch (const Error& e) {
    rethrow_without_position(e);
  }
  for (auto& pref : p.preferences) pref.where = {};
  for (auto& o : p.orders) o.where = {};
  return p;
}

py::object optional_text(const std::string& s) {
  return s.empty() ? py::object(py::none()) : py::object(py::str(s));
}

py::list preferences_of(const Profile& p) {
  py::list out;
  for (const auto& pref : p.preferences) {
    out.append(py::make_tuple(pref.text, decimal_to_python(pref.weight)));
  }
  return out;
}

py::list orders_to_python(const std::vector<Order>& orders) {
  py::list out;
  for (const auto& o : orders) out.append(py::cast(o));
  return out;
}

py::dict profile_to_dict(const Profile& p) {
  py::dict out;
  out["id"] = p.id;
  if (!p.tier.empty()) out["tier"] = p.tier;
  if (!p.preferences.empty()) {
    py::list prefer;
    for (const auto& pref : p.preferences) {
      py::dict one;
      one[py::str(pref.text)] = decimal_to_python(pref.weight);
      prefer.append(one);
    }
    out["prefer"] = prefer;
  }
  py::list orders;
  for (const auto& o : p.orders) orders.append(order_to_dict(o));
  out["orders"] = orders;
  return out;
}

Profile required_profile(py::handle profile) {
  ProfileArgument argument = profile_from_python(profile);
  if (!argument.profile) {
    throw py::type_error("profile: expected a Profile, a dict or the path of a profile file");
  }
  return std::move(*argument.profile);
}

std::vector<Order> parsed_orders(const ConfiguratorObject& c, const std::string& text,
                                 const std::string& source) {
  py::gil_scoped_release release;
  return parse_orders(c.configurator, text, source);
}

PreferenceMethod method_of(const std::string& name) {
  if (auto method = preference_method_from_name(name)) return *method;
  std::string known;
  for (const char* m : {"neighbours", "tree", "naive_bayes", "frequency"}) {
    if (preference_method_from_name(m)) known += (known.empty() ? "" : ", ") + std::string(m);
  }
  throw_usage("method must be one of " + known + "; not '" + name + "'");
}

std::shared_ptr<PreferenceModelObject> learn(std::shared_ptr<ConfiguratorObject> configurator,
                                             py::object history, const std::string& method,
                                             double bandwidth, uint64_t seed) {
  LearnOptions options;
  options.method = method_of(method);
  options.bandwidth = bandwidth;
  options.seed = seed;
  std::vector<Order> orders = orders_from_python(*configurator, history, "history");
  std::optional<PreferenceModel> model;
  {
    py::gil_scoped_release release;
    model = PreferenceModel::learn(configurator->configurator, orders, options);
  }
  return std::make_shared<PreferenceModelObject>(std::move(configurator), std::move(*model));
}

std::shared_ptr<PreferenceModelObject> model_from_json(
    std::shared_ptr<ConfiguratorObject> configurator, const std::string& text,
    const std::string& source) {
  std::optional<PreferenceModel> model;
  {
    py::gil_scoped_release release;
    model = PreferenceModel::from_json(configurator->configurator, text, source);
  }
  return std::make_shared<PreferenceModelObject>(std::move(configurator), std::move(*model));
}

std::shared_ptr<PreferenceModelObject> model_from_file(
    std::shared_ptr<ConfiguratorObject> configurator, const std::string& path) {
  std::optional<PreferenceModel> model;
  try {
    py::gil_scoped_release release;
    model = PreferenceModel::load(configurator->configurator, path);
  } catch (const Error& e) {
    rethrow_with_file(e, path);
  }
  return std::make_shared<PreferenceModelObject>(std::move(configurator), std::move(*model));
}

py::list variables_of(const PreferenceModel& model) {
  py::list out;
  for (const auto& v : model.variables()) out.append(py::str(v));
  return out;
}

std::string model_repr(const PreferenceModelObject& self) {
  return "<PreferenceModel " + self.model.describe() + "; " + std::to_string(self.model.orders()) +
         " orders>";
}

void bind_order(py::module_& m) {
  py::class_<Order> cls(m, "Order",
                        "One past order: the customer's choices (NAME=VALUE over options, slots, "
                        "services, `product` and SLOT.BLOCK quantities) and what it cost.");
  cls.def(py::init([](py::object choices, std::optional<Decimal> total,
                      std::optional<std::string> tier, bool complete) {
            Order o;
            o.choices = choices_from_python(choices, "Order");
            o.total = total;
            o.tier = tier.value_or("");
            o.complete = complete;
            return o;
          }),
          py::arg("choices"), py::kw_only(), py::arg("total") = py::none(),
          py::arg("tier") = py::none(), py::arg("complete") = false,
          "An order from its choices: a dict {name: value} or a list of 'NAME=VALUE' texts and "
          "(name, value) pairs (values as Session.choose takes them; None for an empty slot). "
          "`tier` is the tier it was priced at; `complete` says the choices are a whole product "
          "(revalidate prices an order that is not by its cheapest valid completion).")
      .def_property_readonly("choices", &order_choices,
                             "{name: value} with each value's text, as an orders file writes it.")
      .def_property_readonly(
          "total",
          [](const Order& o) {
            return o.total ? decimal_to_python(*o.total) : py::object(py::none());
          },
          "What the order cost (a Decimal), or None when unknown.")
      .def_property_readonly(
          "tier", [](const Order& o) { return optional_text(o.tier); },
          "The tier the order was priced at (a JSON order's \"tier\"), or None.")
      .def_readonly("complete", &Order::complete,
                    "True for a whole product (a table row, a configure result), False for some "
                    "choices (a saved session, a dict {'choices': ...}).")
      .def_readonly("source", &Order::source, "The file the order was read from, or ''.")
      .def_property_readonly(
          "line", [](const Order& o) { return o.where.line; }, "Its line there (0 when unknown).")
      .def("to_dict", &order_to_dict,
           "{'choices': {name: value}, 'total': Decimal} (no total when unknown): an order as "
           "PreferenceModel.learn and profiles take it (without its tier, which profiles do not "
           "read).")
      .def("__repr__", &order_repr)
      .def("__eq__",
           [](const Order& a, py::object b) -> py::object {
             if (!py::isinstance<Order>(b)) {
               return py::reinterpret_borrow<py::object>(Py_NotImplemented);
             }
             const auto& o = b.cast<const Order&>();
             return py::bool_(a.choices == o.choices && a.total == o.total && a.tier == o.tier &&
                              a.complete == o.complete);
           })
      .def("__copy__", [](const Order& o) { return o; })
      .def(
          "__deepcopy__", [](const Order& o, py::handle) { return o; }, py::arg("memo"))
      .def(py::pickle(
          [](const Order& o) {
            py::list choices;
            for (const auto& c : o.choices) choices.append(py::make_tuple(c.name, c.value));
            py::object total = o.total ? py::object(py::str(o.total->to_string())) : py::none();
            return py::make_tuple(choices, total, o.source, o.where.line, o.tier, o.complete);
          },
          [](py::tuple t) {
            // 4 items: pickled before orders had a tier and `complete`.
            if (t.size() != 4 && t.size() != 6) throw_usage("not a pickled sumisura.Order");
            Order o;
            for (auto c : t[0]) {
              auto pair = c.cast<py::tuple>();
              o.choices.push_back({pair[0].cast<std::string>(), pair[1].cast<std::string>()});
            }
            if (!t[1].is_none()) o.total = Decimal::parse(t[1].cast<std::string>());
            o.source = t[2].cast<std::string>();
            o.where = {t[3].cast<int>(), t[3].cast<int>() > 0 ? 1 : 0};
            if (t.size() == 6) {
              o.tier = t[4].cast<std::string>();
              o.complete = t[5].cast<bool>();
            }
            return o;
          }));
}

void bind_profile(py::module_& m) {
  py::class_<Profile> cls(m, "Profile",
                          "What a shop knows of one customer: stated preferences, past orders "
                          "and a tier. Plain data (a copy): the engine stores nothing.");
  cls.def(py::init([](std::string id, py::object tier, py::object prefer, py::object orders) {
            py::dict d;
            d["id"] = id;
            if (!tier.is_none()) d["tier"] = tier;
            if (!prefer.is_none()) d["prefer"] = prefer;
            if (!orders.is_none()) d["orders"] = orders;
            return profile_from_mapping(d);
          }),
          py::arg("id") = "", py::kw_only(), py::arg("tier") = py::none(),
          py::arg("prefer") = py::none(), py::arg("orders") = py::none(),
          "A profile from the keys of a profile file: `prefer` as a spec's (a list of "
          "conditions and {condition: weight} entries, or a dict {condition: weight}), "
          "`orders` a list of Order objects and dicts {'choices': {...}, 'total': N}. Raises "
          "SpecError when they are malformed.")
      .def_readonly("id", &Profile::id)
      .def_property_readonly(
          "tier", [](const Profile& p) { return optional_text(p.tier); },
          "The tier the profile names, or None (tier_of says which one the customer gets).")
      .def_property_readonly("preferences", &preferences_of,
                             "Stated wishes: a list of (expression, weight) pairs.")
      .def_property_readonly(
          "orders", [](const Profile& p) { return orders_to_python(p.orders); },
          "Past orders, oldest first (a list of Order).")
      .def_readonly("source", &Profile::source, "The file the profile was read from, or ''.")
      .def("to_dict", &profile_to_dict,
           "The profile as a dict with the keys of a profile file (Profile(**d) reads it back).")
      .def("__repr__",
           [](const Profile& p) {
             std::string out = "<Profile " + py::repr(py::str(p.id)).cast<std::string>() + ": " +
                               std::to_string(p.orders.size()) + " orders";
             if (!p.preferences.empty()) {
               out += ", " + std::to_string(p.preferences.size()) + " preferences";
             }
             if (!p.tier.empty()) out += ", tier " + p.tier;
             return out + ">";
           })
      .def("__copy__", [](const Profile& p) { return p; })
      .def(
          "__deepcopy__", [](const Profile& p, py::handle) { return p; }, py::arg("memo"))
      .def(py::pickle(
          [](const Profile& p) {
            py::list preferences;
            for (const auto& pref : p.preferences) {
              preferences.append(py::make_tuple(pref.text, pref.weight.to_string()));
            }
            return py::make_tuple(p.id, p.tier, preferences, orders_to_python(p.orders), p.source);
          },
          [](py::tuple t) {
            if (t.size() != 5) throw_usage("not a pickled sumisura.Profile");
            Profile p;
            p.id = t[0].cast<std::string>();
            p.tier = t[1].cast<std::string>();
            for (auto item : t[2]) {
              auto pair = item.cast<py::tuple>();
              Preference pref;
              pref.text = pair[0].cast<std::string>();
              pref.weight = Decimal::parse(pair[1].cast<std::string>()).value_or(pref.weight);
              p.preferences.push_back(std::move(pref));
            }
            for (auto o : t[3]) p.orders.push_back(o.cast<Order>());
            p.source = t[4].cast<std::string>();
            return p;
          }));
}

void bind_preference_model(py::module_& m) {
  using Class = py::class_<PreferenceModelObject, std::shared_ptr<PreferenceModelObject>>;
  Class cls(m, "PreferenceModel",
            "Preferences learned from a shop's past orders, for one catalog: sessions of a "
            "Configurator made with it rank the valid values by it (Session.recommend). "
            "Made by learn, load or from_json. A value: Configurator(..., preferences=model) "
            "takes a copy, so adding orders later does not change that configurator.");
  cls.def_static("learn", &learn, py::arg("configurator"), py::arg("history"), py::kw_only(),
                 py::arg("method") = "neighbours", py::arg("bandwidth") = 0.0, py::arg("seed") = 1,
                 "Learns from `history`: the path of an orders file (a sales table with a "
                 "header naming the variables, JSON, or JSON lines), or a list of Order objects "
                 "(load_orders), dicts {'choices': {name: value}, 'total': N} and "
                 "ConfigureResults. `method` is 'neighbours' (a kernel over past orders), or "
                 "another method `sumisura learn --method` takes ('naive_bayes' and "
                 "'frequency' are baselines). `bandwidth` 0 tunes the kernel on "
                 "held-out orders drawn with `seed` (replayed in sessions: the slow part; the "
                 "GIL is released); given (below 0.5), it is used as is. Raises SpecError naming "
                 "the file and line, or the index in the list, of an order with a name or value "
                 "the catalog lacks; UsageError for a wrong method or bandwidth.")
      .def_static(
          "load",
          [](std::shared_ptr<ConfiguratorObject> configurator, const std::filesystem::path& path) {
            return model_from_file(std::move(configurator), path.string());
          },
          py::arg("configurator"), py::arg("path"),
          "Reads a model saved by save (or `sumisura learn`) for the configurator's catalog. "
          "Raises FileError when the file cannot be read, SpecError when it is malformed or "
          "names variables or values the catalog lacks.")
      .def_static("from_json", &model_from_json, py::arg("configurator"), py::arg("text"),
                  py::arg("source_name") = "<preferences>",
                  "Reads a model from the text to_json gives (see load).")
      .def_readonly("configurator", &PreferenceModelObject::configurator,
                    "The configurator whose catalog the model is for.")
      .def(
          "add",
          [](PreferenceModelObject& self, py::object order) {
            self.model.add(one_order(*self.configurator, order));
          },
          py::arg("order"),
          "Counts one more order (a sale) at once, without learning again: an Order, a dict "
          "{'choices': {...}, 'total': N} or a ConfigureResult. Raises SpecError for names or "
          "values the catalog does not have.")
      .def_property_readonly(
          "method",
          [](const PreferenceModelObject& self) { return to_string(self.model.method()); },
          "The method's name: 'neighbours', 'naive_bayes', 'frequency', ...")
      .def_property_readonly(
          "bandwidth", [](const PreferenceModelObject& self) { return self.model.bandwidth(); },
          "The kernel's mismatch factor (given, or chosen when learning).")
      .def_property_readonly(
          "orders", [](const PreferenceModelObject& self) { return self.model.orders(); },
          "How many orders the model counts (learned from, and added since).")
      .def_property_readonly(
          "variables", [](const PreferenceModelObject& self) { return variables_of(self.model); },
          "The names the orders choose (options, slots, services, product, quantities).")
      .def(
          "describe", [](const PreferenceModelObject& self) { return self.model.describe(); },
          "The method and what learning chose, in a line: 'neighbours, bandwidth 0.01, ...'.")
      .def(
          "scores",
          [](const PreferenceModelObject& self, const std::string& name, py::object candidates,
             py::object known, py::object own) {
            std::vector<Value> values;
            for (py::handle v : py::iter(candidates)) {
              auto value = value_from_python(v);
              if (!value) {
                throw py::type_error("scores: candidates are values (str, int, bool), not " +
                                     type_name(v.get_type()));
              }
              values.push_back(std::move(*value));
            }
            const std::vector<Choice> choices = choices_from_python(known, "known");
            const std::vector<Order> orders =
                own.is_none() ? std::vector<Order>{}
                              : orders_from_python(*self.configurator, own, "own");
            py::list out;
            for (double s : self.model.scores(name, choices, values, orders)) out.append(s);
            return out;
          },
          py::arg("name"), py::arg("candidates"), py::kw_only(), py::arg("known") = py::none(),
          py::arg("own") = py::none(),
          "Scores of `candidates` (values of `name`) for a customer who made the choices "
          "`known` (as Order takes them), summing to 1 (equal when the model knows nothing of "
          "`name`), in the candidates' order. `own` are this customer's past orders: they weigh "
          "as much as the whole history. Session.recommend gives the same over the valid "
          "values, best first.")
      .def(
          "to_json", [](const PreferenceModelObject& self) { return self.model.to_json(); },
          "The model as JSON (format sumisura-preferences/1): catalog name and version, method, "
          "bandwidth, variables with their values, distinct orders with their counts.")
      .def(
          "save",
          [](const PreferenceModelObject& self, const std::filesystem::path& path) {
            try {
              self.model.save(path.string());
            } catch (const Error& e) {
              rethrow_with_file(e, path.string());
            }
          },
          py::arg("path"),
          "Writes to_json() to `path` (for load, Configurator(..., preferences=path) and "
          "`sumisura configure --preferences`). Raises FileError when it cannot write.")
      .def("__repr__", &model_repr)
      .def("__copy__",
           [](const PreferenceModelObject& self) {
             return std::make_shared<PreferenceModelObject>(self.configurator, self.model);
           })
      .def(
          "__deepcopy__",
          [](const PreferenceModelObject& self, py::handle) {
            return std::make_shared<PreferenceModelObject>(self.configurator, self.model);
          },
          py::arg("memo"))
      .def(py::pickle(
          [](const PreferenceModelObject& self) {
            return py::make_tuple(self.configurator, self.model.to_json());
          },
          [](py::tuple t) {
            if (t.size() != 2 || !py::isinstance<ConfiguratorObject>(t[0])) {
              throw_usage("not a pickled sumisura.PreferenceModel");
            }
            return model_from_json(t[0].cast<std::shared_ptr<ConfiguratorObject>>(),
                                   t[1].cast<std::string>(), "<pickled preferences>");
          }));
}

void bind_functions(py::module_& m) {
  m.def(
      "load_profile",
      [](const std::filesystem::path& path) {
        try {
          py::gil_scoped_release release;
          return load_profile(path.string());
        } catch (const Error& e) {
          rethrow_with_file(e, path.string());
        }
      },
      py::arg("path"),
      "Reads a customer profile file (YAML or JSON: id, tier, prefer, orders). Raises FileError "
      "when it cannot be read, SpecError naming the line when it is malformed; orders are "
      "checked against a catalog where the profile is used.");
  m.def(
      "parse_profile",
      [](const std::string& text, const std::string& source_name) {
        return parse_profile(text, source_name);
      },
      py::arg("text"), py::arg("source_name") = "<profile>",
      "Reads a profile from YAML or JSON text (see load_profile).");
  m.def(
      "load_orders",
      [](const ConfiguratorObject& configurator, const std::filesystem::path& path) {
        return orders_from_python(configurator, py::str(path.string()), "orders");
      },
      py::arg("configurator"), py::arg("path"),
      "Reads past orders for the configurator's catalog: a sales table (a header naming the "
      "variables, then one order a line, values separated by blanks, commas or tabs), or JSON "
      "(an array or JSON lines) of configure results, saved sessions or {'choices': {...}, "
      "'total': N} objects. A list of Order. Raises FileError when the file cannot be read, "
      "SpecError naming the file and line of an unknown variable or value.");
  m.def("parse_orders", &parsed_orders, py::arg("configurator"), py::arg("text"),
        py::arg("source_name") = "<orders>", "Reads past orders from text (see load_orders).");
  m.def(
      "lifetime_value",
      [](const ConfiguratorObject& configurator, py::object profile) {
        const Profile p = required_profile(profile);
        py::gil_scoped_release release;
        return lifetime_value(configurator.configurator, p);
      },
      py::arg("configurator"), py::arg("profile"),
      "The sum of the profile's past orders' totals, a Decimal (an order without a total is "
      "priced on the catalog; one the catalog no longer makes counts nothing). `profile` is a "
      "Profile, a dict or the path of a profile file.");
  m.def(
      "tier_of",
      [](const ConfiguratorObject& configurator, py::object profile) {
        const Profile p = required_profile(profile);
        std::string tier;
        {
          py::gil_scoped_release release;
          tier = tier_of(configurator.configurator, p);
        }
        return optional_text(tier);
      },
      py::arg("configurator"), py::arg("profile"),
      "The tier the catalog gives the customer, or None: the best discount among the tier the "
      "profile names and the tiers its lifetime value reaches (a tier's lifetime_value). "
      "Raises SpecError when the profile names a tier the catalog lacks.");
}

}  // namespace

ProfileArgument profile_from_python(py::handle profile) {
  ProfileArgument out;
  if (profile.is_none()) return out;
  if (py::isinstance<Profile>(profile)) {
    out.profile = profile.cast<const Profile&>();
  } else if (is_path(profile)) {
    const std::string path = fspath(profile);
    try {
      py::gil_scoped_release release;
      out.profile = load_profile(path);
    } catch (const Error& e) {
      rethrow_with_file(e, path);
    }
  } else if (is_mapping(profile)) {
    out.profile = profile_from_mapping(profile);
    out.from_dict = true;
  } else {
    throw py::type_error(
        "profile: expected a Profile, a dict, the path of a profile file, or None; not " +
        type_name(profile.get_type()));
  }
  return out;
}

PreferenceModel preferences_from_python(const ConfiguratorObject& configurator,
                                        py::handle preferences) {
  if (is_path(preferences)) {
    const std::string path = fspath(preferences);
    try {
      py::gil_scoped_release release;
      return PreferenceModel::load(configurator.configurator, path);
    } catch (const Error& e) {
      rethrow_with_file(e, path);
    }
  }
  if (!py::isinstance<PreferenceModelObject>(preferences)) {
    throw py::type_error(
        "preferences: expected a PreferenceModel or the path of a preference model file, not " +
        type_name(preferences.get_type()));
  }
  const auto& model = preferences.cast<const PreferenceModelObject&>();
  // The same compiled catalog: the model's variables are this configurator's. Another one: read
  // the model again by names, which also checks that it is this catalog's.
  if (model.configurator->configurator.engine() == configurator.configurator.engine()) {
    return model.model;
  }
  const std::string json = model.model.to_json();
  try {
    py::gil_scoped_release release;
    return PreferenceModel::from_json(configurator.configurator, json, "");
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::spec) throw;
    throw Error(ErrorKind::spec, "preferences: the model of catalog '" +
                                     model.configurator->configurator.catalog().name +
                                     "' does not fit catalog '" +
                                     configurator.configurator.catalog().name + "': " + e.what());
  }
}

py::object profile_to_python(const Profile& profile) {
  return py::cast(profile);
}

void bind_memory(py::module_& m) {
  bind_order(m);
  bind_profile(m);
  bind_preference_model(m);
  bind_functions(m);

  // The configurator's preference model, here where PreferenceModel is.
  auto configurator =
      py::reinterpret_borrow<py::class_<ConfiguratorObject, std::shared_ptr<ConfiguratorObject>>>(
          m.attr("Configurator"));
  configurator
      .def_property_readonly(
          "preferences",
          [](std::shared_ptr<ConfiguratorObject> self) -> py::object {
            const auto& model = self->configurator.preferences();
            if (!model) return py::none();
            return py::cast(std::make_shared<PreferenceModelObject>(self, *model));
          },
          "A copy of the preference model sessions rank values with, or None.")
      .def(
          "with_preferences",
          [](const ConfiguratorObject& self, py::object preferences) {
            PreferenceModel model = preferences_from_python(self, preferences);
            return std::make_shared<ConfiguratorObject>(
                self.configurator.with_preferences(std::move(model)), self.keeps_text);
          },
          py::arg("preferences"),
          "This configurator with a preference model (a PreferenceModel, copied, or the path of "
          "a model file): cheap, the compiled catalog is shared.");
}

}  // namespace sumisura::python
