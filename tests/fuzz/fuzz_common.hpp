// What the fuzz targets share: tight limits, the fixed catalog the spec and session targets run
// against, and the rule they check. Bad input is answered with an Error of the kind its reader
// promises (catalog, spec, io), carrying a message; any other exception, a crash, a sanitizer
// report, a hang past -timeout or memory past -rss_limit_mb is a finding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <initializer_list>
#include <new>
#include <optional>
#include <string>

#include "sumisura/json.hpp"
#include "sumisura/sumisura.hpp"

namespace sumisura::fuzz {

inline std::string text_of(const uint8_t* data, size_t size) {
  return std::string(reinterpret_cast<const char*>(data), size);
}

[[noreturn]] inline void finding(const std::string& what) {
  std::fprintf(stderr, "\n== fuzz finding: %s\n", what.c_str());
  std::abort();
}

inline std::string kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::catalog:
      return "catalog";
    case ErrorKind::spec:
      return "spec";
    case ErrorKind::io:
      return "io";
    case ErrorKind::usage:
      return "usage";
    case ErrorKind::internal:
      return "internal";
    default:
      return std::to_string(static_cast<int>(kind));
  }
}

/// Runs `body`: true when it returned, false when it threw an Error of one of `kinds` (the
/// expected answer to bad input) or of kind limit (a time limit ran out before any answer).
/// Anything else it throws is a finding.
template <class Body>
bool expect(const char* what, std::initializer_list<ErrorKind> kinds, Body&& body) {
  try {
    body();
    return true;
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::limit) return false;
    for (ErrorKind k : kinds) {
      if (e.kind() != k) continue;
      if (std::string(e.what()).empty())
        finding(std::string(what) + ": an Error of kind " + kind_name(e.kind()) + " at " +
                e.file() + ":" + std::to_string(e.line()) + ":" + std::to_string(e.column()) +
                " without a message");
      return false;
    }
    finding(std::string(what) + ": Error of kind " + kind_name(e.kind()) + ": " + e.what());
  } catch (const std::bad_alloc&) {
    throw;  // left to libFuzzer's memory limits (-rss_limit_mb, -malloc_limit_mb)
  } catch (const std::exception& e) {
    finding(std::string(what) + ": an exception that is not sumisura::Error: " + e.what());
  }
}

/// Runs `body`, which must not throw (the input was accepted already) but for a time limit.
template <class Body>
void must(const char* what, Body&& body) {
  expect(what, {}, std::forward<Body>(body));
}

/// Limits that keep one call cheap and deterministic: a conflict budget does the bounding, the
/// seconds are only a backstop, `seconds` per call, well under libFuzzer's -timeout for all the
/// calls of one input.
inline Limits tight_limits(double seconds = 2) {
  Limits limits;
  limits.seconds = seconds;
  limits.conflicts = 2000;
  limits.max_repairs = 1;
  limits.price_seconds = 0.2;
  return limits;
}

/// catalogs/shoes.yaml, read once: the catalog the spec and session targets run against.
inline const Configurator& shoes() {
  static const Configurator configurator(load_catalog(SUMISURA_SOURCE_DIR "/catalogs/shoes.yaml"));
  return configurator;
}

/// Catalogs larger than this are only read. A few bytes can declare any size (`p cnf 85437 1`:
/// 85,437 options), and what follows reading costs time in proportion, seconds under the
/// sanitizers: that is for memory and size budgets to bound, not a finding. Below it, work that
/// grows faster than the catalog still shows (a quadratic answer was found at 85,437 options).
constexpr size_t kMaxCatalogElements = 10000;

/// A catalog or model in `format`: read it; when it reads, its JSON description and its YAML
/// (read back, equal) must be written without error; when it is valid, it must compile and
/// configure within tight limits.
inline void fuzz_catalog(const uint8_t* data, size_t size, ModelFormat format, const char* source) {
  std::string text = text_of(data, size);
  std::optional<Catalog> catalog;
  if (!expect("parse_catalog", {ErrorKind::catalog, ErrorKind::io},
              [&] { catalog = parse_catalog(text, format, source); }))
    return;
  if (catalog->options.size() + catalog->rules.size() + catalog->blocks.size() >
      kMaxCatalogElements)
    return;
  must("describe_json", [&] { (void)describe_json(*catalog); });
  std::string yaml;
  must("to_yaml", [&] { yaml = to_yaml(*catalog); });
  must("reading to_yaml back", [&] {
    Catalog back = parse_catalog(yaml, ModelFormat::yaml, "to_yaml");
    if (!(back == *catalog)) finding("to_yaml then parse_catalog gives another catalog:\n" + yaml);
  });
  if (has_errors(validate(*catalog))) return;
  std::optional<Configurator> configurator;
  if (!expect("Configurator", {ErrorKind::catalog}, [&] { configurator.emplace(*catalog); }))
    return;
  must("configure", [&] { (void)to_json(configurator->configure(Spec{}, tight_limits())); });
}

}  // namespace sumisura::fuzz
