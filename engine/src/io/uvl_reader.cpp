// TEMPORARY (not to be committed): replaced by the UVL importer.
#include "io/readers.hpp"
namespace sumisura::detail {
Catalog read_uvl(const std::string&, const std::string& source, std::vector<Diagnostic>& d) {
  d.push_back({Severity::error, source, {}, "UVL is not read yet"});
  return {};
}
}
