// REFERENCE.tsv of the shared benchmark folder (file, variables, constraints,
// valid_configurations, ...), as the importer tests read it, and exact counts as text.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace sumisura::proptest {

struct ReferenceTable {
  std::string header;                                    ///< the first line, as written
  std::map<std::string, std::vector<std::string>> rows;  ///< by file: every cell of its row
};

/// Reads `benchmarks`/REFERENCE.tsv (empty when absent).
ReferenceTable read_reference_table(const std::filesystem::path& benchmarks);

/// `n` in decimal digits (counts of models beyond 64 bits).
std::string to_decimal(unsigned __int128 n);

}  // namespace sumisura::proptest
