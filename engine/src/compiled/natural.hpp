// Arbitrary-precision natural numbers for exact counts: feature models have up to 10^400 valid
// configurations, far beyond 64 bits and beyond what a double holds exactly. Limbs are 32 bits,
// least significant first, with no leading zero limb (zero has no limbs).
#pragma once

#include <compare>
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sumisura::detail {

/// Arithmetic on raw limb vectors (32-bit limbs, least significant first, no leading zero), for
/// passes that keep thousands of numbers and must not allocate for each: the vectors passed in
/// are reused across calls.
namespace limbs {
/// acc += b.
void add(std::vector<uint32_t>& acc, std::span<const uint32_t> b);
/// acc *= b, using `scratch` for the product.
void multiply(std::vector<uint32_t>& acc, std::span<const uint32_t> b,
              std::vector<uint32_t>& scratch);
/// acc *= 2^bits.
void shift_left(std::vector<uint32_t>& acc, size_t bits);
}  // namespace limbs

/// Naturals stored back to back, one per node of a compiled form.
class NaturalTable {
 public:
  void reset(size_t entries) {
    limbs_.clear();
    first_.assign(entries, 0);
    size_.assign(entries, 0);
  }
  void set(size_t i, const std::vector<uint32_t>& value) {
    first_[i] = static_cast<uint32_t>(limbs_.size());
    size_[i] = static_cast<uint32_t>(value.size());
    limbs_.insert(limbs_.end(), value.begin(), value.end());
  }
  std::span<const uint32_t> get(size_t i) const { return {limbs_.data() + first_[i], size_[i]}; }
  bool is_zero(size_t i) const { return size_[i] == 0; }

 private:
  std::vector<uint32_t> limbs_;
  std::vector<uint32_t> first_, size_;
};

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
  static Natural from_limbs(std::span<const uint32_t> limbs) {
    return from_limbs(std::vector<uint32_t>(limbs.begin(), limbs.end()));
  }

 private:
  void trim() {
    while (!limbs_.empty() && limbs_.back() == 0) limbs_.pop_back();
  }
  std::vector<uint32_t> limbs_;
};

}  // namespace sumisura::detail
