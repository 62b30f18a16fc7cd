// A small deterministic random number generator for the property tests (splitmix64).
//
// The standard distributions are implementation-defined, so the same seed could give different
// catalogs on different standard libraries; this generator gives the same stream everywhere.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace sumisura::proptest {

class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}

  uint64_t next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  /// A number in [0, n) (n > 0).
  int below(int n) { return static_cast<int>(next() % static_cast<uint64_t>(n)); }
  /// A number in [lo, hi].
  int between(int lo, int hi) { return lo + below(hi - lo + 1); }
  /// True with probability `percent` / 100.
  bool chance(int percent) { return below(100) < percent; }

  template <typename T>
  const T& pick(const std::vector<T>& items) {
    return items[below(static_cast<int>(items.size()))];
  }
  template <typename T>
  void shuffle(std::vector<T>& items) {
    for (size_t i = items.size(); i > 1; --i)
      std::swap(items[i - 1], items[below(static_cast<int>(i))]);
  }
  /// `k` distinct items of `items` (in random order; k is capped at the size).
  template <typename T>
  std::vector<T> sample(std::vector<T> items, size_t k) {
    shuffle(items);
    if (items.size() > k) items.resize(k);
    return items;
  }

 private:
  uint64_t state_;
};

/// A well-mixed seed for case `index` of a run started from `base`.
inline uint64_t case_seed(uint64_t base, uint64_t index) {
  Rng r(base ^ (index * 0xD1B54A32D192ED03ull));
  r.next();
  return r.next() & 0xFFFFFFFFFFFFull;  // 48 bits: short enough to type
}

}  // namespace sumisura::proptest
