// REFERENCE.tsv (see reference_table.hpp).
#include "reference_table.hpp"

#include <fstream>
#include <sstream>

namespace sumisura::proptest {

ReferenceTable read_reference_table(const std::filesystem::path& benchmarks) {
  ReferenceTable table;
  std::ifstream in(benchmarks / "REFERENCE.tsv");
  std::getline(in, table.header);
  for (std::string line; std::getline(in, line);) {
    std::vector<std::string> cells;
    std::stringstream row(line);
    for (std::string cell; std::getline(row, cell, '\t');) cells.push_back(cell);
    if (!cells.empty()) table.rows[cells[0]] = std::move(cells);
  }
  return table;
}

std::string to_decimal(unsigned __int128 n) {
  if (n == 0) return "0";
  std::string digits;
  while (n > 0) {
    digits += static_cast<char>('0' + static_cast<int>(n % 10));
    n /= 10;
  }
  return {digits.rbegin(), digits.rend()};
}

}  // namespace sumisura::proptest
