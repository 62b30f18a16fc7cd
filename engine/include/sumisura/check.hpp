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
/// diagnostics). Throws Error(kind io) when the file cannot be opened, and Error(kind catalog)
/// when `automatic` cannot tell the format from the extension or the file is larger than any
/// reader accepts (1 GiB).
CheckReport check_file(const std::string& path, ModelFormat format = ModelFormat::automatic);

}  // namespace sumisura
