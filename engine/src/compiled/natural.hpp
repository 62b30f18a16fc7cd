// Arbitrary-precision natural numbers for exact counts: feature models have up to 10^400 valid
// configurations, far beyond 64 bits and beyond what a double holds exactly. Limbs are 32 bits,
// least significant first, with no leading zero limb (zero has no limbs).
#pragma once

#include <compare>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace sumisura::detail {

class Natural {
 public:
  Natural() = default;
  explicit Natural(uint64_t x);

  bool is_zero() const { return limbs_.empty(); }
  /// Number of bits (0 for zero).
  size_t bit_length() const;

  Natural& operator+=(const Natural& o);
  /// Subtracts `o`, which must not be larger.
  Natural& operator-=(const Natural& o);
  Natural& operator*=(const Natural& o);
  Natural& operator*=(uint32_t m);
  /// Multiplies by 2^bits.
  Natural& shift_left(size_t bits);
  /// Divides by 2^bits, dropping the remainder.
  Natural& shift_right(size_t bits);
  /// Divides by `d` (not zero) in place; returns the remainder.
  uint32_t divide_small(uint32_t d);
  friend Natural operator+(Natural a, const Natural& b) { return a += b; }
  friend Natural operator*(Natural a, const Natural& b) { return a *= b; }

  friend bool operator==(const Natural& a, const Natural& b) { return a.limbs_ == b.limbs_; }
  friend std::strong_ordering operator<=>(const Natural& a, const Natural& b);

  /// Decimal digits.
  std::string str() const;
  /// Parses decimal digits; false (and zero) when `text` is empty or holds anything else.
  static bool parse(std::string_view text, Natural& out);
  /// The value as a double (rounded; +inf beyond its range).
  double to_double() const;
  /// A number drawn uniformly from [0, bound) (bound must not be zero).
  static Natural random_below(const Natural& bound, std::mt19937_64& rng);

  const std::vector<uint32_t>& limbs() const { return limbs_; }
  static Natural from_limbs(std::vector<uint32_t> limbs);

 private:
  void trim() {
    while (!limbs_.empty() && limbs_.back() == 0) limbs_.pop_back();
  }
  std::vector<uint32_t> limbs_;
};

}  // namespace sumisura::detail
