// Boolean gates and linear (pseudo-Boolean) sums as clauses, with structural hashing.
//
// Every gate is defined in both directions (its output is a function of its inputs), so outputs
// can be used under any polarity, assumed, and projected away when counting. Linear sums use a
// totalizer when all weights are equal (arc-consistent, unary) and a binary adder network
// otherwise, which is sound for any 62-bit weights.
#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <vector>

#include "compile/cnf.hpp"

namespace sumisura::detail {

/// Thrown when a quantity cannot be represented (overflow of 62 bits, too many terms).
struct EncodeError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// constant + sum of weight * [lit]. Weights and constant are exact integers (10^-6 units for
/// catalog numbers).
struct Linear {
  int64_t constant = 0;
  std::vector<std::pair<int64_t, Lit>> terms;

  static Linear of(int64_t c) { return Linear{c, {}}; }
  void add(int64_t weight, Lit lit);
  void add(const Linear& other, int64_t factor = 1);
  /// Merges equal literals, folds constants and complementary pairs, drops zero weights, sorts.
  void normalize();
  bool is_constant() const { return terms.empty(); }
  int64_t min_value() const;  ///< smallest value over all assignments (ignoring side constraints)
  int64_t max_value() const;
};

int64_t checked_add(int64_t a, int64_t b);
int64_t checked_mul(int64_t a, int64_t b);

class Circuit {
 public:
  explicit Circuit(ClauseSink& sink) : sink_(sink) {}

  ClauseSink& sink() { return sink_; }
  Lit fresh() { return sink_.new_var(); }

  Lit and_of(std::vector<Lit> inputs);
  Lit or_of(std::vector<Lit> inputs);
  Lit iff(Lit a, Lit b);
  Lit implies(Lit a, Lit b) { return or_of({-a, b}); }

  /// A literal equivalent to `linear <= bound`, `>= bound`, `== bound`.
  Lit at_most(Linear linear, int64_t bound);
  Lit at_least(Linear linear, int64_t bound);
  Lit equals(Linear linear, int64_t bound);

  /// The bits (least significant first) of sum of weights of the true literals; weights > 0.
  /// Cached: the same weighted literals give the same bits.
  const std::vector<Lit>& binary_sum(const std::vector<std::pair<int64_t, Lit>>& positive_terms);
  /// "At least k of `lits` are true" for k = 1..cap (a totalizer), cached.
  const std::vector<Lit>& unary_sum(const std::vector<Lit>& lits, int cap);
  /// Literals meaning "the number is <= bound" / ">= bound" for a binary number.
  Lit bits_at_most(const std::vector<Lit>& bits, int64_t bound);
  Lit bits_at_least(const std::vector<Lit>& bits, int64_t bound);

 private:
  struct Normalized {
    std::vector<std::pair<int64_t, Lit>> terms;  // weights > 0, divided by their gcd
    int64_t gcd = 1;
    int64_t offset = 0;  // value = offset + gcd * sum(terms)
  };
  Normalized normalize_positive(Linear linear);
  std::vector<Lit> totalize(const std::vector<Lit>& lits, size_t lo, size_t hi, int cap);
  /// sum(terms) <= bound as a reduced BDD with intervals (Abio et al. 2012): arc-consistent and
  /// usually small. Returns 0 when the BDD would exceed `node_limit` nodes.
  Lit bdd_at_most(const std::vector<std::pair<int64_t, Lit>>& terms, int64_t bound,
                  size_t node_limit);
  Lit sum_at_most(const Normalized& n, int64_t bound);  // sum(terms) <= bound
  Lit sum_at_least(const Normalized& n, int64_t bound);
  void full_adder(Lit a, Lit b, Lit c, Lit& sum, Lit& carry);
  void half_adder(Lit a, Lit b, Lit& sum, Lit& carry);

  ClauseSink& sink_;
  std::map<std::vector<Lit>, Lit> and_cache_;
  std::map<std::vector<std::pair<int64_t, Lit>>, std::vector<Lit>> binary_cache_;
  std::map<std::pair<std::vector<Lit>, int>, std::vector<Lit>> unary_cache_;
  std::map<std::pair<std::vector<Lit>, int64_t>, Lit> compare_cache_;
  std::map<std::pair<std::vector<std::pair<int64_t, Lit>>, int64_t>, Lit> bdd_cache_;
};

}  // namespace sumisura::detail
