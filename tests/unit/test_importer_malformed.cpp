// Malformed models: the corpus of tests/data/malformed, and a fuzz loop over the three importers.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "io/readers.hpp"
#include "sumisura/catalog.hpp"
#include "sumisura/check.hpp"

namespace sumisura::detail {
namespace {

namespace fs = std::filesystem;

const fs::path kMalformed = fs::path(SUMISURA_SOURCE_DIR) / "tests" / "data" / "malformed";

struct Expectation {
  int line = 0;
  std::string fragment;
};

std::map<std::string, Expectation> expectations() {
  std::map<std::string, Expectation> out;
  std::ifstream in(kMalformed / "expected.tsv");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> cells;
    std::stringstream row(line);
    for (std::string cell; std::getline(row, cell, '\t');) cells.push_back(cell);
    REQUIRE(cells.size() == 3);
    out[cells[0]] = {std::stoi(cells[1]), cells[2]};
  }
  return out;
}

std::vector<Diagnostic> read_with(ModelFormat format, const std::string& text) {
  std::vector<Diagnostic> diagnostics;
  switch (format) {
    case ModelFormat::dimacs:
      read_dimacs(text, "fuzz", diagnostics);
      break;
    case ModelFormat::xcsp:
      read_xcsp(text, "fuzz", diagnostics);
      break;
    case ModelFormat::uvl:
      read_uvl(text, "fuzz", diagnostics);
      break;
    default:
      FAIL("not an importer format");
  }
  return diagnostics;
}

const char* kDimacs =
    "c 1 front light\n"
    "c 2 basket\n"
    "p cnf 3 3\n"
    "1 -2 0\n"
    "2 3 0\n"
    "-1 -3 0\n";

const char* kXcsp =
    "<?xml version=\"1.0\"?>\n"
    "<instance>\n"
    "<presentation name=\"t\" format=\"XCSP 2.1\"/>\n"
    "<domains nbDomains=\"2\">\n"
    "<domain name=\"D\" nbValues=\"3\">0..2</domain>\n"
    "<domain name=\"E\" nbValues=\"2\">-1 4</domain>\n"
    "</domains>\n"
    "<variables nbVariables=\"2\">\n"
    "<variable name=\"x\" domain=\"D\"/>\n"
    "<variable name=\"y\" domain=\"E\"/>\n"
    "</variables>\n"
    "<relations nbRelations=\"1\">\n"
    "<relation name=\"R\" arity=\"2\" nbTuples=\"2\" semantics=\"supports\">0 -1|2 4</relation>\n"
    "</relations>\n"
    "<constraints nbConstraints=\"1\">\n"
    "<constraint name=\"C\" arity=\"2\" scope=\"x y\" reference=\"R\"/>\n"
    "</constraints>\n"
    "</instance>\n";

const char* kUvl =
    "namespace Bike\n"
    "features\n"
    "\tBike {abstract true}\n"
    "\t\tmandatory\n"
    "\t\t\tFrame\n"
    "\t\toptional\n"
    "\t\t\t\"Front light\" {featureDescription__ \"bright\"}\n"
    "\t\talternative\n"
    "\t\t\tRed\n"
    "\t\t\tBlue\n"
    "\t\t[1..2]\n"
    "\t\t\tBell\n"
    "\t\t\tHorn\n"
    "constraints\n"
    "\t\"Front light\" => (Red | !Blue) & Frame\n"
    "\tBell <=> !Horn\n";

// One random change: a truncation, flipped or inserted bytes, a deleted or duplicated piece.
std::string mutate(std::string text, std::mt19937& rng) {
  auto pick = [&](size_t n) {
    return n == 0 ? 0 : std::uniform_int_distribution<size_t>(0, n - 1)(rng);
  };
  auto byte = [&] {
    // Mostly the characters that matter to the formats, sometimes anything.
    static const std::string interesting = " \t\n\r0123456789-|<>/=\"'{}[]()!&.*`#abcxyz";
    return pick(4) == 0 ? static_cast<char>(pick(256)) : interesting[pick(interesting.size())];
  };
  switch (pick(6)) {
    case 0:
      text.resize(pick(text.size() + 1));
      break;
    case 1:
      for (int k = 0, n = 1 + static_cast<int>(pick(4)); k < n && !text.empty(); ++k)
        text[pick(text.size())] = byte();
      break;
    case 2:
      text.insert(pick(text.size() + 1), 1 + pick(3), byte());
      break;
    case 3: {
      size_t at = pick(text.size() + 1);
      text.erase(at, pick(20));
      break;
    }
    case 4: {
      size_t at = pick(text.size() + 1), length = pick(40);
      text.insert(pick(text.size() + 1), text.substr(at, length));
      break;
    }
    default: {
      std::string junk(pick(200), '\0');
      for (auto& c : junk) c = static_cast<char>(pick(256));
      text = junk;
    }
  }
  return text;
}

}  // namespace

