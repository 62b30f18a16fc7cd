// Choosing a reader by format, reading files safely.
#include <sys/stat.h>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "io/compiled_file.hpp"
#include "io/readers.hpp"
#include "io/yaml_errors.hpp"
#include "sumisura/catalog.hpp"

namespace sumisura {
namespace detail {

std::string read_file(const std::string& path, size_t max_bytes) {
  // `-` is standard input (a pipe: `... | sumisura configure CATALOG --spec -`).
  const bool from_stdin = path == "-";
  struct stat info {};
  if (from_stdin) {
    if (::fstat(0, &info) != 0) info.st_mode = S_IFIFO;
  } else if (::stat(path.c_str(), &info) != 0)
    throw Error(ErrorKind::io,
                std::string("cannot open the file (") + std::strerror(errno) + "): check the path",
                path);
  if (S_ISDIR(info.st_mode)) throw Error(ErrorKind::io, "this is a folder: give a file", path);
  std::FILE* f = from_stdin ? stdin : std::fopen(path.c_str(), "rb");
  if (!f)
    throw Error(ErrorKind::io, std::string("cannot open the file (") + std::strerror(errno) + ")",
                path);
  auto close = [&] {
    if (!from_stdin) std::fclose(f);
  };
  // Read to the end rather than trusting the size the file system reports: pipes and /proc
  // files report none.
  std::string text;
  if (S_ISREG(info.st_mode) && static_cast<uint64_t>(info.st_size) <= max_bytes)
    text.reserve(static_cast<size_t>(info.st_size));
  char buffer[1 << 16];
  size_t got = 0;
  while ((got = std::fread(buffer, 1, sizeof buffer, f)) > 0) {
    if (text.size() + got > max_bytes) {
      close();
      throw Error(ErrorKind::catalog,
                  "file is larger than " + std::to_string(max_bytes >> 20) +
                      " MiB; this is not a catalog Sumisura can read",
                  path);
    }
    text.append(buffer, got);
  }
  bool failed = std::ferror(f) != 0;
  int saved = errno;
  close();
  if (failed)
    throw Error(ErrorKind::io, std::string("cannot read the file (") + std::strerror(saved) + ")",
                path);
  return text;
}

void write_file(const std::string& path, std::string_view bytes) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f)
    throw Error(ErrorKind::io,
                std::string("cannot write the file (") + std::strerror(errno) +
                    "): check the folder exists and is writable",
                path);
  size_t written = bytes.empty() ? 0 : std::fwrite(bytes.data(), 1, bytes.size(), f);
  int saved = errno;
  bool ok = written == bytes.size() && std::fflush(f) == 0;
  if (!ok) saved = errno;
  if (std::fclose(f) != 0 && ok) {
    ok = false;
    saved = errno;
  }
  if (!ok)
    throw Error(ErrorKind::io,
                std::string("error while writing the file (") + std::strerror(saved) +
                    "); it is incomplete",
                path);
}

}  // namespace detail

namespace {

std::string lower_extension(const std::string& path) {
  auto slash = path.find_last_of("/\\");
  auto dot = path.find_last_of('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return "";
  std::string ext = path.substr(dot + 1);
  for (auto& c : ext) c = std::tolower(static_cast<unsigned char>(c));
  return ext;
}

}  // namespace

Catalog detail::read_any(ModelFormat format, const std::string& text, const std::string& source,
                         std::vector<Diagnostic>& diagnostics) {
  // The one place every text reader goes through: names, labels and messages that reach answers
  // (JSON, YAML) are valid UTF-8 from here on, whatever the format.
  if (format != ModelFormat::compiled) {
    if (size_t bad = detail::first_non_text_byte(text); bad != std::string::npos) {
      Catalog empty;
      empty.source = source;
      diagnostics.push_back(
          {Severity::error, source, detail::position_of(text, bad),
           "this is not a text file: byte " + std::to_string(bad + 1) +
               " is not UTF-8 text (models and catalogs are UTF-8 text; was a binary or a file in "
               "another encoding given? convert it, e.g. iconv -f latin1 -t utf-8)"});
      return empty;
    }
  }
  switch (format) {
    case ModelFormat::dimacs:
      return detail::read_dimacs(text, source, diagnostics);
    case ModelFormat::xcsp:
      return detail::read_xcsp(text, source, diagnostics);
    case ModelFormat::uvl:
      return detail::read_uvl(text, source, diagnostics);
    case ModelFormat::compiled: {
      // The catalog inside, read in its own format (positions refer to that text).
      CompiledFile file = read_compiled_file(text, source);
      if (file.catalog_format == ModelFormat::compiled) break;
      return read_any(file.catalog_format, file.catalog_text, source, diagnostics);
    }
    case ModelFormat::yaml:
    case ModelFormat::automatic:
      break;
  }
  return detail::read_yaml_catalog(text, source, diagnostics);
}

namespace {

ModelFormat resolve_format(const std::string& path, ModelFormat format) {
  if (format != ModelFormat::automatic) return format;
  if (auto f = format_from_path(path)) return *f;
  throw Error(
      ErrorKind::catalog,
      "cannot tell the format of " + path +
          " from its extension (.yaml, .yml, .dimacs, .cnf, .xml, .uvl, .sumisura); give --format",
      path);
}

}  // namespace

std::optional<ModelFormat> format_from_path(const std::string& path) {
  std::string ext = lower_extension(path);
  if (ext == "yaml" || ext == "yml") return ModelFormat::yaml;
  if (ext == "dimacs" || ext == "cnf") return ModelFormat::dimacs;
  if (ext == "xml" || ext == "xcsp") return ModelFormat::xcsp;
  if (ext == "uvl") return ModelFormat::uvl;
  if (ext == "sumisura") return ModelFormat::compiled;
  return std::nullopt;
}

std::optional<ModelFormat> format_from_name(const std::string& name) {
  if (name == "yaml" || name == "yml") return ModelFormat::yaml;
  if (name == "dimacs" || name == "cnf") return ModelFormat::dimacs;
  if (name == "xcsp" || name == "xml") return ModelFormat::xcsp;
  if (name == "uvl") return ModelFormat::uvl;
  if (name == "compiled") return ModelFormat::compiled;
  if (name == "auto" || name == "automatic") return ModelFormat::automatic;
  return std::nullopt;
}

Catalog parse_catalog(const std::string& text, ModelFormat format, const std::string& source_name) {
  std::vector<Diagnostic> diagnostics;
  Catalog catalog = detail::read_any(format, text, source_name, diagnostics);
  if (has_errors(diagnostics)) {
    const Diagnostic* first = nullptr;
    for (const auto& d : diagnostics) {
      if (d.severity == Severity::error) {
        first = &d;
        break;
      }
    }
    std::string message = first->message;
    size_t errors = 0;
    for (const auto& d : diagnostics) errors += d.severity == Severity::error;
    if (errors > 1) message += " (and " + std::to_string(errors - 1) + " more problems)";
    throw Error(ErrorKind::catalog, message, first->file, first->position, std::move(diagnostics));
  }
  return catalog;
}

ModelFormat detail::sniff_format(const std::string& path, const std::string& text,
                                 ModelFormat format) {
  if (format == ModelFormat::automatic && is_compiled_file(text)) return ModelFormat::compiled;
  return resolve_format(path, format);
}

Catalog load_catalog(const std::string& path, ModelFormat format) {
  std::string text = detail::read_file(path, detail::kMaxModelFileBytes);
  return parse_catalog(text, detail::sniff_format(path, text, format), path);
}

}  // namespace sumisura
