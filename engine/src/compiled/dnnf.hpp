// A compiled decision-DNNF circuit, immutable and shared between threads. Its models are the
// assignments of the "scope" variables (the SAT variables that carry values of finite-domain
// variables) that extend to a model of the catalog's CNF; auxiliary variables are projected out.
//
// Two kinds of inner node. An AND node fixes some literals, leaves some variables free (either
// value) and conjoins children over disjoint variables; an OR node is a disjunction of AND nodes
// whose models are disjoint (they differ on a decision variable). Every AND node accounts for each
// variable of its scope exactly once (as a literal, a free variable, or inside one child), so
// counts need no smoothing. Nodes are numbered children first: every query is one or two linear
// passes, bottom-up then top-down.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <random>
#include <vector>

#include "compiled/natural.hpp"

namespace sumisura::detail {

struct Dnnf {
  static constexpr uint32_t kFalse = 0;  ///< no model
  static constexpr uint32_t kTrue = 1;   ///< one model: the empty assignment

  enum Kind : uint8_t { kAnd = 0, kOr = 1 };

  int num_vars = 0;                   ///< SAT variables 1..num_vars (not all of them in the scope)
  std::vector<uint8_t> kind;          ///< per node (terminals: kAnd)
  std::vector<uint32_t> child_first;  ///< per node + 1: children [first[n], first[n + 1])
  std::vector<uint32_t> children;     ///< always numbered below their parent
  std::vector<uint32_t> lit_first;    ///< per node + 1: literals an AND node fixes
  std::vector<int32_t> lits;          ///< DIMACS literals
  std::vector<uint32_t> free_first;   ///< per node + 1: variables an AND node leaves free
  std::vector<int32_t> free_vars;
  uint32_t root = kFalse;

  size_t node_count() const { return kind.size(); }
  size_t edge_count() const { return children.size(); }
  /// A circuit holding only the two terminals.
  static Dnnf terminals(int num_vars);
  /// Checks the structure (children below parents, literals and variables in range): a circuit
  /// read from a file is checked before any query runs on it. Empty string when sound.
  std::string check() const;
};

/// Values some variables must take, per SAT variable: 0 free, 1 true, -1 false.
using Conditions = std::vector<int8_t>;

/// Literal index for per-literal results: 2v for v, 2v + 1 for -v.
inline size_t literal_index(int32_t lit) {
  return lit > 0 ? 2 * static_cast<size_t>(lit) : 2 * static_cast<size_t>(-lit) + 1;
}

/// Which literals some model consistent with `cond` has (indexed by literal_index); false when
/// there is no such model.
bool dnnf_valid_literals(const Dnnf& d, const Conditions& cond, std::vector<char>& out);
/// dnnf_valid_literals and dnnf_count_small in one pass (a node with a count has a model).
bool dnnf_valid_literals_counted(const Dnnf& d, const Conditions& cond, std::vector<char>& out,
                                 unsigned __int128& count);
/// The number of models consistent with `cond`. With `base` (dnnf_base_counts), only the nodes
/// above conditioned variables are counted again.
Natural dnnf_count(const Dnnf& d, const Conditions& cond, const NaturalTable* base = nullptr);
/// Every node's count without conditions, for dnnf_count's `base`.
void dnnf_base_counts(const Dnnf& d, NaturalTable& table);
/// The same in 128-bit arithmetic: exact when the count without conditions is below 2^127.
unsigned __int128 dnnf_count_small(const Dnnf& d, const Conditions& cond);
/// Per literal (literal_index): the number of models consistent with `cond` that have it.
/// Also returns the total.
Natural dnnf_literal_counts(const Dnnf& d, const Conditions& cond, std::vector<Natural>& out);

/// The cheapest model consistent with `cond`, where a model costs the sum of `cost` over its true
/// literals (indexed by literal_index). Per SAT variable: 1 true, 0 false (variables outside the
/// scope stay 0). Nothing when no model is consistent with `cond`.
struct DnnfOptimum {
  int64_t cost = 0;
  std::vector<int8_t> values;
};
std::optional<DnnfOptimum> dnnf_min_cost(const Dnnf& d, const Conditions& cond,
                                         const std::vector<int64_t>& cost);
/// Per literal (literal_index): the least cost of a model consistent with `cond` that has it, in
/// one pass up and one down; INT64_MAX for literals no such model has. False when there is no
/// model at all. Costs must stay far from 2^62 in magnitude.
bool dnnf_literal_min_costs(const Dnnf& d, const Conditions& cond, const std::vector<int64_t>& cost,
                            std::vector<int64_t>& out);

/// A lexicographic objective of up to three parts, compared part by part (unused parts stay 0).
using LexKey = std::array<int64_t, 3>;
/// Per literal (literal_index): what it adds to each part of the key, and to the price.
struct LexCosts {
  std::vector<LexKey> key;
  std::vector<int64_t> price;
};
struct LexModel {
  LexKey key{};
  int64_t price = 0;
  std::vector<int8_t> values;  ///< per SAT variable, as in DnnfOptimum
};
enum class LexOutcome { found, none, too_wide };
/// The model consistent with `cond` whose key is least among those whose price is at most
/// `bound` (any price without one); ties go to the cheaper. `too_wide` when some node would keep
/// more than `max_frontier` incomparable partial models (or a sum overflows): the caller then
/// answers another way.
LexOutcome dnnf_lex_min(const Dnnf& d, const Conditions& cond, const LexCosts& costs,
                        std::optional<int64_t> bound, LexModel& out, size_t max_frontier = 1024);

/// Draws `n` models consistent with `cond`, each uniformly at random among them (values per SAT
/// variable as in DnnfOptimum). Empty when there is none.
std::vector<std::vector<int8_t>> dnnf_sample(const Dnnf& d, const Conditions& cond, size_t n,
                                             std::mt19937_64& rng);

}  // namespace sumisura::detail