TEST_CASE("importer reports every malformed model of tests/data/malformed with its line",
          "[importers]") {
  auto expected = expectations();
  REQUIRE(expected.size() >= 40);
  size_t seen = 0;
  for (const auto& entry : fs::directory_iterator(kMalformed)) {
    std::string name = entry.path().filename().string();
    if (name == "expected.tsv") continue;
    ++seen;
    DYNAMIC_SECTION(name) {
      auto e = expected.find(name);
      REQUIRE(e != expected.end());  // every file says what it must report
      auto format = format_from_path(name);
      REQUIRE(format);
      std::string text = read_file(entry.path().string(), kMaxModelFileBytes);
      std::vector<Diagnostic> diagnostics = read_with(*format, text);
      REQUIRE(has_errors(diagnostics));
      const Diagnostic& first =
          *std::find_if(diagnostics.begin(), diagnostics.end(),
                        [](const Diagnostic& d) { return d.severity == Severity::error; });
      INFO(first.to_string());
      CHECK(first.position.line == e->second.line);
      CHECK(first.position.column > 0);
      CHECK(first.message.find(e->second.fragment) != std::string::npos);
      CHECK(first.file == "fuzz");
      // The same through the public entry points: a report, and an Error naming the line.
      CheckReport report = check_file(entry.path().string());
      CHECK_FALSE(report.ok());
      try {
        load_catalog(entry.path().string());
        FAIL("load_catalog accepted " << name);
      } catch (const Error& error) {
        CHECK(error.kind() == ErrorKind::catalog);
        CHECK(error.line() == e->second.line);
        CHECK(error.file() == entry.path().string());
      }
    }
  }
  CHECK(seen == expected.size());
}

TEST_CASE("importer survives random junk and mutations of valid models", "[importers]") {
  std::mt19937 rng(20260501);
  const std::vector<std::pair<ModelFormat, std::string>> seeds = {
      {ModelFormat::dimacs, kDimacs}, {ModelFormat::xcsp, kXcsp}, {ModelFormat::uvl, kUvl}};
  for (const auto& [format, text] : seeds) {
    REQUIRE_FALSE(has_errors(read_with(format, text)));  // the seeds themselves are valid
  }
  size_t accepted = 0, rejected = 0;
  for (int i = 0; i < 6000; ++i) {
    const auto& [format, seed] = seeds[i % seeds.size()];
    std::string text = seed;
    for (int k = 0, n = 1 + i % 3; k < n; ++k) text = mutate(text, rng);
    try {
      Catalog c = parse_catalog(text, format, "fuzz");
      validate(c);  // whatever a reader accepts, validation must survive
      ++accepted;
    } catch (const Error& e) {
      ++rejected;
      if (e.diagnostics().empty() || e.line() <= 0) {
        FAIL("iteration " << i << ": an error without a diagnostic or a line: " << e.what()
                          << "\ninput:\n"
                          << text);
      }
    }
  }
  INFO(accepted << " mutants accepted, " << rejected << " rejected");
  CHECK(rejected > 1000);
  CHECK(accepted > 100);
}

}  // namespace sumisura::detail
