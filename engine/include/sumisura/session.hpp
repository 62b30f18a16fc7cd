// Interactive configuration: one customer's clicks over a shared compiled catalog.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sumisura/configurator.hpp"

namespace sumisura {

namespace detail {
class SessionImpl;
}

/// One option, slot, service or the product, as the page shows it after a click.
struct VariableState {
  std::string name;
  std::string kind;                    ///< option, slot, service, product, quantity
  std::vector<Value> values;           ///< every value, in catalog order
  std::vector<bool> valid;             ///< per value: some valid product has it with all choices
  std::optional<Value> chosen;         ///< the customer's own choice
  std::optional<Value> implied;        ///< forced by the choices (one valid value left, not chosen)
  std::optional<Value> default_value;  ///< the catalog default, shown while untouched and valid
  std::vector<Value> valid_values() const;
};

struct SessionState {
  bool consistent = true;  ///< false only when resumed choices contradict a changed catalog
  bool complete = true;    ///< false when a limit stopped the computation (values may be missing)
  std::vector<VariableState> variables;
  std::optional<Decimal> price_min, price_max;  ///< over all valid completions
  /// The catalog has prices but a limit stopped the range (Limits::price_seconds): ask again.
  bool price_limited = false;
  std::string currency;
  /// The number of valid products that extend the choices (decimal digits), when the catalog's
  /// compiled form answers this state; empty when the search back end answers it.
  std::string count;
  const VariableState* find(const std::string& name) const;
};

/// Why a value is not available: a minimal set of the customer's choices that excludes it, and the
/// catalog rules involved.
struct Explanation {
  bool available = false;  ///< the value is available: nothing to explain
  std::vector<Choice> choices;
  std::vector<RuleRef> rules;
  bool minimal = true;
};

/// A minimal set of earlier choices to give up so that a value becomes available.
struct ChoiceRepair {
  std::vector<Choice> drop;
};

/// What a saved session became when it was resumed on another version of its catalog.
struct ResumeReport {
  bool catalog_changed = false;  ///< saved under another version of the catalog
  std::string saved_version;     ///< the version it was saved under
  std::vector<Choice> kept;      ///< choices that still hold, in their order
  struct Dropped {
    Choice choice;
    std::string reason;
    /// The earlier kept choices and the catalog rules that rule it out (when it still exists).
    Explanation explanation;
  };
  std::vector<Dropped> dropped;
};

struct ChooseResult {
  bool accepted = false;
  /// Refused because a limit stopped the check (try again with a larger limit), not because the
  /// value leads to a dead end; the explanation is then empty.
  bool limit_reached = false;
  Explanation explanation;  ///< when refused for a dead end
};

class Session {
 public:
  explicit Session(const Configurator& configurator);
  ~Session();
  Session(Session&&) noexcept;
  Session& operator=(Session&&) noexcept;
  Session(const Session&);  ///< copies the choices and history (a new solver is made lazily)
  Session& operator=(const Session&);

  /// Chooses a value. A value that no valid product has together with the current choices is
  /// refused with its explanation (the session does not change). Choosing a name again replaces
  /// the earlier choice. Throws Error(kind spec) for names or values the catalog does not have.
  ChooseResult choose(const std::string& name, const std::string& value, const Limits& limits = {});
  /// Forgets the choice of `name` (no-op when there is none).
  void unchoose(const std::string& name);
  /// Undoes the last choose/unchoose/reset. Throws Error(kind usage) when there is nothing to undo.
  void undo();
  void reset();
  const std::vector<Choice>& choices() const;

  /// Valid values of everything, what is chosen, implied and defaulted, and the price range. The
  /// state belongs to the session and stays valid until the session's next call (copy it to
  /// keep it): it is updated in place, so a click costs no more than what changed.
  const SessionState& state(const Limits& limits = {});
  Explanation explain(const std::string& name, const std::string& value, const Limits& limits = {});
  /// Minimal sets of earlier choices to drop so that `name`=`value` becomes available, preferring
  /// to keep the most recent choices (best first).
  std::vector<ChoiceRepair> repairs(const std::string& name, const std::string& value,
                                    const Limits& limits = {});
  /// Finishes the product from the current choices (same answer shape as configure). With
  /// Objective::most_likely first, every open variable the preference model or the profile
  /// knows is set, the most certain first, to its most likely valid value (what a customer who
  /// accepts every recommendation gets); the rest of `objective` settles what remains.
  ConfigureResult complete(const std::vector<Objective>& objective = {}, const Limits& limits = {});

  /// The valid values of `name` (option, slot, service, `product`) ranked for this customer, best
  /// first, with scores that sum to 1: the preference model's prediction from the current
  /// choices, shifted by the profile's past orders and stated wishes. Equal scores without
  /// either. Throws Error(kind spec) for a name the catalog lacks.
  std::vector<ScoredValue> recommend(const std::string& name, const Limits& limits = {});
  /// The open variable to ask about next, with its ranked values: among those the model or the
  /// profile knows, the one whose answer is hardest to guess (highest entropy of its ranking);
  /// the others are best proposed as defaults. Without any, the first open one in catalog
  /// order. Nothing when every variable is chosen or implied.
  std::optional<Recommendation> recommend_next(const Limits& limits = {});
  /// Serve a known customer from now on: their tier's prices, their orders and wishes in
  /// recommendations. Throws Error(kind spec) for a profile the catalog does not fit.
  void set_profile(const Profile& profile);
  const Profile* profile() const;

  /// The session as JSON (catalog name and version, choices, undo history); resume with from_json.
  std::string to_json() const;
  /// Resumes a session saved by to_json on this catalog. Saved under another version of it (same
  /// name), the choices that still hold are kept in their order and the others dropped, each with
  /// why (`report` says which; the undo history then starts afresh). Throws Error(kind spec) on
  /// malformed text and for a session of another catalog.
  /// The replay runs within `limits` as a whole (choices left when it runs out are dropped, to be
  /// chosen again). A changed catalog is told by its version or, for sessions saved since this
  /// engine version, by a fingerprint of its content.
  static Session from_json(const Configurator& configurator, const std::string& json,
                           ResumeReport* report = nullptr, const Limits& limits = {});

 private:
  friend class Configurator;
  std::unique_ptr<detail::SessionImpl> impl_;
};

}  // namespace sumisura
