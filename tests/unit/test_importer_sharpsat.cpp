// The DIMACS importer keeps the model: an independent #SAT counter, and the clauses read back.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <optional>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "reference_table.hpp"
#include "sumisura/catalog.hpp"

namespace sumisura::detail {
namespace {

namespace fs = std::filesystem;
using Clause = std::vector<int>;
using Clauses = std::vector<Clause>;
using Count = unsigned __int128;  // exact for formulas of up to 127 variables

const fs::path kBenchmarks = SUMISURA_BENCHMARKS_DIR;

using proptest::to_decimal;

// The valid_configurations column of REFERENCE.tsv, by file ("cnf/vp9.dimacs").
std::map<std::string, std::string> reference_counts() {
  std::map<std::string, std::string> counts;
  for (const auto& [file, cells] : proptest::read_reference_table(kBenchmarks).rows) {
    if (cells.size() >= 4) counts[file] = cells[3];
  }
  return counts;
}

// A DIMACS file as the test reads it: its own parser, deliberately simple.
struct Cnf {
  int vars = 0;
  Clauses clauses;
  std::map<int, std::string> names;  // from "c <id> <name>" lines
};

Cnf parse_dimacs(const fs::path& path) {
  std::ifstream in(path);
  Cnf cnf;
  std::string line;
  Clause clause;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind("c ", 0) == 0) {
      size_t space = line.find(' ', 2);
      if (space == std::string::npos) continue;
      std::string id = line.substr(2, space - 2);
      if (!id.empty() && std::all_of(id.begin(), id.end(), ::isdigit))
        cnf.names[std::stoi(id)] = line.substr(space + 1);
      continue;
    }
    if (line.empty() || line[0] == 'c') continue;
    std::istringstream words(line);
    if (line[0] == 'p') {
      std::string p, kind;
      int declared_clauses = 0;
      words >> p >> kind >> cnf.vars >> declared_clauses;
      continue;
    }
    for (int lit; words >> lit;) {
      if (lit == 0) {
        cnf.clauses.push_back(clause);
        clause.clear();
      } else {
        clause.push_back(lit);
      }
    }
  }
  return cnf;
}

// #SAT by DPLL: unit propagation, connected components, and a cache of solved components. It and
// parse_dimacs share no code with the engine: only the catalog they are compared with comes from
// it.
class ModelCounter {
 public:
  Count count(const Cnf& cnf) {
    Clause units;
    for (const auto& c : cnf.clauses) {
      if (c.empty()) return 0;
      if (c.size() == 1) units.push_back(c[0]);
    }
    std::vector<int> assigned;
    auto rest = condition(cnf.clauses, units, assigned);
    if (!rest) return 0;
    int free =
        cnf.vars - static_cast<int>(assigned.size()) - static_cast<int>(variables(*rest).size());
    return (Count{1} << free) * count_all(*rest);
  }

 private:
  static std::vector<int> variables(const Clauses& clauses) {
    std::vector<int> vars;
    for (const auto& c : clauses) {
      for (int lit : c) vars.push_back(std::abs(lit));
    }
    std::sort(vars.begin(), vars.end());
    vars.erase(std::unique(vars.begin(), vars.end()), vars.end());
    return vars;
  }

  // The clauses under the literals `lits` and every unit they imply; nothing on a conflict.
  // Satisfied clauses go, false literals go; `assigned` gets each variable given a value.
  static std::optional<Clauses> condition(const Clauses& in, Clause lits,
                                          std::vector<int>& assigned) {
    std::unordered_map<int, bool> value;
    Clauses current = in;
    while (!lits.empty()) {
      for (int lit : lits) {
        auto [it, fresh] = value.emplace(std::abs(lit), lit > 0);
        if (!fresh && it->second != (lit > 0)) return std::nullopt;
        if (fresh) assigned.push_back(std::abs(lit));
      }
      lits.clear();
      Clauses next;
      for (const auto& c : current) {
        Clause rest;
        bool satisfied = false;
        for (int lit : c) {
          auto it = value.find(std::abs(lit));
          if (it == value.end())
            rest.push_back(lit);
          else if (it->second == (lit > 0))
            satisfied = true;
        }
        if (satisfied) continue;
        if (rest.empty()) return std::nullopt;
        if (rest.size() == 1) lits.push_back(rest[0]);
        next.push_back(std::move(rest));
      }
      current = std::move(next);
    }
    return current;
  }

  // Product over the connected components (clauses sharing variables).
  Count count_all(const Clauses& clauses) {
    if (clauses.empty()) return 1;
    std::vector<int> vars = variables(clauses);
    std::unordered_map<int, int> parent;
    for (int v : vars) parent[v] = v;
    auto find = [&](int v) {
      while (parent[v] != v) v = parent[v] = parent[parent[v]];
      return v;
    };
    for (const auto& c : clauses) {
      for (int lit : c) parent[find(std::abs(lit))] = find(std::abs(c[0]));
    }
    std::map<int, Clauses> components;
    for (const auto& c : clauses) components[find(std::abs(c[0]))].push_back(c);
    Count total = 1;
    for (auto& [root, component] : components) {
      total *= count_component(component);
      if (total == 0) return 0;
    }
    return total;
  }

