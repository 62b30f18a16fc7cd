// Who a session or a configure call serves: the shop's preference model, the customer's profile,
// the tier it earns, and its stated wishes read per variable. Shared, immutable once made.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sumisura/configurator.hpp"
#include "sumisura/preferences.hpp"
#include "sumisura/session.hpp"

namespace sumisura::detail {

struct Customer {
  std::shared_ptr<const PreferenceModel> model;  ///< learned from the shop's sales; may be null
  /// Scores the customer's own orders where the shop has no model (no history, only theirs).
  std::shared_ptr<const PreferenceModel> own_only;
  std::optional<Profile> profile;
  std::string tier;  ///< tier id the customer pays at, or empty
  struct Wish {
    std::vector<char> allowed;  ///< per value of the variable
    double weight = 1;
  };
  /// Stated preferences that read one variable, by variable name: each multiplies the odds of
  /// the values it allows by e^(5 * weight).
  std::map<std::string, std::vector<Wish>> wishes;

  /// The valid values of `v` ranked for this customer, best first (scores sum to 1; ties keep the
  /// catalog default first, then catalog order).
  std::vector<ScoredValue> rank(const VariableState& v, const std::vector<Choice>& choices) const;
  /// Whether the model or the customer's orders say anything about `name`.
  bool knows(const std::string& name) const;
};

std::shared_ptr<const Customer> make_customer(const Configurator& configurator,
                                              const Profile* profile);

/// Throws Error(kind spec) naming the file and line of an order naming what the catalog lacks.
void check_profile(const Configurator& configurator, const Profile& profile);

/// `spec` for this customer: the profile's stated preferences, their past orders' option values
/// as weaker preferences (the share of orders that had them), and their tier unless the spec
/// names one.
Spec customer_spec(const Configurator& configurator, Spec spec, const Profile& profile);

}  // namespace sumisura::detail
