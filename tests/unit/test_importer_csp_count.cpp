// The XCSP importer keeps the model: an independent solution counter agrees with REFERENCE.tsv.
// (It counts renault-medium in a fraction of a second; renault-megane, 2.8e12 solutions over tables
// of up to 10 columns, takes it more than ten minutes, so that one is not counted.)
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "reference_table.hpp"
#include "sumisura/catalog.hpp"

namespace sumisura::detail {
namespace {

namespace fs = std::filesystem;
using Count = unsigned __int128;

const fs::path kBenchmarks = SUMISURA_BENCHMARKS_DIR;

using proptest::to_decimal;

// The valid_configurations column of REFERENCE.tsv for one file ("" when absent).
std::string reference_count(const std::string& file) {
  auto rows = proptest::read_reference_table(kBenchmarks).rows;
  auto it = rows.find(file);
  return it != rows.end() && it->second.size() >= 4 ? it->second[3] : "";
}

// A finite-domain problem: variables with domains of size[v] values (0..size-1), and tables of
// allowed tuples over those value indices.
struct Problem {
  std::vector<int> size;
  struct Table {
    std::vector<int> scope;
    std::vector<std::vector<int>> tuples;  // deduplicated
  };
  std::vector<Table> tables;
};

// The Catalog's options and allow-tables as a Problem; forbid-tables become the complement over
// the product of their columns' domains (small in the models counted here).
Problem problem_of(const Catalog& c) {
  Problem p;
  std::unordered_map<std::string, int> var;
  std::vector<std::unordered_map<std::string, int>> value_index;
  for (const auto& o : c.options) {
    var[o.id] = static_cast<int>(p.size.size());
    p.size.push_back(static_cast<int>(o.values.size()));
    auto& index = value_index.emplace_back();
    for (size_t i = 0; i < o.values.size(); ++i)
      index[o.values[i].value.to_string()] = static_cast<int>(i);
  }
  for (const auto& r : c.rules) {
    Problem::Table t;
    for (const auto& col : r.columns) t.scope.push_back(var.at(col));
    std::set<std::vector<int>> rows;
    for (const auto& row : r.rows) {
      std::vector<int> tuple;
      bool in = true;
      for (size_t k = 0; k < row.size(); ++k) {
        auto it = value_index[t.scope[k]].find(row[k]);
        if (it == value_index[t.scope[k]].end())
          in = false;
        else
          tuple.push_back(it->second);
      }
      if (in) rows.insert(tuple);
    }
    if (!r.rows_allowed) {
      std::set<std::vector<int>> allowed;
      std::vector<int> tuple(t.scope.size(), 0);
      while (true) {
        if (!rows.count(tuple)) allowed.insert(tuple);
        size_t k = 0;
        while (k < tuple.size() && ++tuple[k] == p.size[t.scope[k]]) tuple[k++] = 0;
        if (k == tuple.size()) break;
      }
      rows = std::move(allowed);
    }
    t.tuples.assign(rows.begin(), rows.end());
    p.tables.push_back(std::move(t));
  }
  return p;
}

// Counts the solutions of a Problem.
class SolutionCounter {
 public:
  explicit SolutionCounter(const Problem& p) : p_(p) {}

  Count count() {
    Domains d(p_.size.size());
    for (size_t v = 0; v < d.size(); ++v) d[v].assign(p_.size[v], 1);
    std::vector<int> vars(p_.size.size()), tables(p_.tables.size());
    for (size_t v = 0; v < vars.size(); ++v) vars[v] = static_cast<int>(v);
    for (size_t t = 0; t < tables.size(); ++t) tables[t] = static_cast<int>(t);
    return solve(d, vars, tables);
  }

 private:
  using Domains = std::vector<std::vector<char>>;

  static int size_of(const std::vector<char>& domain) {
    return static_cast<int>(std::count(domain.begin(), domain.end(), 1));
  }

  // Arc consistency on `tables` to a fixpoint, dropping those every remaining tuple of the domains
  // satisfies. False when a domain empties.
  bool propagate(Domains& d, std::vector<int>& tables) {
    bool changed = true;
    while (changed) {
      changed = false;
      std::vector<int> kept;
      for (int t : tables) {
        const auto& table = p_.tables[t];
        std::vector<std::vector<char>> supported;
        for (int v : table.scope) supported.emplace_back(d[v].size(), 0);
        size_t valid = 0;
        for (const auto& tuple : table.tuples) {
          bool ok = true;
          for (size_t k = 0; k < tuple.size() && ok; ++k) ok = d[table.scope[k]][tuple[k]];
          if (!ok) continue;
          ++valid;
          for (size_t k = 0; k < tuple.size(); ++k) supported[k][tuple[k]] = 1;
        }
        if (valid == 0) return false;
        double product = 1;
        for (size_t k = 0; k < table.scope.size(); ++k) {
          auto& domain = d[table.scope[k]];
          for (size_t x = 0; x < domain.size(); ++x) {
            if (domain[x] && !supported[k][x]) {
              domain[x] = 0;
              changed = true;
            }
          }
          product *= size_of(domain);
        }
        // Tuples are distinct, so as many valid tuples as combinations means every one is allowed.
        if (static_cast<double>(valid) < product) kept.push_back(t);
      }
      tables = std::move(kept);
    }
    return true;
  }

