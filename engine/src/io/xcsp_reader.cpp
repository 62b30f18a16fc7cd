// TEMPORARY (not to be committed): replaced by the XCSP importer.
#include "io/readers.hpp"
namespace sumisura::detail {
Catalog read_xcsp(const std::string&, const std::string& source, std::vector<Diagnostic>& d) {
  d.push_back({Severity::error, source, {}, "XCSP is not read yet"});
  return {};
}
}
