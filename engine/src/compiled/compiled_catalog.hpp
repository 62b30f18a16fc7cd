// The knowledge-compiled back end: a catalog compiled once into a form on which every question a
// configurator asks is one or two linear passes: valid values under choices, exact counts (in
// total and per value), the cheapest completion under additive costs, uniform samples.
//
// Two forms, chosen per catalog:
//  - a reduced multi-valued decision diagram over the finite-domain variables in a static
//    bandwidth-reducing order, conjoined constraint by constraint: best for car models made of
//    large tables (Renault);
//  - a decision-DNNF circuit compiled top-down from the catalog's CNF (dnnf_compiler.hpp): best for
//    feature models that come as clauses, and for catalogs whose rules read many variables.
// Both are immutable once built and shared between threads. Building stops at a budget counted
// in work, memory and nodes (compile_budget.hpp), so the outcome does not depend on the machine's
// load; a catalog that compiles into neither keeps the search back end.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "compile/cnf.hpp"
#include "compiled/compile_budget.hpp"
#include "compiled/diagram.hpp"
#include "compiled/dnnf.hpp"
#include "compiled/natural.hpp"

namespace sumisura::detail {

struct Model;

/// (FdVar, value) pairs a query fixes.
using FixedValues = std::vector<std::pair<int, uint32_t>>;

/// A price as terms: `amount` when the literal holds (kTrue for a constant).
using PriceTerms = std::vector<std::pair<int32_t, int64_t>>;

/// The best valid assignment under a lexicographic objective and a budget (CompiledCatalog::best).
struct PricedQuery {
  FixedValues fixed;     ///< values taken
  FixedValues excluded;  ///< values not taken
  /// Per FdVar and value: what the value adds to each part of the key (empty: nothing).
  std::vector<std::vector<LexKey>> value_key;
  PriceTerms price;
  int price_part = -1;            ///< the key part the price adds to (-1: none)
  std::optional<int64_t> budget;  ///< the price may not exceed it
  /// On a relaxed form whose one rule left out is a linear inequality: the answer meets it too
  /// (the rule's sum is the bounded quantity instead of the price; no budget then).
  bool within_left_out = false;
};
struct PricedAnswer {
  /// `too_wide` also when the price reads literals outside the priced form.
  LexOutcome outcome = LexOutcome::none;
  LexKey key{};
  int64_t price = 0;
  std::vector<uint32_t> values;  ///< per FdVar
};

enum class CompiledKind { diagram, dnnf };

/// What a compilation spent, whether or not it built anything.
struct BuildCost {
  double seconds = 0;
  uint64_t work = 0;
};

/// Which forms build() tries, in which order. `relaxed` builds only the form without the rule
/// whose encoding defines the most gates of its own (see CompiledCatalog::left_out).
/// `relaxed_large` does the same only when that rule is one automatic builds would leave out (a
/// sum over many blocks, which often keeps the exact form from compiling) and a linear inequality
/// (so that the form gives exact domains without it): what sessions answer with, in a fraction
/// of a second, while the exact form compiles.
enum class CompileChoice { automatic, diagram, dnnf, relaxed, relaxed_large };

class CompiledCatalog {
 public:
  /// Compiles `model`, or returns null with the reason in `why_not` (a constraint no form can
  /// state, or every form tried ran out of its budget). `automatic` tries the diagram first for
  /// catalogs with tables, only the circuit for catalogs made of clauses, and the circuit then the
  /// diagram otherwise; each attempt has the whole budget. When none compiles, up to two more
  /// attempts leave out the rules whose encodings are largest (sums over many blocks): the result
  /// is then a relaxed form (left_out() not empty), which only callers that check its answers
  /// against the rules left out may use.
  static std::unique_ptr<CompiledCatalog> build(const Model& model, const CompileBudget& budget,
                                                std::string* why_not = nullptr,
                                                CompileChoice choice = CompileChoice::automatic,
                                                BuildCost* cost = nullptr);

  /// A d-DNNF of `cnf` projected on the literals of `vars` (per variable, the literal of each
  /// value: exactly one must hold in every model), without prices: counts, value counts, valid
  /// values and samples over those variables. Null with `why_not` when the budget runs out.
  static std::unique_ptr<CompiledCatalog> from_clauses(
      const CnfBuffer& cnf, const std::vector<std::vector<int32_t>>& vars,
      const CompileBudget& budget, std::string* why_not = nullptr);

  /// A relaxed form: a d-DNNF of the model without the constraint groups `left_out`
  /// (relaxed.cpp); null with `why` when the budget runs out.
  static std::unique_ptr<CompiledCatalog> build_left_out(const Model& model,
                                                         std::vector<int> left_out,
                                                         const CompileBudget& budget,
                                                         uint64_t& work, std::string& why);