  Count solve(Domains d, const std::vector<int>& vars, std::vector<int> tables) {
    if (!propagate(d, tables)) return 0;
    // Variables in no remaining table multiply the count by their domain size.
    std::map<int, int> component_of;  // variable -> union-find parent
    std::function<int(int)> find = [&](int v) {
      return component_of[v] == v ? v : component_of[v] = find(component_of[v]);
    };
    for (int t : tables) {
      for (int v : p_.tables[t].scope) component_of.emplace(v, v);
    }
    for (int t : tables) {
      const auto& scope = p_.tables[t].scope;
      for (int v : scope) component_of[find(v)] = find(scope[0]);
    }
    Count total = 1;
    for (int v : vars) {
      if (!component_of.count(v)) total *= size_of(d[v]);
    }
    std::map<int, std::pair<std::vector<int>, std::vector<int>>>
        components;  // root -> vars, tables
    for (int v : vars) {
      if (component_of.count(v)) components[find(v)].first.push_back(v);
    }
    for (int t : tables) components[find(p_.tables[t].scope[0])].second.push_back(t);
    for (auto& [root, part] : components) {
      total *= component(d, part.first, part.second);
      if (total == 0) return 0;
    }
    return total;
  }

  Count component(const Domains& d, const std::vector<int>& vars, const std::vector<int>& tables) {
    std::string key;
    std::set<int> seen;
    for (int t : tables) {
      key += std::to_string(t) + ',';
      for (int v : p_.tables[t].scope) seen.insert(v);
    }
    key += '|';
    for (int v : seen) {
      key += std::to_string(v) + ':';
      key.append(d[v].begin(), d[v].end());
    }
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    int branch = -1;
    for (int v : vars) {
      if (size_of(d[v]) > 1 && (branch < 0 || size_of(d[v]) < size_of(d[branch]))) branch = v;
    }
    Count total = 0;
    if (branch < 0) {
      total = 1;  // every variable fixed and every table satisfied by propagation
    } else {
      for (size_t x = 0; x < d[branch].size(); ++x) {
        if (!d[branch][x]) continue;
        Domains next = d;
        std::fill(next[branch].begin(), next[branch].end(), 0);
        next[branch][x] = 1;
        total += solve(std::move(next), vars, tables);
      }
    }
    cache_.emplace(std::move(key), total);
    return total;
  }

  const Problem& p_;
  std::unordered_map<std::string, Count> cache_;
};

}  // namespace

TEST_CASE("importer keeps the model: independent count of renault-medium equals REFERENCE.tsv",
          "[importers]") {
  SECTION("the counter itself, on problems counted by hand") {
    Problem p;
    p.size = {3, 3, 2};
    CHECK(to_decimal(SolutionCounter(p).count()) == "18");
    p.tables.push_back({{0, 1}, {{0, 0}, {1, 1}, {2, 2}}});  // x0 == x1
    CHECK(to_decimal(SolutionCounter(p).count()) == "6");
    p.tables.push_back({{1, 2}, {{0, 1}, {2, 0}}});
    CHECK(to_decimal(SolutionCounter(p).count()) == "2");
    p.tables.push_back({{0}, {}});
    CHECK(to_decimal(SolutionCounter(p).count()) == "0");
  }
  SECTION("a forbid table counts as its complement") {
    Catalog c = parse_catalog(
        "<instance><domains><domain name='D' nbValues='3'>0..2</domain></domains>"
        "<variables><variable name='a' domain='D'/><variable name='b' domain='D'/></variables>"
        "<relations><relation name='R' arity='2' nbTuples='2' semantics='conflicts'>0 0|1 "
        "2</relation></relations>"
        "<constraints><constraint name='C' arity='2' scope='a b' "
        "reference='R'/></constraints></instance>",
        ModelFormat::xcsp);
    CHECK(to_decimal(SolutionCounter(problem_of(c)).count()) == "7");
  }
  fs::path file = kBenchmarks / "csp" / "renault-medium.xml";
  if (!fs::exists(file)) {
    WARN("skipped: " << file.string() << " is absent");
    return;
  }
  SECTION("renault-medium") {
    Catalog c = load_catalog(file.string());
    CHECK(to_decimal(SolutionCounter(problem_of(c)).count()) ==
          reference_count("csp/renault-medium.xml"));
    CHECK(reference_count("csp/renault-medium.xml") == "278744");
  }
}

}  // namespace sumisura::detail
