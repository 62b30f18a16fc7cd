// Reads DIMACS CNF: each variable becomes a Boolean option (named by its `c <id> <name>` line, or
// by its number), each clause a rule `a or not b or ...` (docs/importers.md).
#include <algorithm>
#include <charconv>
#include <unordered_map>

#include "core/budgets.hpp"
#include "core/deadline.hpp"
#include "core/dispose.hpp"
#include "io/readers.hpp"
#include "model/expression.hpp"

namespace sumisura::detail {
namespace {

constexpr int64_t kMaxUnmentioned = 100'000;  ///< variables in no clause nor name line

class DimacsReader {
 public:
  DimacsReader(const std::string& text, std::string source, std::vector<Diagnostic>& diagnostics)
      : text_(text), source_(std::move(source)), diagnostics_(diagnostics) {}

  Catalog read() {
    // When the time limit runs out, what was read is freed off the clock (40 ms and more).
    Catalog c;
    detail::DisposeOnThrow<Catalog> catalog_unless_done(c);
    detail::DisposeOnThrow<decltype(clauses_)> clauses_unless_done(clauses_);
    c.source = source_;
    c.currency = "EUR";
    std::unordered_map<int64_t, std::string> names;
    detail::DisposeOnThrow<decltype(names)> names_unless_done(names);
    std::unordered_map<int64_t, Position> name_lines;
    int64_t declared_vars = -1, declared_clauses = -1;
    Position header_pos;
    std::vector<int64_t> clause;
    Position clause_pos;
    int line = 0;
    size_t pos = 0;
    while (pos < text_.size() && errors_ < 50) {
      check_deadline(source_);
      size_t end = text_.find('\n', pos);
      if (end == std::string::npos) end = text_.size();
      std::string_view row(text_.data() + pos, end - pos);
      pos = end + 1;
      ++line;
      if (!row.empty() && row.back() == '\r') row.remove_suffix(1);
      size_t first = row.find_first_not_of(" \t");
      if (first == std::string_view::npos) continue;
      row.remove_prefix(first);
      if (row[0] == 'c') {
        comment(row, line, names, name_lines);
        continue;
      }
      if (row[0] == '%') break;  // end marker of some benchmark sets
      if (row[0] == 'p') {
        if (declared_vars >= 0) {
          error({line, 1}, "second 'p cnf' header; a DIMACS file has exactly one");
          continue;
        }
        header_pos = {line, 1};
        if (!header(row, line, declared_vars, declared_clauses)) return c;
        continue;
      }
      if (declared_vars < 0) {
        error({line, 1}, "clause before the 'p cnf VARIABLES CLAUSES' header");
        return c;
      }
      size_t i = 0;
      while (i < row.size()) {
        while (i < row.size() && (row[i] == ' ' || row[i] == '\t')) ++i;
        if (i >= row.size()) break;
        size_t start = i;
        while (i < row.size() && row[i] != ' ' && row[i] != '\t') ++i;
        std::string_view token = row.substr(start, i - start);
        int64_t literal = 0;
        auto [p, ec] = std::from_chars(token.data(), token.data() + token.size(), literal);
        if (ec != std::errc() || p != token.data() + token.size()) {
          error({line, static_cast<int>(start + first + 1)},
                "'" + std::string(token.substr(0, 20)) +
                    "' is not a literal; clause lines hold integers ending with 0");
          break;
        }
        if (clause.empty()) clause_pos = {line, static_cast<int>(start + first + 1)};
        if (literal == 0) {
          if (clauses_.size() == clause_budget_) {  // more than any header may declare
            error(clause_pos, over_budget_message(kClausesBudget,
                                                  "holds more than " +
                                                      std::to_string(clause_budget_) + " clauses"));
            return {};
          }
          clauses_.push_back({std::move(clause), clause_pos});
          clause.clear();
          continue;
        }
        int64_t var = literal < 0 ? -literal : literal;
        if (var > declared_vars) {
          error({line, static_cast<int>(start + first + 1)},
                "literal " + std::to_string(literal) + " is out of range: the header declares " +
                    std::to_string(declared_vars) + " variables");
          continue;
        }
        clause.push_back(literal);
      }
    }
    if (errors_ > 0) return c;
    if (declared_vars < 0) {
      error({1, 1}, "no 'p cnf VARIABLES CLAUSES' header: is this a DIMACS CNF file?");
      return c;
    }
    if (!clause.empty()) {
      error(clause_pos, "the last clause does not end with 0: is the file truncated?");
      return c;
    }
    if (static_cast<int64_t>(clauses_.size()) != declared_clauses) {
      error(header_pos, "the header declares " + std::to_string(declared_clauses) +
                            " clauses but the file has " + std::to_string(clauses_.size()) +
                            "; fix the 'p cnf' line");
      return c;
    }
    for (const auto& [var, name] : names) {
      if (var > declared_vars) {
        error(name_lines[var], "name line for variable " + std::to_string(var) +
                                   ", but the header declares " + std::to_string(declared_vars) +
                                   " variables");
      }
    }
    if (errors_ > 0) return c;
    // Every variable becomes an option, so a header alone can ask for a million of them (about
    // 2 KB each, 30 s to check) in a few bytes of file. Variables that no clause and no name line
    // mentions are free features: real models have few; a header that declares far more is wrong.
    {
      std::vector<char> mentioned(static_cast<size_t>(declared_vars) + 1, 0);
      for (const auto& cl : clauses_)
        for (int64_t l : cl.literals) mentioned[l < 0 ? -l : l] = 1;
      for (const auto& [var, name] : names) mentioned[var] = 1;
      int64_t unmentioned = declared_vars - std::count(mentioned.begin() + 1, mentioned.end(), 1);
      if (unmentioned > kMaxUnmentioned) {
        error(header_pos, "the header declares " + std::to_string(declared_vars) +
                              " variables, and " + std::to_string(unmentioned) +
                              " of them appear in no clause and no name line (at most " +
                              std::to_string(kMaxUnmentioned) +
                              " may): fix the 'p cnf' line to the number of variables used");
        return c;
      }
    }

    // Options, one per variable, named and unique.
    std::vector<std::string> ids(declared_vars + 1);
    std::unordered_map<std::string, int64_t> used;
    c.options.reserve(declared_vars);
    for (int64_t v = 1; v <= declared_vars; ++v) {
      auto it = names.find(v);
      std::string id = it != names.end() ? it->second : std::to_string(v);
      Position where = it != names.end() ? name_lines[v] : header_pos;
      if (auto [u, fresh] = used.emplace(id, v); !fresh) {
        std::string renamed = id + "#" + std::to_string(v);
        diagnostics_.push_back({Severity::warning, source_, where,
                                "variable " + std::to_string(v) +
                                    " has the same name as variable " + std::to_string(u->second) +
                                    "; it is called '" + renamed + "' here"});
        id = renamed;
        used.emplace(id, v);
      }
      ids[v] = quote_name(id);
      c.options.push_back(sumisura::boolean_option(std::move(id), {}, where));
    }
    c.rules.reserve(clauses_.size());
    for (size_t k = 0; k < clauses_.size(); ++k) {
      check_deadline(source_);
      Rule r;
      r.id = "clause-" + std::to_string(k + 1);
      r.kind = RuleKind::require;
      r.where = clauses_[k].where;
      r.expression_where = clauses_[k].where;
      std::string& e = r.expression;
      if (clauses_[k].literals.empty()) e = "false";
      for (size_t i = 0; i < clauses_[k].literals.size(); ++i) {
        int64_t lit = clauses_[k].literals[i];
        if (i) e += " or ";
        if (lit < 0) e += "not ";
        e += ids[lit < 0 ? -lit : lit];
      }
      // No message: explanations show the clause itself (a copy of each of 237,685 clauses of
      // automotive02 would cost tens of megabytes for text nobody reads).
      c.rules.push_back(std::move(r));
    }
    c.name = source_;
    return c;
  }

