// Configurator: compiling a catalog, configure() and domains(), and engine results as the Python
// values of sumisura/_results.py.
#include "configure.hpp"

#include <pybind11/stl/filesystem.h>

#include <algorithm>
#include <cmath>

#include "bindings.hpp"
#include "containers.hpp"
#include "memory.hpp"

namespace sumisura::python {

Limits make_limits(std::optional<double> time_limit, std::optional<int64_t> conflict_limit,
                   int max_repairs, bool explain) {
  Limits limits;
  limits.seconds = 0;        // the engine's "no deadline"
  limits.price_seconds = 0;  // no separate budget for session price ranges either
  if (time_limit) {
    if (!std::isfinite(*time_limit) || *time_limit <= 0) {
      throw_usage("time_limit must be a positive number of seconds, or None for no limit");
    }
    limits.seconds = *time_limit;
    limits.price_seconds = std::min(1.0, *time_limit);
  }
  if (conflict_limit) {
    if (*conflict_limit < 0) throw_usage("conflict_limit must be at least 0, or None for no limit");
    limits.conflicts = *conflict_limit;
  }
  if (max_repairs < 0) throw_usage("max_repairs must be at least 0");
  limits.max_repairs = max_repairs;
  limits.explain = explain;
  return limits;
}

std::string choice_text(py::handle value) {
  PyObject* o = value.ptr();
  if (PyBool_Check(o)) return o == Py_True ? "true" : "false";
  if (PyUnicode_Check(o)) return value.cast<std::string>();
  if (PyLong_Check(o)) return py::str(value);
  if (PyIndex_Check(o) && !PyFloat_Check(o)) {  // numpy.int64 and the like
    py::object index = py::reinterpret_steal<py::object>(PyNumber_Index(o));
    if (!index) throw py::error_already_set();
    return py::str(index);
  }
  throw py::type_error("a choice's value is a str, an int or a bool, not " +
                       type_name(value.get_type()));
}

py::object result_class(const char* name) {
  // A dictionary look-up once the package is loaded.
  return py::module_::import("sumisura._results").attr(name);
}

py::object json_loads(const std::string& text) {
  return py::module_::import("json").attr("loads")(text);
}

namespace {

py::object selection_of(const SlotFill& fill) {
  // As in the CLI's JSON: a single-block slot, its block's id or None; a slot that may hold
  // several, always a list of ids repeated per quantity (empty when none).
  if (!fill.several)
    return fill.blocks.empty() ? py::none() : py::object(py::str(fill.blocks[0].block));
  py::list ids;
  for (const auto& item : fill.blocks) {
    for (int q = 0; q < item.quantity; ++q) ids.append(py::str(item.block));
  }
  return ids;
}

py::object price_to_python(const PriceBreakdown& p) {
  return result_class("Price")(py::arg("base") = decimal_to_python(p.base),
                               py::arg("options") = decimal_to_python(p.options),
                               py::arg("blocks") = decimal_to_python(p.blocks),
                               py::arg("services") = decimal_to_python(p.services),
                               py::arg("bundles") = decimal_to_python(p.bundles),
                               py::arg("tier") = decimal_to_python(p.tier),
                               py::arg("total") = decimal_to_python(p.total),
                               py::arg("currency") = p.currency);
}

py::list strings(const std::vector<std::string>& items) {
  py::list out;
  for (const auto& s : items) out.append(py::str(s));
  return out;
}

}  // namespace

py::list rules_to_python(const std::vector<RuleRef>& rules) {
  py::object cls = result_class("RuleRef");
  py::list out;
  for (const auto& r : rules) {
    out.append(cls(py::arg("id") = r.id, py::arg("kind") = r.kind, py::arg("message") = r.message,
                   py::arg("file") = r.file, py::arg("line") = r.line,
                   py::arg("column") = r.column));
  }
  return out;
}

py::object result_to_python(const ConfigureResult& r, py::object json) {
  py::dict selections;
  for (const auto& o : r.options) selections[py::str(o.option)] = value_to_python(o.value);
  for (const auto& s : r.slots) selections[py::str(s.slot)] = selection_of(s);

  py::object bom_line = result_class("BomLine");
  py::list bom;
  for (const auto& line : r.bom) {
    bom.append(bom_line(py::arg("block") = line.block, py::arg("label") = line.label,
                        py::arg("slot") = line.slot, py::arg("quantity") = line.quantity,
                        py::arg("unit_price") = decimal_to_python(line.unit_price),
                        py::arg("line_price") = decimal_to_python(line.line_price)));
  }
  py::dict measures;
  for (const auto& m : r.measures) measures[py::str(m.measure)] = decimal_to_python(m.value);

  py::object outcome = result_class("PreferenceOutcome");
  py::list preferences;
  for (const auto& p : r.preferences) {
    preferences.append(outcome(py::arg("expression") = p.text,
                               py::arg("weight") = decimal_to_python(p.weight),
                               py::arg("met") = p.met));
  }

  py::object repair_class = result_class("Repair");
  py::object relaxation = result_class("Relaxation");
  py::list repairs;
  py::object json_repairs =
      json.is_none() ? py::object(py::none()) : py::object(json.attr("get")("repairs", py::list()));
  for (size_t i = 0; i < r.repairs.size(); ++i) {
    const Repair& rep = r.repairs[i];
    py::list relax;
    for (const auto& x : rep.relax) {
      relax.append(relaxation(py::arg("requirement") = x.requirement,
                              py::arg("to") = decimal_to_python(x.to)));
    }
    py::object nested = py::none();
    if (rep.result) {
      py::object nested_json = py::none();
      if (!json_repairs.is_none() && i < py::len(json_repairs)) {
        nested_json = json_repairs[py::int_(i)]["result"];
      }
      nested = result_to_python(*rep.result, nested_json);
    }
    repairs.append(repair_class(py::arg("drop") = strings(rep.drop), py::arg("relax") = relax,
                                py::arg("weight_lost") = decimal_to_python(rep.weight_lost),
                                py::arg("result") = nested));
  }

  py::object product = r.product.empty() ? py::object(py::none()) : py::object(py::str(r.product));
  py::object price = r.has_product() ? price_to_python(r.price) : py::object(py::none());
  py::object stats = result_class("Stats")(py::arg("seconds") = r.stats.seconds,
                                           py::arg("solver_calls") = r.stats.solver_calls,
                                           py::arg("compiled") = r.stats.compiled);
  return result_class("ConfigureResult")(
      py::arg("status") = result_class("Status")(to_string(r.status)), py::arg("product") = product,
      py::arg("selections") = selections, py::arg("services") = strings(r.services),
      py::arg("bundles") = strings(r.bundles), py::arg("price") = price, py::arg("bom") = bom,
      py::arg("measures") = measures, py::arg("preferences") = preferences,
      py::arg("conflict") = strings(r.conflict.requirements),
      py::arg("conflict_rules") = rules_to_python(r.conflict.rules),
      py::arg("conflict_minimal") = r.conflict.minimal, py::arg("repairs") = repairs,
      py::arg("stats") = stats, py::arg("_json") = json.is_none() ? py::dict() : json);
}

py::object result_to_python(const ConfigureResult& result) {
  return result_to_python(result, json_loads(to_json(result)));
}

py::object choice_to_python(const Choice& choice) {
  return result_class("Choice")(choice.name, choice.value);
}

py::list choices_to_python(const std::vector<Choice>& choices) {
  py::list out;
  for (const auto& c : choices) out.append(choice_to_python(c));
  return out;
}

py::object explanation_to_python(const Explanation& e) {
  return result_class("Explanation")(
      py::arg("available") = e.available, py::arg("choices") = choices_to_python(e.choices),
      py::arg("rules") = rules_to_python(e.rules), py::arg("minimal") = e.minimal);
}

bool is_path(py::handle h) {
  return PyUnicode_Check(h.ptr()) || py::isinstance(h, py::module_::import("os").attr("PathLike"));
}

std::string fspath(py::handle h) {
  return py::str(py::module_::import("os").attr("fspath")(h));
}

void rethrow_without_position(const Error& e) {
  std::vector<Diagnostic> diagnostics = e.diagnostics();
  for (auto& d : diagnostics) {
    d.file.clear();
    d.position = {};
  }
  throw Error(e.kind(), e.what(), "", {}, std::move(diagnostics));
}

namespace {

struct SpecArgument {
  Spec spec;
  bool from_dict = false;
};

// None, a dict in the format of docs/spec-format.md, or the path of a YAML or JSON spec file.
SpecArgument spec_from_python(py::handle spec) {
  SpecArgument out;
  if (spec.is_none()) return out;
  if (is_path(spec)) {
    const std::string path = fspath(spec);
    try {
      py::gil_scoped_release release;
      out.spec = load_spec(path);
    } catch (const Error& e) {
      rethrow_with_file(e, path);
    }
    return out;
  }
  if (!py::isinstance(spec, py::module_::import("collections.abc").attr("Mapping"))) {
    throw py::type_error("spec: expected a dict, the path of a spec file, or None; not " +
                         type_name(spec.get_type()));
  }
  const auto text = py::module_::import("sumisura._spec").attr("spec_to_json")(spec);
  out.from_dict = true;
  try {
    out.spec = parse_spec(text.cast<std::string>(), "");
  } catch (const Error& e) {
    rethrow_without_position(e);
  }
  for (auto& r : out.spec.requirements) r.where = {};
  for (auto& p : out.spec.preferences) p.where = {};
  return out;
}

Requirement assignment(py::handle name, py::handle value) {
  if (!PyUnicode_Check(name.ptr())) {
    throw py::type_error("where: names are str, not " + type_name(name.get_type()));
  }
  return Requirement::assignment_of(name.cast<std::string>(), choice_text(value));
}

}  // namespace

std::vector<Requirement> where_from_python(py::handle where) {
  std::vector<Requirement> out;
  if (where.is_none()) return out;
  if (py::isinstance(where, py::module_::import("collections.abc").attr("Mapping"))) {
    for (auto item : py::reinterpret_borrow<py::object>(where).attr("items")()) {
      auto pair = py::reinterpret_borrow<py::tuple>(item);
      out.push_back(assignment(pair[0], pair[1]));
    }
    return out;
  }
  if (PyUnicode_Check(where.ptr())) return {Requirement::parse_where(where.cast<std::string>())};
  for (py::handle item : py::iter(where)) {
    if (PyUnicode_Check(item.ptr())) {
      out.push_back(Requirement::parse_where(item.cast<std::string>()));
    } else if (PyTuple_Check(item.ptr()) && py::len(item) == 2) {
      out.push_back(assignment(item[py::int_(0)], item[py::int_(1)]));
    } else {
      throw py::type_error("where: each choice is 'NAME=VALUE' or a (name, value) pair, not " +
                           type_name(item.get_type()));
    }
  }
  return out;
}

namespace {

std::shared_ptr<ConfiguratorObject> compile(Catalog catalog) {
  py::gil_scoped_release release;
  return std::make_shared<ConfiguratorObject>(Configurator(std::move(catalog)), false);
}

std::shared_ptr<ConfiguratorObject> from_file(const std::string& path, ModelFormat format,
                                              std::optional<double> time_limit = std::nullopt) {
  const Limits limits = make_limits(time_limit, std::nullopt, 0, false);
  try {
    py::gil_scoped_release release;
    return std::make_shared<ConfiguratorObject>(Configurator::from_file(path, format, limits),
                                                true);
  } catch (const Error& e) {
    rethrow_with_file(e, path);
  }
}

// The configurator with the preference model `preferences` (None: none).
std::shared_ptr<ConfiguratorObject> with_preferences(std::shared_ptr<ConfiguratorObject> c,
                                                     py::handle preferences) {
  if (preferences.is_none()) return c;
  c->configurator = c->configurator.with_preferences(preferences_from_python(*c, preferences));
  return c;
}

std::shared_ptr<ConfiguratorObject> from_python(py::object catalog, py::object preferences) {
  if (py::isinstance<PyCatalog>(catalog)) {
    return with_preferences(compile(to_engine(catalog.cast<const PyCatalog&>())), preferences);
  }
  if (is_path(catalog)) {
    return with_preferences(from_file(fspath(catalog), ModelFormat::automatic), preferences);
  }
  throw py::type_error("Configurator: expected a Catalog or the path of a catalog file, not " +
                       type_name(catalog.get_type()));
}

py::object configure(const ConfiguratorObject& self, py::object spec, py::object where,
                     py::object profile, std::optional<double> time_limit,
                     std::optional<int64_t> conflict_limit, int max_repairs, bool explain,
                     bool use_compiled) {
  Limits limits = make_limits(time_limit, conflict_limit, max_repairs, explain);
  limits.use_compiled = use_compiled;
  SpecArgument argument = spec_from_python(spec);
  for (auto& r : where_from_python(where)) argument.spec.requirements.push_back(std::move(r));
  const ProfileArgument customer = profile_from_python(profile);
  ConfigureResult result;
  std::string json;
  try {
    py::gil_scoped_release release;
    result = customer.profile
                 ? self.configurator.configure(argument.spec, *customer.profile, limits)
                 : self.configurator.configure(argument.spec, limits);
    json = to_json(result);
  } catch (const Error& e) {
    // An error about a file (a spec file's line, a profile file's order) keeps its place; one
    // about a dict has none.
    if ((argument.from_dict || customer.from_dict) && e.kind() == ErrorKind::spec &&
        (e.file().empty() || !customer.profile)) {
      rethrow_without_position(e);
    }
    throw;
  }
  return result_to_python(result, json_loads(json));
}

py::dict domains(const ConfiguratorObject& self, py::object where, std::optional<double> time_limit,
                 std::optional<int64_t> conflict_limit) {
  const Limits limits = make_limits(time_limit, conflict_limit);
  const std::vector<Requirement> choices = where_from_python(where);
  Domains d;
  {
    py::gil_scoped_release release;
    d = self.configurator.domains(choices, limits);
  }
  py::dict out;
  out["status"] = !d.feasible ? "infeasible" : d.complete ? "ok" : "unknown";
  py::dict values;
  for (const auto& e : d.entries) {
    py::list list;
    for (const auto& v : e.values) list.append(value_to_python(v));
    values[py::str(e.name)] = list;
  }
  out["domains"] = values;
  out["conflict"] = strings(d.conflict.requirements);
  return out;
}

std::string describe(const Catalog& c) {
  std::string out = "<Configurator " + py::repr(py::str(c.name)).cast<std::string>();
  if (!c.version.empty()) out += " " + c.version;
  if (!c.source.empty()) out += " from " + c.source;
  return out + ">";
}

}  // namespace

void bind_configurator(py::module_& m) {
  using Class = py::class_<ConfiguratorObject, std::shared_ptr<ConfiguratorObject>>;
  Class cls(m, "Configurator",
            "A compiled catalog that configures products, opens sessions, counts, analyses and "
            "samples what it can make. Immutable: share one between threads (every solve "
            "releases the GIL) and pickle it to other processes (with its compiled form once it "
            "has one, so that they do not compile it again).");
  cls.def(py::init(&from_python), py::arg("catalog"), py::kw_only(),
          py::arg("preferences") = py::none(),
          "Compiles a Catalog, or the catalog file at a path (format chosen by extension; a "
          "compiled file loads with its compiled form). `preferences`, a PreferenceModel "
          "(copied) or the path of a model file, ranks the values of its sessions "
          "(Session.recommend). Raises CatalogError with every diagnostic when the catalog has "
          "errors, FileError when a file cannot be opened, SpecError when the model is not "
          "this catalog's.")
      .def_static(
          "from_file",
          [](const std::filesystem::path& path, py::object format, py::object preferences,
             std::optional<double> time_limit) {
            return with_preferences(from_file(path.string(), format_arg(format), time_limit),
                                    preferences);
          },
          py::arg("path"), py::arg("format") = py::none(), py::kw_only(),
          py::arg("preferences") = py::none(), py::arg("time_limit") = py::none(),
          "Reads and compiles a catalog or model file; format as load_catalog takes it. A "
          "compiled file (save_compiled, `sumisura compile`) is recognised by its content and "
          "loads with its compiled form, nothing compiled again. `preferences` as the "
          "constructor takes it. `time_limit` (seconds, None: none) bounds reading and "
          "compiling: LimitError when it runs out first.")
      .def_property_readonly(
          "catalog",
          [](const ConfiguratorObject& self) { return from_engine(self.configurator.catalog()); },
          "A copy of the compiled catalog (editing it does not change the configurator).")
      .def("configure", &configure, py::arg("spec") = py::none(), py::kw_only(),
           py::arg("where") = py::none(), py::arg("profile") = py::none(),
           py::arg("time_limit") = 10.0, py::arg("conflict_limit") = py::none(),
           py::arg("max_repairs") = 5, py::arg("explain") = true, py::arg("use_compiled") = true,
           "The best product for a specification: a dict in the format of "
           "docs/spec-format.md, the path of a YAML or JSON spec file, or None. `where` adds "
           "NAME=VALUE requirements after the spec's: a dict {name: value}, or a list of "
           "'NAME=VALUE' texts or (name, value) pairs. `profile` (a Profile, a dict with the "
           "keys of a profile file, or the path of one) configures for a known customer: "
           "their stated preferences, their past orders' values as preferences, and the tier "
           "they earn unless the spec names one. A limit reached is a status, never an "
           "error; `explain=False` skips the conflict and repairs of an infeasible spec. Once the "
           "catalog is compiled (compile(), a session, or a compiled file) specs whose "
           "requirements and preferences each read one variable are answered on the priced "
           "compiled form (stats.compiled); `use_compiled=False` always searches. "
           "Raises SpecError when the spec or the profile is malformed or names what the "
           "catalog lacks.")
      .def("domains", &domains, py::arg("where") = py::none(), py::kw_only(),
           py::arg("time_limit") = 10.0, py::arg("conflict_limit") = py::none(),
           "The values every option, slot, service and the product can still take given the "
           "choices `where` (as configure takes them): {'status': 'ok' | 'infeasible' | "
           "'unknown', 'domains': {name: [values]}, 'conflict': ['NAME=VALUE', ...]}.")
      .def("__repr__",
           [](const ConfiguratorObject& self) { return describe(self.configurator.catalog()); })
      // Immutable: a copy may be the object itself.
      .def("__copy__", [](py::object self) { return self; })
      .def(
          "__deepcopy__", [](py::object self, py::handle) { return self; }, py::arg("memo"));
  // Pickling, counting, analysis, sampling and compiled files: compiled.cpp.
}

}  // namespace sumisura::python
