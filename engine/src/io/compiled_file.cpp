// Compiled catalog files (see compiled_file.hpp).
#include "io/compiled_file.hpp"

#include <algorithm>

#include "core/bytes.hpp"
#include "io/yaml_errors.hpp"
#include "sumisura/version.hpp"

namespace sumisura::detail {

namespace {

constexpr std::string_view kMagic = "SUMISURA-COMPILED\n";
constexpr uint32_t kContainerVersion = 1;

uint32_t format_code(ModelFormat f) {
  switch (f) {
    case ModelFormat::dimacs:
      return 1;
    case ModelFormat::xcsp:
      return 2;
    case ModelFormat::uvl:
      return 3;
    default:
      return 0;
  }
}

/// Whether bytes from the file may go into messages as they are: UTF-8 text on one line. (The
/// catalog name becomes the file of every error and position: a NUL in it emptied what().)
bool is_one_line_of_text(const std::string& s) {
  return first_non_text_byte(s) == std::string::npos &&
         std::none_of(s.begin(), s.end(), [](char c) {
           auto u = static_cast<unsigned char>(c);
           return u < 0x20 || u == 0x7F;
         });
}

}  // namespace

bool is_compiled_file(std::string_view bytes) {
  return bytes.substr(0, kMagic.size()) == kMagic;
}

std::string write_compiled_file(const CompiledFile& file) {
  ByteWriter w;
  w.raw(kMagic.data(), kMagic.size());
  w.u32(kContainerVersion);
  w.bytes(version());
  w.u32(format_code(file.catalog_format));
  w.bytes(file.catalog_name);
  w.bytes(file.catalog_text);
  w.u64(file.fingerprint);
  w.u8(file.compiled ? 1 : 0);
  w.bytes(file.payload);
  uint64_t checksum = hash_bytes(w.str());
  w.u64(checksum);
  return std::move(w.str());
}

CompiledFile read_compiled_file(std::string_view bytes, const std::string& path) {
  const std::string recompile =
      "; compile the catalog again with `sumisura compile MODEL -o " + path + "`";
  if (!is_compiled_file(bytes))
    throw Error(ErrorKind::io, "not a compiled catalog file (it does not start with " +
                                   std::string("SUMISURA-COMPILED)"),
                path);
  CompiledFile f;
  try {
    ByteReader r(bytes.substr(kMagic.size()));
    uint32_t version_read = r.u32("container version");
    if (version_read != kContainerVersion)
      throw Error(ErrorKind::io,
                  "compiled by another version of Sumisura (file format " +
                      std::to_string(version_read) + ", this engine reads " +
                      std::to_string(kContainerVersion) + ")" + recompile,
                  path);
    f.engine_version = std::string(r.bytes("engine version"));
    // Checksum before anything else is trusted: a flipped bit anywhere is caught here.
    if (bytes.size() < kMagic.size() + 8)
      throw Error(ErrorKind::io, "the compiled file is truncated" + recompile, path);
    uint64_t stored;
    std::memcpy(&stored, bytes.data() + bytes.size() - 8, 8);
    if (hash_bytes(bytes.substr(0, bytes.size() - 8)) != stored)
      throw Error(ErrorKind::io,
                  "the compiled file is corrupt or truncated (its checksum does not match)" +
                      recompile,
                  path);
    if (f.engine_version != version())
      throw Error(ErrorKind::io,
                  "compiled by Sumisura " +
                      (is_one_line_of_text(f.engine_version) ? f.engine_version
                                                             : "of an unreadable version") +
                      ", not by this engine (" + version() + ")" + recompile,
                  path);
    uint32_t format = r.u32("catalog format");
    if (format > 3) throw ByteError("unknown catalog format");
    f.catalog_format = format == 1   ? ModelFormat::dimacs
                       : format == 2 ? ModelFormat::xcsp
                       : format == 3 ? ModelFormat::uvl
                                     : ModelFormat::yaml;
    f.catalog_name = std::string(r.bytes("catalog name"));
    if (!is_one_line_of_text(f.catalog_name)) throw ByteError("the catalog name is not text");
    f.catalog_text = std::string(r.bytes("catalog"));
    f.fingerprint = r.u64("fingerprint");
    uint8_t compiled = r.u8("compiled flag");
    if (compiled > 1) throw ByteError("compiled flag");
    f.compiled = compiled == 1;
    f.payload = std::string(r.bytes("compiled form"));
    if (r.left() != 8) throw ByteError("bytes after the compiled form");
  } catch (const ByteError& e) {
    throw Error(ErrorKind::io,
                std::string("the compiled file is malformed (") + e.what() + ")" + recompile, path);
  }
  return f;
}

}  // namespace sumisura::detail
