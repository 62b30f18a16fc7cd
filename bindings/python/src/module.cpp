// sumisura._core: the Python module. Definitions only; each part is bound in its own file.
#include "bindings.hpp"

PYBIND11_MODULE(_core, m) {
  namespace python = sumisura::python;
  m.doc() = "Sumisura's C++ engine; import the names from the sumisura package.";
  m.attr("__version__") = SUMISURA_VERSION;
  // Order matters: default arguments are converted when a function is defined, so enums and
  // Position come before the classes whose constructors use them.
  python::bind_enums(m);
  python::bind_errors(m);
  python::bind_containers(m);
  python::bind_catalog_types(m);
  python::bind_catalog_functions(m);
  python::bind_configurator(m);
  python::bind_memory(m);
  python::bind_compiled(m);
  python::bind_session(m);
  python::bind_versions(m);
}
