// Arbitrary-precision naturals (see natural.hpp).
#include "compiled/natural.hpp"

#include <algorithm>
#include <cmath>

namespace sumisura::detail {

Natural::Natural(uint64_t x) {
  while (x) {
    limbs_.push_back(static_cast<uint32_t>(x));
    x >>= 32;
  }
}

Natural Natural::from_limbs(std::vector<uint32_t> limbs) {
  Natural n;
  n.limbs_ = std::move(limbs);
  n.trim();
  return n;
}

size_t Natural::bit_length() const {
  if (limbs_.empty()) return 0;
  return 32 * (limbs_.size() - 1) + (32 - static_cast<size_t>(__builtin_clz(limbs_.back())));
}

namespace limbs {

void add(std::vector<uint32_t>& acc, std::span<const uint32_t> b) {
  if (b.size() > acc.size()) acc.resize(b.size(), 0);
  uint64_t carry = 0;
  size_t i = 0;
  for (; i < b.size(); ++i) {
    uint64_t s = carry + acc[i] + b[i];
    acc[i] = static_cast<uint32_t>(s);
    carry = s >> 32;
  }
  for (; carry && i < acc.size(); ++i) {
    uint64_t s = carry + acc[i];
    acc[i] = static_cast<uint32_t>(s);
    carry = s >> 32;
  }
  if (carry) acc.push_back(static_cast<uint32_t>(carry));
}

void multiply(std::vector<uint32_t>& acc, std::span<const uint32_t> b,
              std::vector<uint32_t>& scratch) {
  if (acc.empty() || b.empty()) {
    acc.clear();
    return;
  }
  if (b.size() == 1) {
    uint64_t carry = 0, m = b[0];
    for (auto& l : acc) {
      uint64_t p = l * m + carry;
      l = static_cast<uint32_t>(p);
      carry = p >> 32;
    }
    if (carry) acc.push_back(static_cast<uint32_t>(carry));
    return;
  }
  scratch.assign(acc.size() + b.size(), 0);
  for (size_t i = 0; i < acc.size(); ++i) {
    uint64_t carry = 0;
    uint64_t a = acc[i];
    for (size_t j = 0; j < b.size(); ++j) {
      uint64_t p = a * b[j] + scratch[i + j] + carry;
      scratch[i + j] = static_cast<uint32_t>(p);
      carry = p >> 32;
    }
    scratch[i + b.size()] = static_cast<uint32_t>(carry);
  }
  while (!scratch.empty() && scratch.back() == 0) scratch.pop_back();
  acc.swap(scratch);
}

void shift_left(std::vector<uint32_t>& acc, size_t bits) {
  if (acc.empty() || bits == 0) return;
  size_t words = bits / 32, rest = bits % 32;
  if (rest) {
    uint32_t carry = 0;
    for (auto& l : acc) {
      uint32_t next = l >> (32 - rest);
      l = (l << rest) | carry;
      carry = next;
    }
    if (carry) acc.push_back(carry);
  }
  if (words) acc.insert(acc.begin(), words, 0);
}

}  // namespace limbs

Natural& Natural::operator+=(const Natural& o) {
  limbs::add(limbs_, o.limbs_);
  return *this;
}

Natural& Natural::operator-=(const Natural& o) {
  int64_t borrow = 0;
  for (size_t i = 0; i < limbs_.size(); ++i) {
    int64_t d = static_cast<int64_t>(limbs_[i]) - borrow - (i < o.limbs_.size() ? o.limbs_[i] : 0);
    borrow = d < 0;
    limbs_[i] = static_cast<uint32_t>(d + (borrow << 32));
    if (i >= o.limbs_.size() && !borrow) break;
  }
  trim();
  return *this;
}

Natural& Natural::operator*=(uint32_t m) {
  if (m == 0) {
    limbs_.clear();
    return *this;
  }
  std::vector<uint32_t> none;
  limbs::multiply(limbs_, std::span<const uint32_t>(&m, 1), none);
  return *this;
}

Natural& Natural::operator*=(const Natural& o) {
  std::vector<uint32_t> scratch;
  limbs::multiply(limbs_, o.limbs_, scratch);
  return *this;
}

Natural& Natural::shift_left(size_t bits) {
  limbs::shift_left(limbs_, bits);
  return *this;
}

Natural& Natural::shift_right(size_t bits) {
  size_t words = bits / 32, rest = bits % 32;
  if (words >= limbs_.size()) {
    limbs_.clear();
    return *this;
  }
  limbs_.erase(limbs_.begin(), limbs_.begin() + static_cast<std::ptrdiff_t>(words));
  if (rest) {
    for (size_t i = 0; i < limbs_.size(); ++i) {
      uint32_t high = i + 1 < limbs_.size() ? limbs_[i + 1] << (32 - rest) : 0;
      limbs_[i] = (limbs_[i] >> rest) | high;
    }
  }
  trim();
  return *this;
}

std::strong_ordering operator<=>(const Natural& a, const Natural& b) {
  if (a.limbs_.size() != b.limbs_.size()) return a.limbs_.size() <=> b.limbs_.size();
  for (size_t i = a.limbs_.size(); i-- > 0;) {
    if (a.limbs_[i] != b.limbs_[i]) return a.limbs_[i] <=> b.limbs_[i];
  }
  return std::strong_ordering::equal;
}

uint32_t Natural::divide_small(uint32_t d) {
  uint64_t rem = 0;
  for (size_t i = limbs_.size(); i-- > 0;) {
    uint64_t cur = (rem << 32) | limbs_[i];
    limbs_[i] = static_cast<uint32_t>(cur / d);
    rem = cur % d;
  }
  trim();
  return static_cast<uint32_t>(rem);
}

std::string Natural::str() const {
  if (limbs_.empty()) return "0";
  // Base 10^9, least significant first. The divisor is a constant here, so the compiler turns
  // each division into a multiplication (a general divide_small is several times slower, which
  // the counts of every value of a large model, thousands of digits each, make visible).
  constexpr uint64_t kBase = 1000000000u;
  std::vector<uint32_t> n = limbs_;
  std::vector<uint32_t> parts;
  parts.reserve(n.size() * 32 / 29 + 1);
  while (!n.empty()) {
    uint64_t rem = 0;
    for (size_t i = n.size(); i-- > 0;) {
      uint64_t cur = (rem << 32) | n[i];
      n[i] = static_cast<uint32_t>(cur / kBase);
      rem = cur % kBase;
    }
    while (!n.empty() && n.back() == 0) n.pop_back();
    parts.push_back(static_cast<uint32_t>(rem));
  }
  std::string s = std::to_string(parts.back());
  for (size_t i = parts.size() - 1; i-- > 0;) {
    std::string part = std::to_string(parts[i]);
    s += std::string(9 - part.size(), '0') + part;
  }
  return s;
}

bool Natural::parse(std::string_view text, Natural& out) {
  out = Natural();
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') {
      out = Natural();
      return false;
    }
    out *= 10u;
    out += Natural(static_cast<uint64_t>(c - '0'));
  }
  return true;
}

double Natural::to_double() const {
  double x = 0;
  for (size_t i = limbs_.size(); i-- > 0;) x = x * 4294967296.0 + limbs_[i];
  return x;
}

Natural Natural::random_below(const Natural& bound, std::mt19937_64& rng) {
  // Rejection sampling on the bound's bit length: uniform, and fewer than two draws on average.
  size_t bits = bound.bit_length();
  size_t words = (bits + 31) / 32;
  uint32_t top_mask = bits % 32 ? (1u << (bits % 32)) - 1 : 0xffffffffu;
  for (;;) {
    std::vector<uint32_t> limbs(words);
    for (auto& l : limbs) l = static_cast<uint32_t>(rng());
    if (!limbs.empty()) limbs.back() &= top_mask;
    Natural n = from_limbs(std::move(limbs));
    if (n < bound) return n;
  }
}

}  // namespace sumisura::detail
