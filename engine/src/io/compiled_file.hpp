// The container of a compiled catalog file (`sumisura compile MODEL -o FILE`): the catalog itself,
// as the text it was read from, a fingerprint of the model the engine compiled it into, and the
// compiled form (or why the catalog has none within its budget, so that loading never tries
// again). Versioned and checksummed: a file from another engine version or a corrupt or truncated
// file is refused with a message that says what to do.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sumisura/catalog.hpp"

namespace sumisura::detail {

struct CompiledFile {
  ModelFormat catalog_format = ModelFormat::yaml;
  std::string catalog_name;  ///< where the catalog was read from when it was compiled
  std::string catalog_text;
  std::string engine_version;
  uint64_t fingerprint = 0;  ///< of the model (model_fingerprint)
  bool compiled = false;
  std::string payload;  ///< the compiled form's bytes, or the reason there is none
};

/// Whether `bytes` start like a compiled catalog file.
bool is_compiled_file(std::string_view bytes);
/// The file's bytes.
std::string write_compiled_file(const CompiledFile& file);
/// Reads a compiled catalog file. Throws Error(kind io) naming `path` and saying what to do when
/// it is not one, comes from another engine version, or is corrupt or truncated.
CompiledFile read_compiled_file(std::string_view bytes, const std::string& path);

}  // namespace sumisura::detail
