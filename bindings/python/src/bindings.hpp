// The parts of the module, each defined in its own file and called once from module.cpp.
#pragma once

#include "casters.hpp"

namespace sumisura::python {

void bind_enums(py::module_& m);          // casters.cpp
void bind_errors(py::module_& m);         // errors.cpp: exception translation, Position, Diagnostic
void bind_containers(py::module_& m);     // containers.cpp: list and attribute-map classes
void bind_catalog_types(py::module_& m);  // catalog_bindings.cpp
void bind_catalog_functions(py::module_& m);  // catalog_functions.cpp
void bind_configurator(py::module_& m);       // configure.cpp: Configurator, results
void bind_memory(py::module_& m);             // memory.cpp: orders, profiles, PreferenceModel
void bind_compiled(py::module_& m);  // compiled.cpp: count, analyze, sample, compile, pickling
void bind_session(py::module_& m);   // session.cpp: Session (after Configurator)
void bind_versions(py::module_& m);  // versions.cpp: diff, Configurator.revalidate

/// Rethrows an Error from an engine call on `path`. The engine's io errors name the file only in
/// their message; the Python FileError gets it in `.file` too.
[[noreturn]] void rethrow_with_file(const Error& e, const std::string& path);

}  // namespace sumisura::python
