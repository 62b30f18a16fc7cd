// Reading, checking and summarising catalogs: load_catalog, parse_catalog, check_file, ...
#include <pybind11/stl/filesystem.h>

#include "bindings.hpp"
#include "model.hpp"

namespace sumisura::python {
namespace {

struct CheckReportObject {
  std::shared_ptr<PyCatalog> catalog;
  std::vector<Diagnostic> diagnostics;
  CatalogSummary summary;
  bool readable = false;
};

}  // namespace

void bind_catalog_functions(py::module_& m) {
  py::class_<CatalogSummary>(m, "CatalogSummary", "The counts `sumisura check` reports.")
      .def_readonly("options", &CatalogSummary::options)
      .def_readonly("blocks", &CatalogSummary::blocks)
      .def_readonly("slots", &CatalogSummary::slots)
      .def_readonly("products", &CatalogSummary::products)
      .def_readonly("services", &CatalogSummary::services)
      .def_readonly("bundles", &CatalogSummary::bundles)
      .def_readonly("rules", &CatalogSummary::rules)
      .def_readonly("constraints", &CatalogSummary::constraints,
                    "Rules, plus block requires/excludes, plus the assemblies' rules.")
      .def_readonly("assemblies", &CatalogSummary::assemblies)
      .def("__repr__", [](const CatalogSummary& s) {
        return "CatalogSummary(options=" + std::to_string(s.options) +
               ", blocks=" + std::to_string(s.blocks) + ", slots=" + std::to_string(s.slots) +
               ", products=" + std::to_string(s.products) +
               ", services=" + std::to_string(s.services) +
               ", bundles=" + std::to_string(s.bundles) + ", rules=" + std::to_string(s.rules) +
               ", constraints=" + std::to_string(s.constraints) +
               ", assemblies=" + std::to_string(s.assemblies) + ")";
      });

  py::class_<CheckReportObject>(m, "CheckReport", "Everything `sumisura check FILE` reports.")
      .def_readonly("catalog", &CheckReportObject::catalog,
                    "What could be read (partial when not readable).")
      .def_readonly("diagnostics", &CheckReportObject::diagnostics,
                    "Errors then warnings, each with file, line and column.")
      .def_readonly("summary", &CheckReportObject::summary)
      .def_readonly("readable", &CheckReportObject::readable,
                    "False when the file could not be read as its format.")
      .def_property_readonly(
          "ok", [](const CheckReportObject& r) { return !has_errors(r.diagnostics); },
          "True when there are no errors (warnings are fine).")
      .def("__repr__", [](const CheckReportObject& r) {
        size_t errors = 0;
        for (const auto& d : r.diagnostics) errors += d.severity == Severity::error;
        return "<CheckReport " + r.catalog->source + ": " + std::to_string(errors) + " errors, " +
               std::to_string(r.diagnostics.size() - errors) + " warnings>";
      });

  m.def(
      "load_catalog",
      [](const std::filesystem::path& path, py::object format) {
        ModelFormat f = format_arg(format);
        Catalog c;
        try {
          py::gil_scoped_release release;
          c = load_catalog(path.string(), f);
        } catch (const Error& e) {
          rethrow_with_file(e, path.string());
        }
        return from_engine(std::move(c));
      },
      py::arg("path"), py::arg("format") = py::none(),
      "Reads a catalog or model file; format None chooses by extension. Raises CatalogError "
      "(with file, line, column and diagnostics) when the file cannot be read as that format, "
      "FileError when it cannot be opened. Semantic problems are left to Catalog.validate().");
  m.def(
      "parse_catalog",
      [](std::string text, py::object format, std::string source_name) {
        ModelFormat f = format_arg(format);
        Catalog c;
        {
          py::gil_scoped_release release;
          c = parse_catalog(text, f, source_name);
        }
        return from_engine(std::move(c));
      },
      py::arg("text"), py::arg("format") = "yaml", py::arg("source_name") = "<string>",
      "Reads a catalog from text; source_name names it in errors and diagnostics.");
  m.def(
      "check_file",
      [](const std::filesystem::path& path, py::object format) {
        ModelFormat f = format_arg(format);
        CheckReport report;
        try {
          py::gil_scoped_release release;
          report = check_file(path.string(), f);
        } catch (const Error& e) {
          rethrow_with_file(e, path.string());
        }
        return CheckReportObject{from_engine(std::move(report.catalog)),
                                 std::move(report.diagnostics), report.summary, report.readable};
      },
      py::arg("path"), py::arg("format") = py::none(),
      "Everything `sumisura check` reports: reading, validate(), and the checks that need the "
      "solver. Problems in the content are diagnostics, never exceptions (FileError only when "
      "the file cannot be opened).");
  m.def(
      "assembly_order",
      [](const PyCatalog& catalog) {
        py::list out;
        for (const auto& id : assembly_order(to_engine(catalog))) out.append(py::str(id));
        return out;
      },
      py::arg("catalog"),
      "Block ids in an order they can be assembled: each after the blocks it requires. Raises "
      "CatalogError when requires_blocks form a cycle.");
  m.def(
      "summarize", [](const PyCatalog& catalog) { return summarize(to_engine(catalog)); },
      py::arg("catalog"), "The counts `sumisura check` reports for a catalog.");
}

}  // namespace sumisura::python
