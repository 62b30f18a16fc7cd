// sumisura::Error to the Python exceptions of sumisura._errors; Position and Diagnostic.
#include "bindings.hpp"

namespace sumisura::python {
namespace {

const char* exception_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::catalog:
      return "CatalogError";
    case ErrorKind::spec:
      return "SpecError";
    case ErrorKind::io:
      return "FileError";
    case ErrorKind::usage:
      return "UsageError";
    case ErrorKind::limit:
      return "LimitError";
    case ErrorKind::internal:
      return "InternalError";
  }
  return "InternalError";
}

void raise_python(const Error& e, const std::string& file) {
  // The classes live in Python (sumisura/_errors.py) so that they have a plain __init__ and
  // pickle like any exception; import is a dictionary look-up once the package is loaded.
  py::object cls = py::module_::import("sumisura._errors").attr(exception_name(e.kind()));
  py::object exc = cls(e.what(), py::arg("file") = file, py::arg("line") = e.line(),
                       py::arg("column") = e.column(), py::arg("diagnostics") = e.diagnostics());
  PyErr_SetObject(cls.ptr(), exc.ptr());
}

}  // namespace

void rethrow_with_file(const Error& e, const std::string& path) {
  if (e.kind() != ErrorKind::io || !e.file().empty()) throw;
  raise_python(e, path);
  throw py::error_already_set();
}

void bind_errors(py::module_& m) {
  // Imported now so that a broken installation fails at import, not at the first error.
  py::module_::import("sumisura._errors");
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const Error& e) {
      try {
        raise_python(e, e.file());
      } catch (py::error_already_set& failed) {
        failed.restore();
      }
    } catch (const py::cast_error& e) {
      // A Python value that has no C++ form: most often a str with a lone surrogate ("\ud800"),
      // which has no UTF-8 encoding. The caller's mistake, in the package's own terms.
      try {
        raise_python(Error(ErrorKind::usage,
                           std::string("a value cannot be passed to Sumisura (") + e.what() +
                               "): text must be valid Unicode, without lone surrogates"),
                     "");
      } catch (py::error_already_set& failed) {
        failed.restore();
      }
    }
  });

  py::class_<Position>(m, "Position", "A place in a text file; 1-based, 0 when unknown.")
      .def(py::init([](int line, int column) {
             return Position{line, column};
           }),
           py::arg("line") = 0, py::arg("column") = 0)
      .def_readwrite("line", &Position::line)
      .def_readwrite("column", &Position::column)
      // The C++ operator== deliberately calls all positions equal (so that catalogs compare by
      // content); a Python user comparing two positions means their line and column.
      .def("__eq__",
           [](const Position& a, py::object b) -> py::object {
             if (!py::isinstance<Position>(b))
               return py::reinterpret_borrow<py::object>(Py_NotImplemented);
             const auto& p = b.cast<const Position&>();
             return py::bool_(a.line == p.line && a.column == p.column);
           })
      .def("__repr__",
           [](const Position& p) {
             return "Position(line=" + std::to_string(p.line) +
                    ", column=" + std::to_string(p.column) + ")";
           })
      .def(py::pickle([](const Position& p) { return py::make_tuple(p.line, p.column); },
                      [](py::tuple t) {
                        return Position{t[0].cast<int>(), t[1].cast<int>()};
                      }));

  py::class_<Diagnostic>(m, "Diagnostic",
                         "One problem found in a catalog: str() gives FILE:LINE:COL: error: what.")
      .def(py::init(
               [](Severity severity, std::string file, int line, int column, std::string message) {
                 return Diagnostic{severity, std::move(file), {line, column}, std::move(message)};
               }),
           py::kw_only(), py::arg("severity") = Severity::error, py::arg("file") = "",
           py::arg("line") = 0, py::arg("column") = 0, py::arg("message") = "")
      .def_readwrite("severity", &Diagnostic::severity)
      .def_readwrite("file", &Diagnostic::file, "The file, or '' for a catalog built in code.")
      .def_property(
          "line", [](const Diagnostic& d) { return d.position.line; },
          [](Diagnostic& d, int line) { d.position.line = line; }, "1-based; 0 when unknown.")
      .def_property(
          "column", [](const Diagnostic& d) { return d.position.column; },
          [](Diagnostic& d, int column) { d.position.column = column; }, "1-based; 0 when unknown.")
      .def_readwrite("message", &Diagnostic::message, "What is wrong and how to fix it.")
      .def("__str__", &Diagnostic::to_string)
      .def("__repr__", [](const Diagnostic& d) { return "<Diagnostic " + d.to_string() + ">"; })
      .def("__eq__",
           [](const Diagnostic& a, py::object b) -> py::object {
             if (!py::isinstance<Diagnostic>(b))
               return py::reinterpret_borrow<py::object>(Py_NotImplemented);
             const auto& d = b.cast<const Diagnostic&>();
             return py::bool_(a.severity == d.severity && a.file == d.file &&
                              a.position.line == d.position.line &&
                              a.position.column == d.position.column && a.message == d.message);
           })
      // Diagnostics travel inside exceptions, which multiprocessing pickles between processes.
      .def(py::pickle(
          [](const Diagnostic& d) {
            return py::make_tuple(d.severity, d.file, d.position.line, d.position.column,
                                  d.message);
          },
          [](py::tuple t) {
            return Diagnostic{t[0].cast<Severity>(),
                              t[1].cast<std::string>(),
                              {t[2].cast<int>(), t[3].cast<int>()},
                              t[4].cast<std::string>()};
          }));
}

}  // namespace sumisura::python
