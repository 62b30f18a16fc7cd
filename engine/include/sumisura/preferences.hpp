// Customer memory: past orders, customer profiles, and a preference model learned from sales that
// ranks the values still valid in a session (docs/recommendations.md).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sumisura/error.hpp"
#include "sumisura/spec.hpp"
#include "sumisura/value.hpp"

namespace sumisura {

class Configurator;

/// One past order: what the customer chose, as NAME=VALUE choices over the catalog's variables
/// (options, slots, services, `product`, SLOT.BLOCK quantities), and what it cost when known.
struct Order {
  std::vector<Choice> choices;
  std::optional<Decimal> total;
  std::string tier;  ///< the tier it was priced at, when the order says (JSON "tier")
  /// A whole product (a table row or a configure result), not some choices (a saved session).
  bool complete = false;
  std::string source;  ///< file the order was read from
  Position where;      ///< its line there
};

/// What a shop knows of one customer. Plain data: the engine stores nothing.
struct Profile {
  std::string id;
  std::vector<Preference> preferences;  ///< stated wishes, each with its weight
  std::vector<Order> orders;            ///< past orders, oldest first
  std::string tier;                     ///< a tier by name (contract, membership), or empty
  std::string source;
};

/// Reads a profile from JSON or YAML text (see docs/recommendations.md). Throws Error(kind spec)
/// naming the line on malformed text.
Profile parse_profile(const std::string& text, const std::string& source_name = "<profile>");
/// Reads a profile file; throws Error(kind io) when it cannot be read.
Profile load_profile(const std::string& path);

/// Reads past orders for `configurator`'s catalog: a table (a header naming variables, then one
/// order per line, values separated by blanks, commas or tabs, as in the Renault sales
/// histories), or JSON (an array or JSON lines) of configure results, saved sessions, or
/// {"choices": {NAME: VALUE}, "total": N} objects. Throws Error(kind spec) naming file and line
/// for an unknown variable or value, a wrong column count or malformed JSON.
std::vector<Order> parse_orders(const Configurator& configurator, const std::string& text,
                                const std::string& source_name = "<orders>");
std::vector<Order> load_orders(const Configurator& configurator, const std::string& path);

/// The sum of a profile's past orders' totals (an order without one is priced on the catalog:
/// the cheapest product with its choices; an order the catalog no longer makes counts nothing).
Decimal lifetime_value(const Configurator& configurator, const Profile& profile);
/// The tier the catalog gives this customer: the best discount among the tier the profile names
/// and the tiers its lifetime value reaches. Empty when none.
std::string tier_of(const Configurator& configurator, const Profile& profile);

/// A value and how likely the customer is to want it (scores of one ranking sum to 1).
struct ScoredValue {
  Value value;
  double score = 0;
};

/// The question to ask next and the values to propose for it, best first.
struct Recommendation {
  std::string name;
  std::vector<ScoredValue> values;
};

enum class PreferenceMethod {
  /// Kernel estimate over past orders: each order votes for its values with a weight that falls
  /// by a learned factor for every current choice it disagrees with (exact conditional
  /// frequencies where many past orders agree, the nearest orders where none do).
  neighbours,
  /// A tree-shaped Bayesian network (Chow-Liu): exact P(value | current choices) in the tree
  /// of largest mutual information between the variables.
  tree,
  naive_bayes,  ///< P(value) times P(choice | value) over the current choices (baseline)
  frequency,    ///< how often each value was sold (baseline)
};
std::string to_string(PreferenceMethod method);
std::optional<PreferenceMethod> preference_method_from_name(const std::string& name);

struct LearnOptions {
  PreferenceMethod method = PreferenceMethod::neighbours;
  /// The kernel's mismatch factor, below 0.5. 0: the bandwidth and the relevance threshold are
  /// chosen at learning time by replaying held-out orders in a session and keeping the pair
  /// that predicts their values best among those the catalog leaves. Given, every known choice
  /// is read.
  double bandwidth = 0;
  uint64_t seed = 1;  ///< for the held-out orders the bandwidth is chosen on
};

namespace detail {
struct PreferenceData;
}

/// Preferences learned from past orders. A value type: copy it to update it while sessions
/// use the old one (they hold their own reference).
class PreferenceModel {
 public:
  PreferenceModel();
  ~PreferenceModel();
  PreferenceModel(const PreferenceModel&);
  PreferenceModel& operator=(const PreferenceModel&);
  PreferenceModel(PreferenceModel&&) noexcept;
  PreferenceModel& operator=(PreferenceModel&&) noexcept;

  /// Learns from `orders` of `configurator`'s catalog.
  static PreferenceModel learn(const Configurator& configurator, const std::vector<Order>& orders,
                               const LearnOptions& options = {});
  /// One more order (a sale): counted at once, nothing relearned. Throws Error(kind spec) for
  /// names or values the model's catalog does not have.
  void add(const Order& order);
  /// Throws Error(kind spec) naming the order's file and line when it names a variable or value
  /// the model's catalog does not have.
  void check(const Order& order) const;

  PreferenceMethod method() const;
  double bandwidth() const;
  /// How relevant a known choice must be for the kernel to read it when it predicts `name`
  /// (the share of `name`'s uncertainty it removes; see LearnOptions).
  double threshold(const std::string& name) const;
  size_t orders() const;  ///< orders learned from
  /// The method and what learning chose, in a line: "neighbours, bandwidth 0.01, ...".
  std::string describe() const;
  std::vector<std::string> variables() const;     ///< the variables the orders name
  bool names(const std::string& variable) const;  ///< whether some order names `variable`

  /// Scores of `candidates` (values of `name`) for a customer who has made `known` choices,
  /// normalised to sum 1 (equal when the model knows nothing of `name`). `own` are this
  /// customer's past orders: they weigh as much as the whole history once there is one of them
  /// (a returning customer's size is their size).
  std::vector<double> scores(const std::string& name, const std::vector<Choice>& known,
                             const std::vector<Value>& candidates,
                             const std::vector<Order>& own = {}) const;

  /// The model as JSON (format `sumisura-preferences/1`): catalog name and version, method,
  /// bandwidth, variables with their values, and the distinct orders with their counts.
  std::string to_json() const;
  void save(const std::string& path) const;  ///< throws Error(kind io) when it cannot write
  /// Reads a model saved by to_json for `configurator`'s catalog. Throws Error(kind spec) on
  /// malformed text or variables and values the catalog lacks.
  static PreferenceModel from_json(const Configurator& configurator, const std::string& text,
                                   const std::string& source_name = "<preferences>");
  static PreferenceModel load(const Configurator& configurator, const std::string& path);

 private:
  std::unique_ptr<detail::PreferenceData> data_;
};

}  // namespace sumisura
