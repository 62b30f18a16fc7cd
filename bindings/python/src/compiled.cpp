// What a Configurator can make, from its compiled form: count, analyze, sample, compile, compiled
// files and bytes, and pickling that carries the compiled form to other processes.
#include <pybind11/stl/filesystem.h>

#include <cmath>
#include <filesystem>

#include "bindings.hpp"
#include "configure.hpp"
#include "containers.hpp"

namespace sumisura::python {

py::object count_to_python(const std::string& digits) {
  if (digits.empty()) return py::none();
  // int(str) refuses more than 4,300 digits by default (Python 3.11+), and counts of feature
  // models come near that; chunks of 18 digits with Python's own arithmetic have no such limit.
  constexpr size_t kChunk = 18;
  const py::int_ scale(1'000'000'000'000'000'000LL);
  size_t first = digits.size() % kChunk;
  if (first == 0) first = kChunk;
  py::object out = py::int_(std::stoll(digits.substr(0, first)));
  for (size_t at = first; at < digits.size(); at += kChunk) {
    out = out * scale + py::int_(std::stoll(digits.substr(at, kChunk)));
  }
  return out;
}

namespace {

using Class = py::class_<ConfiguratorObject, std::shared_ptr<ConfiguratorObject>>;

py::list strings(const std::vector<std::string>& items) {
  py::list out;
  for (const auto& s : items) out.append(py::str(s));
  return out;
}

py::object count(const ConfiguratorObject& self, py::handle where) {
  const std::vector<Requirement> choices = where_from_python(where);
  Count c;
  {
    py::gil_scoped_release release;
    c = self.configurator.count(choices);
  }
  return c.exact ? count_to_python(c.count) : py::none();
}

py::object analysis_to_python(const Analysis& a) {
  py::object value_class = result_class("ValueAnalysis");
  py::object variable_class = result_class("VariableAnalysis");
  py::dict variables;
  for (const auto& v : a.variables) {
    py::list values;
    for (const auto& x : v.values) {
      values.append(value_class(
          py::arg("value") = value_to_python(x.value),
          py::arg("count") = a.counted ? count_to_python(x.count) : py::none(),
          py::arg("share") = a.counted ? py::object(py::float_(x.share)) : py::object(py::none()),
          py::arg("dead") = x.dead, py::arg("core") = x.core));
    }
    variables[py::str(v.name)] =
        variable_class(py::arg("name") = v.name, py::arg("kind") = v.kind,
                       py::arg("false_optional") = v.false_optional, py::arg("values") = values);
  }
  return result_class("Analysis")(
      py::arg("feasible") = a.feasible, py::arg("complete") = a.complete,
      py::arg("counted") = a.counted,
      py::arg("total") = a.counted ? count_to_python(a.total) : py::none(),
      py::arg("reason") = a.reason, py::arg("dead") = strings(a.dead),
      py::arg("core") = strings(a.core), py::arg("false_optional") = strings(a.false_optional),
      py::arg("variables") = variables);
}

py::object analyze(const ConfiguratorObject& self, std::optional<double> time_limit,
                   std::optional<int64_t> conflict_limit) {
  const Limits limits = make_limits(time_limit, conflict_limit);
  Analysis a;
  {
    py::gil_scoped_release release;
    a = self.configurator.analyze(limits);
  }
  return analysis_to_python(a);
}

// A non-negative Python int that fits in 64 bits (seeds take all of them).
uint64_t unsigned_arg(py::handle value, const char* name) {
  if (PyBool_Check(value.ptr()) || !PyIndex_Check(value.ptr())) {
    throw py::type_error(std::string(name) + ": expected an int, not " +
                         type_name(value.get_type()));
  }
  py::int_ number = py::reinterpret_steal<py::int_>(PyNumber_Index(value.ptr()));
  if (!number) throw py::error_already_set();
  const unsigned long long out = PyLong_AsUnsignedLongLong(number.ptr());
  if (out == static_cast<unsigned long long>(-1) && PyErr_Occurred()) {
    PyErr_Clear();
    throw_usage(std::string(name) + " must be an int from 0 to 2**64 - 1, not " +
                py::repr(number).cast<std::string>());
  }
  return out;
}

py::object samples_to_python(const Samples& s) {
  // Names and values are converted once per column, not once per product.
  std::vector<py::str> names;
  std::vector<std::vector<py::object>> values;
  for (const auto& column : s.columns) {
    names.emplace_back(column.name);
    auto& converted = values.emplace_back();
    for (const auto& v : column.values) converted.push_back(value_to_python(v));
  }
  py::list products;
  for (const auto& product : s.products) {
    py::dict d;
    for (size_t c = 0; c < names.size(); ++c) d[names[c]] = values[c][product[c]];
    products.append(std::move(d));
  }
  return result_class("Samples")(py::arg("uniform") = s.uniform, py::arg("reason") = s.reason,
                                 py::arg("products") = products);
}

py::object sample(const ConfiguratorObject& self, py::handle n, py::handle seed, py::handle where) {
  const uint64_t how_many = unsigned_arg(n, "n");
  const uint64_t seed_value = unsigned_arg(seed, "seed");
  const std::vector<Requirement> choices = where_from_python(where);
  Samples s;
  {
    py::gil_scoped_release release;
    s = self.configurator.sample(how_many, seed_value, choices);
  }
  return samples_to_python(s);
}

py::object report_to_python(const CompileReport& r) {
  return result_class("CompileReport")(
      py::arg("compiled") = r.compiled, py::arg("form") = r.form, py::arg("nodes") = r.nodes,
      py::arg("edges") = r.edges, py::arg("seconds") = r.seconds, py::arg("work") = r.work,
      py::arg("reason") = r.reason, py::arg("from_file") = r.from_file,
      py::arg("priced") = r.priced, py::arg("priced_reason") = r.priced_reason,
      py::arg("left_out") = r.left_out);
}

/// Thrown through the engine's compiler when the Python progress callback raised: it unwinds the
/// compilation from the point where a budget check would, and leaves the catalog unsettled.
struct ProgressStopped {};

/// The Python progress callback and the exception it raised, if any. The engine calls progress
/// from its compiler's own thread, with the GIL released by the caller.
struct ProgressRelay {
  py::object callback;
  std::optional<py::error_already_set> error;
};

py::object compile(const ConfiguratorObject& self, std::optional<int64_t> work,
                   std::optional<int64_t> memory_mb, std::optional<double> time_limit,
                   const std::string& form, py::object progress) {
  CompileOptions options;
  if (work) {
    if (*work <= 0) throw_usage("work must be a positive number of steps, or None for the default");
    options.work = static_cast<uint64_t>(*work);
  }
  if (memory_mb) {
    if (*memory_mb <= 0)
      throw_usage("memory_mb must be a positive number, or None for the default");
    options.memory_mb = static_cast<size_t>(*memory_mb);
  }
  if (time_limit) {
    if (!std::isfinite(*time_limit) || *time_limit <= 0) {
      throw_usage("time_limit must be a positive number of seconds, or None for no limit");
    }
    options.seconds = *time_limit;
  }
  options.form = form;
  ProgressRelay relay;
  if (!progress.is_none()) {
    if (!PyCallable_Check(progress.ptr())) {
      throw py::type_error("progress: expected a callable (seconds, work, nodes), not " +
                           type_name(progress.get_type()));
    }
    relay.callback = progress;
    options.progress = [relay = &relay](double seconds, uint64_t work, size_t nodes) {
      py::gil_scoped_acquire acquire;
      try {
        relay->callback(seconds, work, nodes);
      } catch (py::error_already_set& e) {
        relay->error = std::move(e);
        throw ProgressStopped{};
      }
    };
  }
  CompileReport report;
  try {
    py::gil_scoped_release release;
    report = self.configurator.compile(options);
  } catch (const ProgressStopped&) {
    throw std::move(*relay.error);  // raised again in the caller's thread
  }
  return report_to_python(report);
}

std::string bytes_argument(py::handle data) {
  if (PyBytes_Check(data.ptr())) return data.cast<std::string>();
  if (PyUnicode_Check(data.ptr()) || !PyObject_CheckBuffer(data.ptr())) {
    throw py::type_error(
        "compiled bytes are bytes (what compiled_bytes() gives, or a compiled file read in "
        "binary mode), not " +
        type_name(data.get_type()));
  }
  py::buffer_info info = py::reinterpret_borrow<py::buffer>(data).request();
  return std::string(static_cast<const char*>(info.ptr),
                     static_cast<size_t>(info.size * info.itemsize));
}

std::shared_ptr<ConfiguratorObject> from_compiled_bytes(const std::string& bytes,
                                                        const std::string& name) {
  py::gil_scoped_release release;
  return std::make_shared<ConfiguratorObject>(Configurator::from_compiled_bytes(bytes, name), true);
}

std::shared_ptr<ConfiguratorObject> from_compiled(const PyCatalog& catalog,
                                                  const std::string& path) {
  Catalog engine = to_engine(catalog);
  try {
    py::gil_scoped_release release;
    return std::make_shared<ConfiguratorObject>(
        Configurator::from_compiled(std::move(engine), path), false);
  } catch (const Error& e) {
    rethrow_with_file(e, path);
  }
}

// A catalog built in code travels as itself (with its positions, which its YAML would not keep)
// and its compiled form as bytes, joined again where it is unpickled.
std::shared_ptr<ConfiguratorObject> from_catalog_and_bytes(const PyCatalog& catalog,
                                                           const std::string& bytes) {
  Catalog engine = to_engine(catalog);
  py::gil_scoped_release release;
  return std::make_shared<ConfiguratorObject>(
      Configurator::from_compiled_bytes(std::move(engine), bytes, "<pickled configurator>"), false);
}

// Pickled states:
//   (Catalog,)          not compiled yet: compiled again where it is unpickled, when needed
//   (bytes, source)     read from a file: compiled_bytes(), which hold the file's own text
//   (Catalog, bytes)    built in code: the catalog, and compiled_bytes() for its compiled form
//   (STATE, str)        one of the above with a preference model (its to_json())
// The compiled form travels once it is settled (compiled, or found not to compile within its
// budget), so that workers never compile again; pickling never starts a compilation.
py::tuple catalog_state_of(const ConfiguratorObject& self) {
  const Configurator& c = self.configurator;
  std::string bytes;
  {
    py::gil_scoped_release release;
    const CompileReport settled = c.compiled_form();
    if (settled.compiled || !settled.reason.empty()) bytes = c.compiled_bytes();
  }
  if (bytes.empty()) return py::make_tuple(from_engine(c.catalog()));
  if (self.keeps_text) return py::make_tuple(py::bytes(bytes), c.catalog().source);
  return py::make_tuple(from_engine(c.catalog()), py::bytes(bytes));
}

py::tuple state_of(const ConfiguratorObject& self) {
  py::tuple state = catalog_state_of(self);
  const auto& model = self.configurator.preferences();
  if (!model) return state;
  return py::make_tuple(state, model->to_json());
}

std::shared_ptr<ConfiguratorObject> from_state(py::tuple state) {
  if (state.size() == 2 && PyTuple_Check(state[0].ptr()) && PyUnicode_Check(state[1].ptr())) {
    auto c = from_state(state[0].cast<py::tuple>());
    const std::string json = state[1].cast<std::string>();
    py::gil_scoped_release release;
    c->configurator = c->configurator.with_preferences(
        PreferenceModel::from_json(c->configurator, json, "<pickled preferences>"));
    return c;
  }
  if (state.size() == 1 && py::isinstance<PyCatalog>(state[0])) {
    Catalog catalog = to_engine(state[0].cast<const PyCatalog&>());
    py::gil_scoped_release release;
    return std::make_shared<ConfiguratorObject>(Configurator(std::move(catalog)), false);
  }
  if (state.size() == 2 && PyBytes_Check(state[0].ptr()) && PyUnicode_Check(state[1].ptr())) {
    return from_compiled_bytes(state[0].cast<std::string>(), state[1].cast<std::string>());
  }
  if (state.size() == 2 && py::isinstance<PyCatalog>(state[0]) && PyBytes_Check(state[1].ptr())) {
    return from_catalog_and_bytes(state[0].cast<const PyCatalog&>(), state[1].cast<std::string>());
  }
  throw_usage("not a pickled sumisura.Configurator");
}

}  // namespace

void bind_compiled(py::module_& m) {
  auto cls = py::reinterpret_borrow<Class>(m.attr("Configurator"));
  cls.def("count", &count, py::arg("where") = py::none(),
          "The exact number of valid products with the choices `where` (as domains() takes "
          "them), as an int of any size; None when the catalog has no compiled form "
          "(compiled_form().reason says why). Compiles the catalog on first use under the "
          "default budget unless compile() or a compiled file settled it. Raises SpecError "
          "for names or values the catalog lacks.")
      .def("analyze", &analyze, py::kw_only(), py::arg("time_limit") = 10.0,
           py::arg("conflict_limit") = py::none(),
           "Dead values (in no product), core values (in every product), false-optional "
           "options and, when the catalog has a compiled form, every value's count and the "
           "total: an Analysis. Without a compiled form, dead and core values come from the "
           "search back end within the limits.")
      .def("sample", &sample, py::arg("n"), py::kw_only(), py::arg("seed") = 0,
           py::arg("where") = py::none(),
           "`n` valid products with the choices `where`, each drawn uniformly at random: a "
           "Samples whose products are dicts {name: value}. The same seed gives the same "
           "products. Without a compiled form, Samples.uniform is False and there are none.")
      .def("compile", &compile, py::kw_only(), py::arg("work") = py::none(),
           py::arg("memory_mb") = py::none(), py::arg("time_limit") = py::none(),
           py::arg("form") = "auto", py::arg("progress") = py::none(),
           "Builds the compiled form now (blocking, without the GIL) and says what was built: "
           "a CompileReport. `work` bounds the elementary steps (None: 1,000,000,000), "
           "`memory_mb` the compiler's memory (None: 256), `time_limit` the seconds (None: no "
           "limit); `form` is 'auto', 'diagram' or 'dnnf'. `progress(seconds, work, nodes)` is "
           "called about twice a second while a d-DNNF compiles; an exception it raises stops "
           "the compilation and is raised here. The first compilation settles the catalog: "
           "once one ran (or a compiled file was loaded), its outcome is reported and the "
           "arguments are ignored.")
      .def(
          "compiled_form",
          [](const ConfiguratorObject& self) {
            return report_to_python(self.configurator.compiled_form());
          },
          "What the compiled form is, without building it or waiting for it (CompileReport; "
          "settled is False while nothing has compiled the catalog yet).")
      .def(
          "save_compiled",
          [](const ConfiguratorObject& self, const std::filesystem::path& path) {
            try {
              py::gil_scoped_release release;
              self.configurator.save_compiled(path.string());
            } catch (const Error& e) {
              rethrow_with_file(e, path.string());
            }
          },
          py::arg("path"),
          "Writes the catalog and its compiled form (compiling it first if needed) to a file "
          "that Configurator(path) and from_file load without compiling. A catalog that does "
          "not compile within its budget is saved with that verdict. Raises FileError when it "
          "cannot write.")
      .def(
          "compiled_bytes",
          [](const ConfiguratorObject& self) {
            std::string bytes;
            {
              py::gil_scoped_release release;
              bytes = self.configurator.compiled_bytes();
            }
            return py::bytes(bytes);
          },
          "What save_compiled writes, as bytes (for a cache or another process).")
      .def_static(
          "from_compiled_bytes",
          [](py::handle data, const std::string& name) {
            return from_compiled_bytes(bytes_argument(data), name);
          },
          py::arg("data"), py::arg("name") = "<compiled bytes>",
          "A Configurator from compiled_bytes(); `name` names it in errors. Raises FileError "
          "when the bytes are malformed or come from another engine version.")
      .def_static(
          "from_compiled",
          [](const PyCatalog& catalog, const std::filesystem::path& path) {
            return from_compiled(catalog, path.string());
          },
          py::arg("catalog"), py::arg("path"),
          "`catalog` with the compiled form saved at `path` (a compiled file of the same "
          "catalog). Raises FileError when the file was compiled from another catalog, by "
          "another engine version, or is corrupt.")
      .def(py::pickle(&state_of, &from_state));
}

}  // namespace sumisura::python
