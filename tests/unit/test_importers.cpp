// The importers on every shared model (REFERENCE.tsv counts), their mapping, and YAML round trips.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "io/readers.hpp"
#include "reference_table.hpp"
#include "sumisura/catalog.hpp"
#include "sumisura/check.hpp"

namespace sumisura::detail {
namespace {

namespace fs = std::filesystem;

const fs::path kBenchmarks = SUMISURA_BENCHMARKS_DIR;

struct Reference {
  size_t variables = 0, constraints = 0;
};

// REFERENCE.tsv by file ("csp/renault-big.xml"): the variables and constraints columns.
std::map<std::string, Reference> reference_rows() {
  std::map<std::string, Reference> rows;
  proptest::ReferenceTable table = proptest::read_reference_table(kBenchmarks);
  REQUIRE(table.header.rfind("file\tvariables\tconstraints", 0) == 0);
  for (const auto& [file, cells] : table.rows) {
    if (cells.size() < 3) continue;
    rows[file] = {std::stoul(cells[1]), std::stoul(cells[2])};
  }
  return rows;
}

// The files of a shared folder with one of the extensions, sorted; empty (with a warning) when the
// folder is absent.
std::vector<fs::path> shared_files(const std::string& folder, std::set<std::string> extensions) {
  std::vector<fs::path> files;
  fs::path dir = kBenchmarks / folder;
  if (!fs::exists(dir)) {
    WARN("skipped: " << dir.string() << " is absent");
    return files;
  }
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (extensions.count(entry.path().extension().string())) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string shared_name(const fs::path& path) {
  return path.parent_path().filename().string() + "/" + path.filename().string();
}

// Reads a shared file as `sumisura check` does: read, then validate; no error may come out.
CheckReport checked(const fs::path& path) {
  CheckReport report = check_file(path.string());
  for (const auto& d : report.diagnostics) {
    if (d.severity == Severity::error) FAIL_CHECK(d.to_string());
  }
  REQUIRE(report.readable);
  return report;
}

size_t rules_with_prefix(const Catalog& c, const std::string& prefix) {
  return std::count_if(c.rules.begin(), c.rules.end(),
                       [&](const Rule& r) { return r.id.rfind(prefix, 0) == 0; });
}

Catalog read(const std::string& text, ModelFormat format) {
  return parse_catalog(text, format, "test");
}

void round_trip(const fs::path& path) {
  Catalog original = load_catalog(path.string());
  Catalog back = parse_catalog(to_yaml(original), ModelFormat::yaml, "round-trip.yaml");
  CHECK(back.options.size() == original.options.size());
  CHECK(back.rules.size() == original.rules.size());
  CHECK(back == original);
}

}  // namespace

TEST_CASE("importer reads every shared DIMACS model with the counts of REFERENCE.tsv",
          "[importers]") {
  auto files = shared_files("cnf", {".dimacs", ".cnf"});
  if (files.empty()) return;
  auto reference = reference_rows();
  for (const auto& path : files) {
    DYNAMIC_SECTION(shared_name(path)) {
      CheckReport report = checked(path);
      auto row = reference.find(shared_name(path));
      if (row != reference.end()) {
        CHECK(report.summary.options == row->second.variables);
        CHECK(report.summary.rules == row->second.constraints);
      }
      for (const auto& o : report.catalog.options) {
        REQUIRE(o.kind == OptionKind::boolean);
        REQUIRE(o.values.size() == 2);
      }
    }
  }
}

TEST_CASE("importer reads every shared XCSP model with the counts of REFERENCE.tsv",
          "[importers]") {
  auto files = shared_files("csp", {".xml"});
  if (files.empty()) return;
  auto reference = reference_rows();
  for (const auto& path : files) {
    DYNAMIC_SECTION(shared_name(path)) {
      CheckReport report = checked(path);
      auto row = reference.find(shared_name(path));
      REQUIRE(row != reference.end());
      CHECK(report.summary.options == row->second.variables);
      CHECK(report.summary.rules == row->second.constraints);
      for (const auto& o : report.catalog.options) {
        REQUIRE(o.kind == OptionKind::integer);
        for (const auto& v : o.values)
          REQUIRE((v.value.is_number() && v.value.as_number().is_integer()));
      }
      for (const auto& r : report.catalog.rules) {
        REQUIRE(r.kind == RuleKind::table);
        REQUIRE_FALSE(r.message.empty());  // generated: which columns the table binds
        REQUIRE(r.where.line > 0);
        for (const auto& tuple : r.rows) REQUIRE(tuple.size() == r.columns.size());
      }
    }
  }
}

TEST_CASE("importer maps the details of the shared XCSP models", "[importers]") {
  if (!fs::exists(kBenchmarks / "csp")) {
    WARN("skipped: " << (kBenchmarks / "csp").string() << " is absent");
    return;
  }
  SECTION("renault-megane: ranges, a one-value domain, supports and conflicts") {
    Catalog c = load_catalog((kBenchmarks / "csp" / "renault-megane.xml").string());
    REQUIRE(c.options.size() == 99);
    CHECK(c.options[0].id == "1");  // <variable domain="D0" name="1"/>, D0 = 0..8
    CHECK(c.options[0].values.size() == 9);
    CHECK(c.options[0].range_min == 0);
    CHECK(c.options[0].range_max == 8);
    CHECK(c.options[9].values.size() == 1);  // D5 = "0"
    CHECK(c.options[9].values[0].value == Value::integer(0));
    const Rule& first = c.rules[0];  // <constraint arity="9" name="C0" reference="R0" .../>
    CHECK(first.id == "C0");
    CHECK(first.columns ==
          std::vector<std::string>{"1", "3", "81", "94", "95", "96", "99", "100", "101"});
    CHECK(first.rows.size() == 164);
    CHECK(first.rows[0] == std::vector<std::string>{"0", "0", "0", "1", "3", "7", "1", "13", "6"});
    CHECK(first.rows_allowed);
    size_t conflicts = std::count_if(c.rules.begin(), c.rules.end(),
                                     [](const Rule& r) { return !r.rows_allowed; });
    CHECK(conflicts > 0);
  }
  SECTION("renault-medium: the joker value -1") {
    Catalog c = load_catalog((kBenchmarks / "csp" / "renault-medium.xml").string());
    auto v7 = std::find_if(c.options.begin(), c.options.end(),
                           [](const Option& o) { return o.id == "v7"; });
    REQUIRE(v7 != c.options.end());
    REQUIRE(v7->values.size() == 2);
    CHECK(v7->values[0].value == Value::integer(-1));
    bool joker_cell = false;
    for (const auto& r : c.rules) {
      for (const auto& row : r.rows)
        joker_cell |= std::find(row.begin(), row.end(), "-1") != row.end();
    }
    CHECK(joker_cell);
  }
}

TEST_CASE("importer reads every shared UVL model and compares its features with the CNF version",
          "[importers]") {
  // Features and cross-tree constraints as the files have them (grep the `constraints` section:
  // one constraint per non-blank line), and the variables of the CNF file of the same model.
  // automotive01 and linux name exactly the CNF's variables; financialservices has as many under
  // other (re-encoded) names; pc-richmond is a slightly different version of the model (364
  // features against 377 variables; e.g. "4x USB3,0" against "4x USB3.0"); automotive02 is a
  // different encoding of the model (18,616 features against 14,010 variables).
  struct Expected {
    size_t features, constraints, cnf_variables, shared_names;
  };
  const std::map<std::string, Expected> expected = {
      {"automotive01", {2513, 2833, 2513, 2513}},
      {"automotive02", {18616, 1369, 14010, 8598}},
      {"ecos", {1245, 3146, 0, 0}},
      {"financialservices", {771, 1080, 771, 0}},
      {"linux-2.6.33.3", {6467, 3545, 6467, 6467}},
      {"pc-richmond", {364, 12, 377, 359}},
  };
  auto files = shared_files("uvl", {".uvl"});
  if (files.empty()) return;
  for (const auto& path : files) {
    DYNAMIC_SECTION(shared_name(path)) {
      CheckReport report = checked(path);
      const Catalog& c = report.catalog;
      std::string model = path.stem().string();
      size_t constraints = rules_with_prefix(c, "constraint-");
      size_t tree = rules_with_prefix(c, "tree-");
      INFO(model << ": " << c.options.size() << " features, " << constraints
                 << " cross-tree constraints, " << tree << " tree rules");
      CHECK(tree + constraints == c.rules.size());
      for (const auto& o : c.options) REQUIRE(o.kind == OptionKind::boolean);
      auto e = expected.find(model);
      if (e == expected.end()) {
        WARN("no expected figures for " << model << ": " << c.options.size() << " features, "
                                        << constraints << " constraints");
        continue;
      }
      CHECK(c.options.size() == e->second.features);
      CHECK(constraints == e->second.constraints);
      // Every feature but the root has a rule "child implies parent".
      CHECK(tree >= c.options.size());
      fs::path cnf = kBenchmarks / "cnf" / (model + ".dimacs");
      if (e->second.cnf_variables == 0 || !fs::exists(cnf)) continue;
      Catalog dimacs = load_catalog(cnf.string());
      CHECK(dimacs.options.size() == e->second.cnf_variables);
      std::set<std::string> names;
      for (const auto& o : dimacs.options) names.insert(o.id);
      size_t shared = std::count_if(c.options.begin(), c.options.end(),
                                    [&](const Option& o) { return names.count(o.id); });
      CHECK(shared == e->second.shared_names);
    }
  }
}

TEST_CASE("importer keeps DIMACS names whole and names the others by number", "[importers]") {
  Catalog c = read(
      "c a comment line\n"
      "c 1 front light+\n"
      "c 2 CONFIG_X/Y\n"
      "c 3 a - b\n"
      "c 5 `tick` and \"quote\"\n"
      "p cnf 5 3\n"
      "1 -2 0\n"
      "3 4 -5 0\n"
      "-1 0\n",
      ModelFormat::dimacs);
  REQUIRE(c.options.size() == 5);
  CHECK(c.options[0].id == "front light+");
  CHECK(c.options[1].id == "CONFIG_X/Y");
  CHECK(c.options[2].id == "a - b");
  CHECK(c.options[3].id == "4");
  CHECK(c.options[4].id == "`tick` and \"quote\"");
  REQUIRE(c.rules.size() == 3);
  CHECK(c.rules[0].expression == "`front light+` or not `CONFIG_X/Y`");
  CHECK(c.rules[1].expression == "`a - b` or `4` or not ```tick`` and \"quote\"`");
  CHECK(c.rules[2].expression == "not `front light+`");
  // Warnings may come (imported rules have no message); errors may not.
  CHECK_FALSE(has_errors(validate(c)));
}

TEST_CASE("importer maps XCSP domains and relations and constraints", "[importers]") {
  const std::string text = R"(<?xml version="1.0" encoding="UTF-8"?>
<!-- a comment before the root -->
<instance>
  <presentation name="tiny" format="XCSP 2.1"><description>free text &amp; more</description></presentation>
  <domains nbDomains="2">
    <domain name="D0" nbValues="6">-2..0 5 7..8</domain>
    <domain name="D1" nbValues="3">0..2</domain>
  </domains>
  <variables nbVariables="3">
    <variable name="x" domain="D0"/>
    <variable name="y" domain="D1"/>
    <variable name="z-1" domain="D1"></variable>
  </variables>
  <relations nbRelations="2">
    <relation name="R" arity="2" nbTuples="3" semantics="supports">-2 0|5 1|
      8 2</relation>
    <relation name="N" arity="2" nbTuples="1" semantics="conflicts">0 0</relation>
  </relations>
  <constraints nbConstraints="2">
    <constraint name="C1" arity="2" scope="x y" reference="R"/>
    <constraint name="C2" arity="2" scope="y  z-1" reference="N"/>
  </constraints>
</instance>
)";
  std::vector<Diagnostic> diagnostics;
  Catalog c = read_xcsp(text, "tiny.xml", diagnostics);
  for (const auto& d : diagnostics) FAIL_CHECK(d.to_string());
  CHECK(c.name == "tiny");
  REQUIRE(c.options.size() == 3);
  std::vector<Value> x;
  for (const auto& v : c.options[0].values) x.push_back(v.value);
  CHECK(x == std::vector<Value>{Value::integer(-2), Value::integer(-1), Value::integer(0),
                                Value::integer(5), Value::integer(7), Value::integer(8)});
  CHECK_FALSE(c.options[0].range_min.has_value());  // not written as one range
  CHECK(c.options[1].range_min == 0);
  CHECK(c.options[1].range_max == 2);
  CHECK(c.options[0].where.line == 10);
  REQUIRE(c.rules.size() == 2);
  CHECK(c.rules[0].id == "C1");
  CHECK(c.rules[0].kind == RuleKind::table);
  CHECK(c.rules[0].columns == std::vector<std::string>{"x", "y"});
  CHECK(c.rules[0].rows ==
        std::vector<std::vector<std::string>>{{"-2", "0"}, {"5", "1"}, {"8", "2"}});
  CHECK(c.rules[0].rows_allowed);
  CHECK(c.rules[0].message == "only some combinations of x, y are possible");
  CHECK(c.rules[0].where.line == 20);
  CHECK(c.rules[1].columns == std::vector<std::string>{"y", "z-1"});
  CHECK_FALSE(c.rules[1].rows_allowed);
}

TEST_CASE("importer maps the UVL tree and constraints to rules", "[importers]") {
  const std::string text =
      "namespace Shop\n"
      "\n"
      "features\n"
      "    Shop {abstract true}\n"
      "        mandatory\n"
      "            Frame {featureDescription__ \"the frame\"}\n"
      "        optional\n"
      "            \"Front light\"\n"
      "            Basket\n"
      "        alternative\n"
      "            Red\n"
      "            Blue\n"
      "        or\n"
      "            Bell\n"
      "            Horn\n"
      "        [1..2]\n"
      "            A\n"
      "            B\n"
      "            C\n"
      "        [2..*]\n"
      "            D\n"
      "            E\n"
      "\n"
      "constraints\n"
      "    \"Front light\" => Basket | !Red & Blue\n"
      "    (A => B) => C\n"
      "    A => (B => C)\n"
      "    !(A <=> B) <=> C // a comment\n"
      "    !!A\n";
  std::vector<Diagnostic> diagnostics;
  Catalog c = read_uvl(text, "shop.uvl", diagnostics);
  for (const auto& d : diagnostics) FAIL_CHECK(d.to_string());
  CHECK(c.name == "Shop");
  REQUIRE(c.options.size() == 13);
  CHECK(c.options[1].id == "Frame");
  CHECK(c.options[1].description == "the frame");
  CHECK(c.options[2].id == "Front light");
  CHECK(c.options[2].where.line == 8);
  std::map<std::string, std::string> rule;
  std::map<std::string, int> line;
  for (const auto& r : c.rules) {
    CHECK(r.kind == RuleKind::require);
    rule[r.id] = r.expression;
    line[r.id] = r.where.line;
  }
  std::vector<std::string> expressions;
  for (const auto& r : c.rules) expressions.push_back(r.expression);
  std::vector<std::string> expected = {
      "Shop",
      "Frame implies Shop",
      "Shop implies Frame",
      "`Front light` implies Shop",
      "Basket implies Shop",
      "Red implies Shop",
      "Blue implies Shop",
      "Shop implies count(Red, Blue) == 1",
      "Bell implies Shop",
      "Horn implies Shop",
      "Shop implies (Bell or Horn)",
      "A implies Shop",
      "B implies Shop",
      "C implies Shop",
      "Shop implies (1 <= count(A, B, C) and count(A, B, C) <= 2)",
      "D implies Shop",
      "E implies Shop",
      "Shop implies 2 <= count(D, E)",
      "`Front light` implies Basket or not Red and Blue",
      "(A implies B) implies C",
      "A implies (B implies C)",
      "not (A iff B) iff C",
      "not not A",
  };
  CHECK(expressions == expected);
  CHECK(c.rules.front().id == "tree-1");
  CHECK(c.rules[18].id == "constraint-1");
  CHECK(c.rules[18].where.line == 25);
  CHECK(c.rules[7].where.line == 10);  // the alternative group's line
  CHECK_FALSE(has_errors(validate(c)));
}

TEST_CASE("importer reads UVL with tabs and CRLF and comments and a single-value cardinality",
          "[importers]") {
  std::vector<Diagnostic> diagnostics;
  Catalog c = read_uvl(
      "// leading comment\r\nfeatures\r\n"
      "\tRoot {abstract true,\r\n\t\tdescription 'on two lines'}\r\n"  // attributes may span lines
      "\t\t[2]\r\n\t\t\tX /* inline */\r\n\t\t\tY\r\n\t\t\tZ\r\n",
      "t.uvl", diagnostics);
  for (const auto& d : diagnostics) FAIL_CHECK(d.to_string());
  REQUIRE(c.rules.size() == 5);
  CHECK(c.rules[4].expression == "Root implies (2 <= count(X, Y, Z) and count(X, Y, Z) <= 2)");
  CHECK(c.name == "t.uvl");
  CHECK(c.options[0].description == "on two lines");
}

TEST_CASE("importer accepts a UTF-8 byte order mark", "[importers]") {
  std::vector<Diagnostic> diagnostics;
  Catalog uvl = read_uvl(
      "\xEF\xBB\xBF"
      "features\n\tRoot\n",
      "bom.uvl", diagnostics);
  Catalog xcsp = read_xcsp(
      "\xEF\xBB\xBF"
      "<?xml version=\"1.0\"?><instance><domains><domain name=\"D\">0</domain></domains>"
      "<variables><variable name=\"x\" domain=\"D\"/></variables></instance>",
      "bom.xml", diagnostics);
  for (const auto& d : diagnostics) FAIL_CHECK(d.to_string());
  CHECK(uvl.options.size() == 1);
  CHECK(xcsp.options.size() == 1);
}

TEST_CASE("importer round trip: every shared model converts to YAML and back unchanged",
          "[importers]") {
  // The two largest take several seconds and most of a gigabyte in yaml-cpp: see the [.slow] case.
  const std::set<std::string> slow = {"automotive02.dimacs", "renault-big.xml"};
  for (const auto& [folder, extensions] :
       std::vector<std::pair<std::string, std::set<std::string>>>{
           {"cnf", {".dimacs", ".cnf"}}, {"csp", {".xml"}}, {"uvl", {".uvl"}}}) {
    for (const auto& path : shared_files(folder, extensions)) {
      if (slow.count(path.filename().string())) continue;
      DYNAMIC_SECTION(shared_name(path)) {
        round_trip(path);
      }
    }
  }
}

TEST_CASE("importer round trip: the largest shared models", "[importers][.slow]") {
  for (std::string file : {"cnf/automotive02.dimacs", "csp/renault-big.xml"}) {
    fs::path path = kBenchmarks / file;
    if (!fs::exists(path)) {
      WARN("skipped: " << path.string() << " is absent");
      continue;
    }
    DYNAMIC_SECTION(file) {
      round_trip(path);
    }
  }
}

}  // namespace sumisura::detail