  Count count_component(Clauses clauses) {
    for (auto& c : clauses) std::sort(c.begin(), c.end());
    std::sort(clauses.begin(), clauses.end());
    std::string key;
    for (const auto& c : clauses) {
      for (int lit : c) key += std::to_string(lit) + ' ';
      key += '|';
    }
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    std::vector<int> vars = variables(clauses);
    std::unordered_map<int, int> occurrences;
    for (const auto& c : clauses) {
      for (int lit : c) ++occurrences[std::abs(lit)];
    }
    int branch = std::max_element(occurrences.begin(), occurrences.end(), [](auto& a, auto& b) {
                   return a.second != b.second ? a.second < b.second : a.first > b.first;
                 })->first;
    Count total = 0;
    for (int lit : {branch, -branch}) {
      std::vector<int> assigned;
      auto rest = condition(clauses, {lit}, assigned);
      if (!rest) continue;
      int free = static_cast<int>(vars.size()) - static_cast<int>(assigned.size()) -
                 static_cast<int>(variables(*rest).size());
      total += (Count{1} << free) * count_all(*rest);
    }
    cache_.emplace(std::move(key), total);
    return total;
  }

  std::unordered_map<std::string, Count> cache_;
};

// A rule expression as the DIMACS importer writes it, `a or not b or \`x y\``, back to literals.
std::optional<Clause> clause_of(const std::string& text,
                                const std::unordered_map<std::string, int>& variable) {
  Clause clause;
  if (text == "false") return clause;
  size_t i = 0;
  while (i < text.size()) {
    bool negative = text.compare(i, 4, "not ") == 0;
    if (negative) i += 4;
    std::string name;
    if (i < text.size() && text[i] == '`') {
      for (++i; i < text.size(); ++i) {
        if (text[i] == '`') {
          if (i + 1 < text.size() && text[i + 1] == '`') {
            name += '`';
            ++i;
            continue;
          }
          ++i;
          break;
        }
        name += text[i];
      }
    } else {
      size_t end = text.find(' ', i);
      if (end == std::string::npos) end = text.size();
      name = text.substr(i, end - i);
      i = end;
    }
    auto it = variable.find(name);
    if (it == variable.end()) return std::nullopt;
    clause.push_back(negative ? -it->second : it->second);
    if (i == text.size()) break;
    if (text.compare(i, 4, " or ") != 0) return std::nullopt;
    i += 4;
  }
  return clause;
}

}  // namespace

TEST_CASE("importer keeps the model: independent #SAT counts equal REFERENCE.tsv", "[importers]") {
  if (!fs::exists(kBenchmarks / "cnf")) {
    WARN("skipped: " << (kBenchmarks / "cnf").string() << " is absent");
    return;
  }
  auto reference = reference_counts();
  SECTION("the counter itself, on formulas counted by hand") {
    ModelCounter counter;
    CHECK(to_decimal(counter.count({3, {}, {}})) == "8");
    CHECK(to_decimal(counter.count({3, {{1, 2}}, {}})) == "6");
    CHECK(to_decimal(counter.count({4, {{1, 2}, {-1, -2}, {3}}, {}})) == "4");
    CHECK(to_decimal(counter.count({2, {{1}, {-1}}, {}})) == "0");
    CHECK(to_decimal(counter.count({2, {{}}, {}})) == "0");
  }
  // axtls (96 variables) also fits the counter's exact arithmetic and runs in well under a second.
  for (std::string file : {"cnf/vp9.dimacs", "cnf/berkeleydb.dimacs", "cnf/axtls.dimacs"}) {
    DYNAMIC_SECTION(file) {
      Cnf cnf = parse_dimacs(kBenchmarks / file);
      REQUIRE(cnf.vars <= 120);
      ModelCounter counter;
      CHECK(to_decimal(counter.count(cnf)) == reference.at(file));
    }
  }
  CHECK(reference.at("cnf/vp9.dimacs") == "216000");
  CHECK(reference.at("cnf/berkeleydb.dimacs") == "4080389785");
}

TEST_CASE("importer keeps every clause and every name of every shared DIMACS file", "[importers]") {
  if (!fs::exists(kBenchmarks / "cnf")) {
    WARN("skipped: " << (kBenchmarks / "cnf").string() << " is absent");
    return;
  }
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(kBenchmarks / "cnf")) {
    if (entry.path().extension() == ".dimacs") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  REQUIRE(!files.empty());
  for (const auto& path : files) {
    DYNAMIC_SECTION(path.filename().string()) {
      Cnf cnf = parse_dimacs(path);
      Catalog catalog = load_catalog(path.string());
      REQUIRE(catalog.options.size() == static_cast<size_t>(cnf.vars));
      std::unordered_map<std::string, int> variable;
      for (int v = 1; v <= cnf.vars; ++v) {
        const Option& o = catalog.options[v - 1];
        auto name = cnf.names.find(v);
        // Named variables keep every character of their name; the others are called by number.
        CHECK(o.id == (name != cnf.names.end() ? name->second : std::to_string(v)));
        CHECK(o.kind == OptionKind::boolean);
        variable[o.id] = v;
      }
      REQUIRE(catalog.rules.size() == cnf.clauses.size());
      size_t differing = 0;
      for (size_t k = 0; k < cnf.clauses.size(); ++k) {
        auto clause = clause_of(catalog.rules[k].expression, variable);
        if (!clause || *clause != cnf.clauses[k]) {
          if (differing++ < 3)
            FAIL_CHECK("clause " << k + 1 << " became " << catalog.rules[k].expression);
        }
      }
      CHECK(differing == 0);
    }
  }
}

}  // namespace sumisura::detail
