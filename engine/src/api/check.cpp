// check_file: reading, validation, and the checks that need the solver.
#include <algorithm>

#include "io/readers.hpp"
#include "reason/analyze.hpp"
#include "sumisura/check.hpp"

namespace sumisura {

CheckReport check_file(const std::string& path, ModelFormat format) {
  CheckReport report;
  std::string text = detail::read_file(path, detail::kMaxModelFileBytes);
  format = detail::sniff_format(path, text, format);
  try {
    report.catalog = detail::read_any(format, text, path, report.diagnostics);
  } catch (const std::bad_alloc&) {
    report.diagnostics.push_back(
        {Severity::error, path, {}, "the file is too large to read in memory"});
  }
  report.readable = !has_errors(report.diagnostics);
  if (report.readable) {
    auto more = validate(report.catalog);
    report.diagnostics.insert(report.diagnostics.end(), more.begin(), more.end());
  }
  if (report.ok()) {
    try {
      detail::Engine engine(std::make_shared<const Catalog>(report.catalog));
      std::vector<Diagnostic> found;
      detail::semantic_checks(engine, 10.0, found);
      report.diagnostics.insert(report.diagnostics.end(), found.begin(), found.end());
      std::stable_partition(report.diagnostics.begin(), report.diagnostics.end(),
                            [](const Diagnostic& d) { return d.severity == Severity::error; });
    } catch (const Error& e) {
      report.diagnostics.push_back(
          {Severity::error, e.file().empty() ? path : e.file(), {e.line(), e.column()}, e.what()});
    }
  }
  report.summary = summarize(report.catalog);
  return report;
}

}  // namespace sumisura
