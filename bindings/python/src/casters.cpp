// Decimal, Value and enum conversions (see casters.hpp), and the Python enum classes.
#include "casters.hpp"

#include "bindings.hpp"

namespace sumisura::python {
namespace {

// decimal.Decimal, looked up once: conversions run for every price of every catalog.
PyObject* decimal_class() {
  static PyObject* cls = py::object(py::module_::import("decimal").attr("Decimal")).release().ptr();
  return cls;
}

Decimal parse_exact(const std::string& text, py::handle original) {
  if (auto d = Decimal::parse(text)) return *d;
  throw_usage("cannot use " + py::repr(original).cast<std::string>() +
              " as a Sumisura number: numbers have at most six decimals and are below "
              "9,223,372,036,854 in magnitude");
}

// Fixed-point text of a decimal.Decimal ("1E+3" -> "1000"), or an error for NaN and infinities.
std::string fixed_text(py::handle python_decimal, py::handle original) {
  if (!python_decimal.attr("is_finite")().cast<bool>()) {
    throw_usage("cannot use " + py::repr(original).cast<std::string>() +
                " as a Sumisura number: it is not finite");
  }
  return py::str(py::module_::import("builtins").attr("format")(python_decimal, "f"));
}

}  // namespace

void throw_usage(std::string message) {
  throw Error(ErrorKind::usage, std::move(message));
}

std::optional<Decimal> decimal_from_python(py::handle src) {
  PyObject* o = src.ptr();
  if (PyBool_Check(o)) return std::nullopt;
  if (PyLong_Check(o)) return parse_exact(py::str(src), src);
  if (PyObject_IsInstance(o, decimal_class()) == 1) return parse_exact(fixed_text(src, src), src);
  if (PyFloat_Check(o)) {
    // repr gives the shortest text that reads back as the same float: 0.1, not
    // 0.1000000000000000055.
    py::object exact = py::reinterpret_borrow<py::object>(decimal_class())(py::repr(src));
    return parse_exact(fixed_text(exact, src), src);
  }
  if (PyUnicode_Check(o)) {
    if (auto d = Decimal::parse(src.cast<std::string>())) return *d;
    py::object exact;
    try {
      exact = py::reinterpret_borrow<py::object>(decimal_class())(src);  // "1e3", " 12 "
    } catch (const py::error_already_set&) {
      const auto text = src.cast<std::string>();
      // "10%" is YAML's way to write a percentage; here percentages have fields of their own.
      throw_usage("'" + text + "' is not a number" +
                  (text.find('%') == std::string::npos
                       ? ""
                       : "; give a percentage as a number in its own field, such as "
                         "PriceSpec(percent=10, of='product') or discount_percent=15"));
    }
    return parse_exact(fixed_text(exact, src), src);
  }
  if (PyIndex_Check(o)) {  // integer-like types such as numpy.int64
    py::object index = py::reinterpret_steal<py::object>(PyNumber_Index(o));
    if (!index) throw py::error_already_set();
    return parse_exact(py::str(index), src);
  }
  return std::nullopt;
}

py::object decimal_to_python(Decimal d) {
  return py::reinterpret_borrow<py::object>(decimal_class())(d.to_string());
}

std::optional<Value> value_from_python(py::handle src) {
  PyObject* o = src.ptr();
  if (PyBool_Check(o)) return Value::boolean(o == Py_True);
  if (PyUnicode_Check(o)) return Value::string(src.cast<std::string>());
  if (PyList_Check(o) || PyTuple_Check(o) || PyAnySet_Check(o)) {
    // Sets (of sizes, say) have no order; sorting them keeps the written catalog stable.
    py::object items = PyAnySet_Check(o) ? py::module_::import("builtins").attr("sorted")(src)
                                         : py::reinterpret_borrow<py::object>(src);
    std::vector<Value> values;
    for (py::handle item : items) {
      auto v = value_from_python(item);
      if (!v) return std::nullopt;
      values.push_back(std::move(*v));
    }
    return Value::list(std::move(values));
  }
  if (auto d = decimal_from_python(src)) return Value::number(*d);
  return std::nullopt;
}

py::object value_to_python(const Value& v) {
  switch (v.kind()) {
    case ValueKind::boolean:
      return py::bool_(v.as_boolean());
    case ValueKind::number:
      if (v.as_number().is_integer()) return py::int_(v.as_number().integer_part());
      return decimal_to_python(v.as_number());
    case ValueKind::string:
      return py::str(v.as_string());
    case ValueKind::list: {
      py::list out;
      for (const auto& item : v.as_list()) out.append(value_to_python(item));
      return out;
    }
  }
  return py::none();
}

namespace {

template <typename E>
void bind_enum(py::module_& m, const char* doc) {
  using Info = EnumInfo<E>;
  py::list members;
  for (const auto& [e, name] : Info::members) members.append(py::make_tuple(name, name));
  py::object cls =
      py::module_::import("enum").attr("Enum")(Info::name, members, py::arg("module") = "sumisura");
  cls.attr("__doc__") = doc;
  // `OptionKind.boolean` reads better than `<OptionKind.boolean: 'boolean'>` in object reprs.
  cls.attr("__repr__") = py::cpp_function(
      [](py::handle self) {
        return py::str("{}.{}").format(self.get_type().attr("__name__"), self.attr("name"));
      },
      py::is_method(cls));
  m.attr(Info::name) = cls;
  Info::python_class = cls.release().ptr();  // lives as long as the process
}

}  // namespace

ModelFormat format_arg(py::object format) {
  if (format.is_none()) return ModelFormat::automatic;
  if (PyUnicode_Check(format.ptr())) {
    auto name = format.cast<std::string>();
    if (auto f = format_from_name(name)) return *f;
    throw_usage("unknown format '" + name +
                "'; expected yaml, dimacs, xcsp, uvl, compiled or automatic");
  }
  if (auto f = enum_from_python<ModelFormat>(format)) return *f;
  throw py::type_error("format: expected a ModelFormat, a format name or None");
}

void bind_enums(py::module_& m) {
  bind_enum<OptionKind>(m, "What an option's values are: names, whole numbers, or false/true.");
  bind_enum<AttributeType>(m, "The type of a block attribute.");
  bind_enum<RuleKind>(m, "A rule's form: require or forbid a condition, or a table of rows.");
  bind_enum<Severity>(m, "Whether a diagnostic is an error or a warning.");
  bind_enum<ModelFormat>(m,
                         "A catalog or model file format; automatic recognises compiled files "
                         "by their content and chooses the others by extension.");
}

}  // namespace sumisura::python