  CompiledKind kind() const { return kind_; }
  /// Constraint groups (Model::groups) this form does not hold: its products are those of the
  /// other constraints, a superset of the catalog's. Empty for an exact form. A relaxed form's
  /// infeasibility is the catalog's; any product it gives must be checked against these groups,
  /// and its least-cost product is the catalog's when it passes.
  const std::vector<int>& left_out() const { return left_out_; }
  /// The clauses a relaxed form was compiled from (the model's without the groups left out); null
  /// for an exact form, which holds every clause of the model.
  const CnfBuffer* relaxed_cnf() const { return left_out_.empty() ? nullptr : &relaxed_cnf_; }
  /// What stands in for an exact form, in words (empty for an exact form).
  std::string describe_left_out(const Model& model) const;
  /// "decision diagram" or "d-DNNF".
  const char* kind_name() const;
  size_t node_count() const;
  size_t edge_count() const;
  double build_seconds() const { return build_seconds_; }
  uint64_t build_work() const { return build_work_; }
  /// Per FdVar: its number of values (what the form was compiled for).
  const std::vector<int>& domain_sizes() const { return sizes_; }

  /// Valid values per FdVar under `fixed`; false (every value invalid) when there are none.
  /// With `count`, also the number of valid assignments, in the same pass where counts are small.
  bool valid_values(const FixedValues& fixed, std::vector<std::vector<char>>& out,
                    Natural* count = nullptr) const;
  /// The number of valid assignments of the FdVars that take the `fixed` values.
  Natural count(const FixedValues& fixed) const;
  /// Per FdVar and value: the number of valid assignments with that value and the `fixed` ones.
  /// Returns their total.
  Natural value_counts(const FixedValues& fixed, std::vector<std::vector<Natural>>& out) const;
  /// The valid assignment with the `fixed` values whose cost (the sum of cost[v][value]) is
  /// least, as a value per FdVar, with that cost.
  std::optional<std::pair<int64_t, std::vector<uint32_t>>> cheapest(
      const FixedValues& fixed, const std::vector<std::vector<int64_t>>& cost) const;
  /// `n` valid assignments with the `fixed` values, each uniformly at random among them (empty
  /// when there is none).
  std::vector<std::vector<uint32_t>> sample(const FixedValues& fixed, size_t n,
                                            std::mt19937_64& rng) const;

  /// Whether price questions can be asked (best, price_range): a d-DNNF over the value literals
  /// and the literals the catalog's price terms read, on which the price is a sum over literals.
  /// It is the main form itself where prices read value literals only.
  bool has_prices() const { return priced_state_ != PricedState::none; }
  /// Why there is no priced form (empty when there is one, or the catalog has no prices).
  const std::string& prices_why_not() const { return priced_why_not_; }
  /// The least and the greatest price of a valid assignment with the `fixed` values; nothing
  /// when there is none, or without a priced form.
  std::optional<std::pair<int64_t, int64_t>> price_range(const FixedValues& fixed,
                                                         const PriceTerms& price) const;
  /// As price_range, each bound from the product of that price that costs least by `tie` (per
  /// FdVar and value, a cost: the catalog's defaults), in two lexicographic passes; with the two
  /// products. For relaxed forms, whose products must then meet the rules left out: a rider of
  /// average weight is likelier to than any.
  /// With `within_left_out`, over the products that meet the rule left out (bounds_left_out()).
  std::optional<std::pair<int64_t, int64_t>> price_range_tied(
      const FixedValues& fixed, const PriceTerms& price, const std::vector<std::vector<int>>& tie,
      std::pair<std::vector<uint32_t>, std::vector<uint32_t>>& witnesses,
      bool within_left_out = false) const;
  /// One end of price_range_tied: the least price (with `dearest`, the greatest) of a valid
  /// assignment with the `fixed` values, from the product of that price that costs least by
  /// `tie`, in one lexicographic pass; with that product. With `within_left_out`, over the
  /// products that meet the rule left out (bounds_left_out()). Nothing when there is none.
  std::optional<int64_t> price_end_tied(const FixedValues& fixed, const PriceTerms& price,
                                        const std::vector<std::vector<int>>& tie, bool dearest,
                                        std::vector<uint32_t>& witness,
                                        bool within_left_out = false) const;
  /// On a relaxed form that left out one rule, a linear inequality over values (a sum of block
  /// attributes against a limit): the valid values per FdVar under `fixed`, exact, from the least
  /// value of the rule's sum per literal (one pass up, one down). False when this form cannot
  /// answer so (an exact form, several rules left out, a rule of another shape); `feasible` says
  /// whether any product remains.
  bool valid_values_relaxed(const FixedValues& fixed, std::vector<std::vector<char>>& out,
                            bool& feasible) const;
  /// Whether best() can answer `within_left_out` queries: a relaxed form whose rule left out is a
  /// linear inequality.
  bool bounds_left_out() const { return !side_cost_.empty(); }
  /// Whether `values` (a value per FdVar) meet the groups this form left out (always, on an
  /// exact form).
  bool meets_left_out(const Model& model, const std::vector<uint32_t>& values) const;
  /// Exact, in one pass up and one down (a Pareto frontier per node where a budget applies).
  PricedAnswer best(const PricedQuery& query) const;

