// Checking a catalog file: everything `sumisura check` reports.
#pragma once

#include <string>
#include <vector>

#include "sumisura/catalog.hpp"

namespace sumisura {

struct CheckReport {
  Catalog catalog;                      ///< what could be read (partial when !readable)
  std::vector<Diagnostic> diagnostics;  ///< errors then warnings, each with file:line:col
  CatalogSummary summary;
  bool readable = false;  ///< false when the file could not be read as its format
  bool ok() const { return !has_errors(diagnostics); }
};

/// Reads and validates a catalog or model file; never throws for problems in its content (they are
/// diagnostics), only Error(kind io) when the file cannot be opened.
CheckReport check_file(const std::string& path, ModelFormat format = ModelFormat::automatic);

}  // namespace sumisura