 private:
  struct Clause {
    std::vector<int64_t> literals;
    Position where;
  };

  void error(Position pos, std::string message) {
    ++errors_;
    diagnostics_.push_back({Severity::error, source_, pos, std::move(message)});
  }

  bool header(std::string_view row, int line, int64_t& vars, int64_t& clauses) {
    char kind[8] = {};
    long long v = -1, c = -1;
    std::string copy(row);
    char extra = 0;
    if (std::sscanf(copy.c_str(), "p %7s %lld %lld %c", kind, &v, &c, &extra) != 3 ||
        std::string(kind) != "cnf" || v < 0 || c < 0) {
      error({line, 1},
            "malformed header '" + copy.substr(0, 60) + "': expected 'p cnf VARIABLES CLAUSES'");
      return false;
    }
    // Each variable becomes an option: a header declaring tens of millions (a typo, a SAT
    // competition instance) would take gigabytes of options for a few bytes of file.
    if (static_cast<uint64_t>(v) > budget_value(kVariablesBudget)) {
      error({line, 1}, over_budget_message(kVariablesBudget, "declares " + std::to_string(v) +
                                                                 " variables in its header"));
      return false;
    }
    if (static_cast<uint64_t>(c) > budget_value(kClausesBudget)) {
      error({line, 1}, over_budget_message(kClausesBudget, "declares " + std::to_string(c) +
                                                               " clauses in its header"));
      return false;
    }
    vars = v;
    clauses = c;
    return true;
  }

  // "c 12 name with spaces" names variable 12; any other comment is ignored.
  void comment(std::string_view row, int line, std::unordered_map<int64_t, std::string>& names,
               std::unordered_map<int64_t, Position>& lines) {
    if (row.size() < 3 || (row[1] != ' ' && row[1] != '\t')) return;
    size_t i = 2;
    while (i < row.size() && (row[i] == ' ' || row[i] == '\t')) ++i;
    size_t start = i;
    while (i < row.size() && row[i] >= '0' && row[i] <= '9') ++i;
    if (i == start || i >= row.size() || (row[i] != ' ' && row[i] != '\t')) return;
    int64_t var = 0;
    std::from_chars(row.data() + start, row.data() + i, var);
    std::string_view name = row.substr(i + 1);
    if (name.empty() || var <= 0) return;
    if (names.count(var)) {
      error({line, 1}, "variable " + std::to_string(var) + " is named twice");
      return;
    }
    names.emplace(var, std::string(name));
    lines.emplace(var, Position{line, static_cast<int>(i + 2)});
  }

  const std::string& text_;
  std::string source_;
  std::vector<Diagnostic>& diagnostics_;
  std::vector<Clause> clauses_;
  const uint64_t clause_budget_ = budget_value(kClausesBudget);
  int errors_ = 0;
};

}  // namespace

Catalog read_dimacs(const std::string& text, const std::string& source,
                    std::vector<Diagnostic>& diagnostics) {
  DimacsReader reader(text, source, diagnostics);
  return reader.read();
}

}  // namespace sumisura::detail
