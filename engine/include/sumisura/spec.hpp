// What a customer asks for: requirements, preferences, bounds, an objective (docs/spec-format.md).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sumisura/error.hpp"
#include "sumisura/value.hpp"

namespace sumisura {

/// One hard requirement. The order of a specification's requirements is the order the customer
/// stated them: repairs prefer to give up older ones.
struct Requirement {
  enum class Kind {
    expression,  ///< `text` in the rule language, e.g. `size == 42`
    assignment,  ///< `name` = `value` (the --where NAME=VALUE form; value as written)
    bound,       ///< measure `name` (or `price`) at most `bound` (at least, with `at_least`)
    product,     ///< product `name` is chosen
  };
  Kind kind = Kind::expression;
  std::string text;       ///< expression text (kind expression)
  std::string name;       ///< option, slot, service, block, measure or product (other kinds)
  std::string value;      ///< assignment value as written: `42`, `true`, `navy`, a block id, `none`
  Decimal bound;          ///< kind bound
  bool at_least = false;  ///< kind bound: a lower bound (`min:` in a spec file)
  Decimal weight = Decimal::from_integer(1);  ///< how much the customer cares (repair ranking)
  Position where;

  static Requirement expression_of(std::string text);
  static Requirement assignment_of(std::string name, std::string value);
  static Requirement bound_of(std::string measure, Decimal bound);
  /// `measure >= bound` (`min: {stowage: 150}`); a repair may lower it.
  static Requirement lower_bound_of(std::string measure, Decimal bound);
  static Requirement product_of(std::string product);
  /// Parses the --where form `NAME=VALUE` (the value is what follows the last `=`).
  /// Throws Error(kind spec) when there is no `=`.
  static Requirement parse_where(const std::string& text);
  /// How the requirement is shown in conflicts and repairs: the expression as written,
  /// `NAME=VALUE`, `price <= 300`, `stowage >= 150`, `product = oxford`.
  std::string label() const;
};

/// A choice the customer made: NAME=VALUE (option, slot, service, block or `product`).
struct Choice {
  std::string name;
  std::string value;
  bool operator==(const Choice&) const = default;
};

/// A soft wish and how much it counts.
struct Preference {
  std::string text;  ///< condition in the rule language
  Decimal weight = Decimal::from_integer(1);
  Position where;
};

/// One part of a lexicographic objective: a built-in goal, or a catalog measure to minimise or
/// maximise (the lightest bike: `minimize weight`; the most stowage: `maximize stowage`).
struct Objective {
  enum class Kind {
    cheapest,   ///< lowest total price
    preferred,  ///< highest total weight of preferences met
    /// The product the customer most likely wants: every open variable the preference model
    /// knows set, most certain first, to its most likely valid value (sessions and choice-only
    /// specs).
    most_likely,
    minimize,  ///< lowest value of `measure`
    maximize,  ///< highest value of `measure`
  };
  using enum Kind;
  Kind kind = cheapest;
  /// Kinds minimize and maximize: a catalog measure, or `price` (`minimize price` is `cheapest`);
  /// ignored by the other kinds.
  std::string measure;

  Objective(Kind k = cheapest) : kind(k) {}  // NOLINT: Objective::cheapest reads as an objective
  Objective(Kind k, std::string m) : kind(k), measure(std::move(m)) {}
  bool operator==(const Objective&) const = default;

  /// Reads `cheapest`, `preferred`, `most_likely`, `minimize MEASURE` or `maximize MEASURE`
  /// (`minimize price` is `cheapest`). Throws Error(kind spec) naming the accepted forms.
  static Objective parse(const std::string& text);
  /// The text parse() reads back.
  std::string text() const;
};

/// Reads one objective or a comma-separated list, most important first
/// (`cheapest, minimize weight`). Throws Error(kind spec).
std::vector<Objective> parse_objectives(const std::string& text);

struct Spec {
  std::vector<Requirement> requirements;  ///< includes bounds (max price, max lead time, ...)
  std::vector<Preference> preferences;
  /// Lexicographic objective. Empty means: preferred then cheapest when there are preferences,
  /// else cheapest. The engine always breaks remaining ties by price, then deterministically.
  std::vector<Objective> objective;
  std::string tier;     ///< customer tier id, or empty
  Position tier_where;  ///< where `tier` was written, when read from a file
  std::string source;   ///< file the spec came from, for error messages
};

/// Reads a specification from YAML or JSON text (see docs/spec-format.md). Throws Error(kind spec)
/// with line and column on malformed input.
Spec parse_spec(const std::string& text, const std::string& source_name = "<spec>");
/// Reads a specification file (`-`: standard input); throws Error(kind io) when it cannot be read.
Spec load_spec(const std::string& path);

}  // namespace sumisura
