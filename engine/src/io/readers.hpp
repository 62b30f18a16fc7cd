// The catalog readers and writers, behind one internal interface. Only io/ knows file formats.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sumisura/catalog.hpp"

namespace sumisura::detail {

/// Reads Sumisura's YAML catalog format. Structural problems (malformed YAML, wrong node types,
/// unknown keys, malformed numbers) go to `diagnostics`; the catalog holds whatever could be read.
Catalog read_yaml_catalog(const std::string& text, const std::string& source,
                          std::vector<Diagnostic>& diagnostics);

/// Imported model formats (see docs/importers.md). Same contract as read_yaml_catalog.
Catalog read_dimacs(const std::string& text, const std::string& source,
                    std::vector<Diagnostic>& diagnostics);
Catalog read_xcsp(const std::string& text, const std::string& source,
                  std::vector<Diagnostic>& diagnostics);
Catalog read_uvl(const std::string& text, const std::string& source,
                 std::vector<Diagnostic>& diagnostics);

/// Reads text in `format` (automatic counts as YAML) with the reader for that format.
Catalog read_any(ModelFormat format, const std::string& text, const std::string& source,
                 std::vector<Diagnostic>& diagnostics);

/// The format of a file: compiled catalog files by their content, the others as `format` says or,
/// when automatic, by extension. Throws Error(kind catalog) when the extension says nothing.
ModelFormat sniff_format(const std::string& path, const std::string& text, ModelFormat format);

/// Reads a file whole (`-`: standard input); throws Error(kind io) when it cannot, Error(kind
/// catalog) when it is larger than `max_bytes`.
std::string read_file(const std::string& path, size_t max_bytes);

/// Writes `bytes` to a file, checking every step (open, write, flush, close): a full disk or an
/// unwritable folder is Error(kind io) naming the file, never a silent short file.
void write_file(const std::string& path, std::string_view bytes);

/// Largest file any reader accepts: a guard against mistakes, far above any real catalog.
constexpr size_t kMaxModelFileBytes = size_t{1} << 30;

}  // namespace sumisura::detail
