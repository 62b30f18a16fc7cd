// Exact decimal numbers and the values that options and attributes take.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sumisura {

/// An exact fixed-point number with six decimal places (prices, weights, percentages).
/// Exact arithmetic is what lets the solver prove that the cheapest answer is the cheapest.
class Decimal {
 public:
  static constexpr int64_t kScale = 1'000'000;
  static constexpr int kDigits = 6;

  constexpr Decimal() = default;
  static constexpr Decimal from_units(int64_t units) { return Decimal(units); }
  /// Throws std::overflow_error when |value| * 10^6 does not fit in 64 bits.
  static Decimal from_integer(int64_t value);
  /// Parses "12", "-3.5", "0.000001". Returns nothing for malformed text, more than six decimals
  /// or numbers that do not fit.
  static std::optional<Decimal> parse(std::string_view text);

  constexpr int64_t units() const { return units_; }  ///< value * 10^6
  bool is_integer() const { return units_ % kScale == 0; }
  int64_t integer_part() const { return units_ / kScale; }
  double to_double() const { return static_cast<double>(units_) / kScale; }
  /// Shortest exact text: "12", "12.5", "-0.000001".
  std::string to_string() const;
  /// Text with exactly `decimals` places, rounded half away from zero ("12.50").
  std::string to_fixed(int decimals) const;

  friend constexpr bool operator==(Decimal, Decimal) = default;
  friend constexpr auto operator<=>(Decimal, Decimal) = default;

 private:
  constexpr explicit Decimal(int64_t units) : units_(units) {}
  int64_t units_ = 0;
};

enum class ValueKind { boolean, number, string, list };

/// A value an option, an attribute or a table cell can hold. Lists hold the sets of set-valued
/// attributes (e.g. the sizes a block comes in).
class Value {
 public:
  Value() = default;
  static Value boolean(bool b);
  static Value number(Decimal d);
  static Value integer(int64_t i) { return number(Decimal::from_integer(i)); }
  static Value string(std::string s);
  static Value list(std::vector<Value> items);

  ValueKind kind() const { return kind_; }
  bool is_boolean() const { return kind_ == ValueKind::boolean; }
  bool is_number() const { return kind_ == ValueKind::number; }
  bool is_string() const { return kind_ == ValueKind::string; }
  bool is_list() const { return kind_ == ValueKind::list; }
  bool as_boolean() const { return boolean_; }
  Decimal as_number() const { return number_; }
  const std::string& as_string() const { return string_; }
  const std::vector<Value>& as_list() const { return list_; }

  /// Text as a catalog writes it: true, 12.5, leather, [38, 39].
  std::string to_string() const;

  friend bool operator==(const Value&, const Value&) = default;

 private:
  ValueKind kind_ = ValueKind::boolean;
  bool boolean_ = false;
  Decimal number_;
  std::string string_;
  std::vector<Value> list_;
};

}  // namespace sumisura