  /// The compiled form as bytes (see read()).
  std::string serialize() const;
  /// A compiled form that serialize() wrote for `model`. Throws std::runtime_error saying what is
  /// wrong when the bytes are malformed or were compiled for another model.
  static std::unique_ptr<CompiledCatalog> deserialize(const Model& model, std::string_view bytes);

 private:
  CompiledCatalog() = default;
  /// Per diagram level (or SAT variable): what `fixed` fixes; false when it fixes a variable twice.
  bool diagram_fixed(const FixedValues& fixed, std::vector<int>& by_level) const;
  bool dnnf_conditions(const FixedValues& fixed, Conditions& cond) const;
  /// The per-FdVar values of a model of the circuit.
  std::vector<uint32_t> decode(const std::vector<int8_t>& sat_values) const;
  void finish();
  enum class PricedState { none, main, own };
  /// Builds the priced form after the main one (priced.cpp), from `cnf` (the model's, or the
  /// model's without the groups left out).
  void build_priced(const Model& model, const CnfBuffer& cnf, const CompileBudget& budget,
                    uint64_t& work);

  const Dnnf& priced() const { return priced_state_ == PricedState::main ? dnnf_ : priced_; }
  /// Conditions and per-literal costs of the priced form; false when `price` reads a literal
  /// outside it or a value is both fixed and excluded.
  bool priced_conditions(const FixedValues& fixed, const FixedValues& excluded,
                         Conditions& cond) const;
  bool priced_costs(const PriceTerms& price, std::vector<int64_t>& lit_price,
                    int64_t& constant) const;
  /// price_range_tied's two passes with one weighted cost each (price, then tie), instead of
  /// lexicographic ones; nothing when the weights could overflow.
  std::optional<std::pair<int64_t, int64_t>> price_range_weighted(
      const FixedValues& fixed, const PriceTerms& price, const std::vector<std::vector<int>>& tie,
      std::pair<std::vector<uint32_t>, std::vector<uint32_t>>& witnesses) const;
  /// The clauses and the rule's sum of a relaxed form (relaxed.cpp), from the model.
  void finish_relaxed(const Model& model);

  CompiledKind kind_ = CompiledKind::diagram;
  std::vector<int> sizes_;  // per FdVar
  // Diagram: the FdVar tested at each level, and back.
  std::vector<int> order_;
  std::vector<int> level_of_;
  Diagram diagram_;
  // Circuit: the literal of each value of each FdVar.
  std::vector<std::vector<int32_t>> value_lits_;
  Dnnf dnnf_;
  // The answer without choices (every session's first page), computed once.
  std::vector<std::vector<char>> unconstrained_;
  bool unconstrained_feasible_ = false;
  Natural unconstrained_count_;
  /// The count without choices is below 2^127: every count fits 128-bit arithmetic.
  bool small_counts_ = false;
  std::vector<unsigned __int128> skip_factors_, base_counts_;  // diagram, small counts
  NaturalTable dnnf_base_;                                     // d-DNNF, large counts
  double build_seconds_ = 0;
  uint64_t build_work_ = 0;
  PricedState priced_state_ = PricedState::none;
  Dnnf priced_;                     // PricedState::own
  std::vector<char> priced_scope_;  // per SAT variable: a variable of the priced form
  std::string priced_why_not_;
  std::vector<int> left_out_;
  CnfBuffer relaxed_cnf_;
  /// The one rule left out as "sum <= bound": per literal (literal_index, over dnnf_) what it adds
  /// to the sum; empty when the rule is not of that shape.
  std::vector<int64_t> side_cost_;
  int64_t side_bound_ = 0;
};

/// The rule groups a relaxed form may leave out, largest encoding first: rules whose encodings
/// defined at least `min_gates` auxiliary variables (sums, maxima and comparisons over many
/// blocks).
std::vector<int> relaxation_candidates(const Model& model, size_t min_gates);

/// Whether constraint group `group` is a rule a relaxed form that leaves it out can still bound:
/// an unconditional linear inequality over values (relaxed.cpp).
bool is_linear_rule(const Model& model, int group);

/// The model's clauses without those of the groups in `left_out` and without the definitions
/// only they read (relaxed.cpp). Its models, projected on the value literals, are the
/// assignments that meet every other group; the price literals keep their definitions.
CnfBuffer cnf_without(const Model& model, const std::vector<int>& left_out);

}  // namespace sumisura::detail
