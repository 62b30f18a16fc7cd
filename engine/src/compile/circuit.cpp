// Gates, totalizers, adder networks and comparators (see circuit.hpp).
#include "compile/circuit.hpp"

#include <algorithm>
#include <deque>
#include <functional>
#include <limits>
#include <numeric>

namespace sumisura::detail {
namespace {

// Everything a Circuit adds defines auxiliary variables: it belongs to no constraint group.
class Definitions {
 public:
  explicit Definitions(ClauseSink& sink) : sink_(sink), saved_(sink.begin_definitions()) {}
  ~Definitions() { sink_.end_definitions(saved_); }

 private:
  ClauseSink& sink_;
  int saved_;
};

}  // namespace

int64_t checked_add(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r) || r > (int64_t{1} << 62) || r < -(int64_t{1} << 62)) {
    throw EncodeError("a sum of numbers exceeds 2^62 units of 10^-6; use smaller numbers");
  }
  return r;
}

int64_t checked_mul(int64_t a, int64_t b) {
  int64_t r;
  if (__builtin_mul_overflow(a, b, &r) || r > (int64_t{1} << 62) || r < -(int64_t{1} << 62)) {
    throw EncodeError("a product of numbers exceeds 2^62 units of 10^-6; use smaller numbers");
  }
  return r;
}

void Linear::add(int64_t weight, Lit lit) {
  if (weight == 0 || lit == kFalse) return;
  if (lit == kTrue) {
    constant = checked_add(constant, weight);
    return;
  }
  terms.push_back({weight, lit});
}

void Linear::add(const Linear& other, int64_t factor) {
  constant = checked_add(constant, checked_mul(other.constant, factor));
  for (auto [w, l] : other.terms) add(checked_mul(w, factor), l);
}

void Linear::normalize() {
  // Sum the weights per variable, counting a negative literal as w - w*[v].
  std::sort(terms.begin(), terms.end(),
            [](auto a, auto b) { return std::abs(a.second) < std::abs(b.second); });
  std::vector<std::pair<int64_t, Lit>> out;
  for (size_t i = 0; i < terms.size();) {
    int var = std::abs(terms[i].second);
    int64_t weight = 0;
    for (; i < terms.size() && std::abs(terms[i].second) == var; ++i) {
      auto [w, l] = terms[i];
      if (l > 0) {
        weight = checked_add(weight, w);
      } else {
        constant = checked_add(constant, w);
        weight = checked_add(weight, -w);
      }
    }
    if (var == kTrue) {
      constant = checked_add(constant, weight);
    } else if (weight != 0) {
      out.push_back({weight, var});
    }
  }
  terms = std::move(out);
}

int64_t Linear::min_value() const {
  int64_t v = constant;
  for (auto [w, l] : terms) {
    if (w < 0) v = checked_add(v, w);
  }
  return v;
}

int64_t Linear::max_value() const {
  int64_t v = constant;
  for (auto [w, l] : terms) {
    if (w > 0) v = checked_add(v, w);
  }
  return v;
}

Lit Circuit::and_of(std::vector<Lit> inputs) {
  Definitions definitions(sink_);
  std::sort(inputs.begin(), inputs.end());
  inputs.erase(std::unique(inputs.begin(), inputs.end()), inputs.end());
  std::vector<Lit> kept;
  for (Lit l : inputs) {
    if (l == kFalse) return kFalse;
    if (l == kTrue) continue;
    if (std::binary_search(inputs.begin(), inputs.end(), -l)) return kFalse;
    kept.push_back(l);
  }
  if (kept.empty()) return kTrue;
  if (kept.size() == 1) return kept[0];
  auto it = and_cache_.find(kept);
  if (it != and_cache_.end()) return it->second;
  Lit out = fresh();
  std::vector<Lit> big{out};
  for (Lit l : kept) {
    sink_.add({-out, l});
    big.push_back(-l);
  }
  sink_.add_clause(big);
  and_cache_.emplace(std::move(kept), out);
  return out;
}

Lit Circuit::or_of(std::vector<Lit> inputs) {
  for (auto& l : inputs) l = -l;
  return -and_of(std::move(inputs));
}

Lit Circuit::iff(Lit a, Lit b) {
  if (a == b) return kTrue;
  if (a == -b) return kFalse;
  if (a == kTrue) return b;
  if (a == kFalse) return -b;
  if (b == kTrue) return a;
  if (b == kFalse) return -a;
  // a <=> b is (a or not b) and (not a or b).
  return and_of({or_of({a, -b}), or_of({-a, b})});
}

void Circuit::half_adder(Lit a, Lit b, Lit& sum, Lit& carry) {
  Definitions definitions(sink_);
  carry = and_of({a, b});
  sum = fresh();
  sink_.add({-a, -b, -sum});
  sink_.add({a, b, -sum});
  sink_.add({-a, b, sum});
  sink_.add({a, -b, sum});
}

void Circuit::full_adder(Lit a, Lit b, Lit c, Lit& sum, Lit& carry) {
  Definitions definitions(sink_);
  sum = fresh();
  carry = fresh();
  // sum <=> a xor b xor c: forbid every assignment with the wrong parity.
  for (int mask = 0; mask < 8; ++mask) {
    Lit la = mask & 1 ? -a : a, lb = mask & 2 ? -b : b, lc = mask & 4 ? -c : c;
    bool parity = __builtin_popcount(mask) & 1;  // number of true inputs in this assignment
    sink_.add({la, lb, lc, parity ? sum : -sum});
  }
  // carry <=> at least two of a, b, c.
  sink_.add({-a, -b, carry});
  sink_.add({-a, -c, carry});
  sink_.add({-b, -c, carry});
  sink_.add({a, b, -carry});
  sink_.add({a, c, -carry});
  sink_.add({b, c, -carry});
}

const std::vector<Lit>& Circuit::binary_sum(const std::vector<std::pair<int64_t, Lit>>& terms) {
  auto it = binary_cache_.find(terms);
  if (it != binary_cache_.end()) return it->second;
  // Bucket j holds the literals worth 2^j; reduce each bucket to one bit with adders, passing
  // carries up (the classic adder-network encoding of pseudo-Boolean sums).
  std::vector<std::deque<Lit>> buckets(64);
  for (auto [w, l] : terms) {
    for (int j = 0; j < 63; ++j) {
      if ((w >> j) & 1) buckets[j].push_back(l);
    }
  }
  std::vector<Lit> bits;
  for (int j = 0; j < 64; ++j) {
    auto& q = buckets[j];
    while (q.size() >= 2) {
      Lit sum, carry;
      if (q.size() >= 3) {
        Lit a = q.front();
        q.pop_front();
        Lit b = q.front();
        q.pop_front();
        Lit c = q.front();
        q.pop_front();
        full_adder(a, b, c, sum, carry);
      } else {
        Lit a = q.front();
        q.pop_front();
        Lit b = q.front();
        q.pop_front();
        half_adder(a, b, sum, carry);
      }
      q.push_back(sum);
      if (j + 1 >= 63) throw EncodeError("a sum of numbers exceeds 2^62 units");
      buckets[j + 1].push_back(carry);
    }
    bits.push_back(q.empty() ? kFalse : q.front());
  }
  while (!bits.empty() && bits.back() == kFalse) bits.pop_back();
  return binary_cache_.emplace(terms, std::move(bits)).first->second;
}

Lit Circuit::bits_at_most(const std::vector<Lit>& bits, int64_t bound) {
  Definitions definitions(sink_);
  if (bound < 0) return kFalse;
  int n = bits.size();
  if (n < 63 && bound >= (int64_t{1} << n) - 1) return kTrue;
  auto key = std::make_pair(bits, bound);
  auto it = compare_cache_.find(key);
  if (it != compare_cache_.end()) return it->second;
  Lit r = fresh();
  // r => bits <= bound: for each 0-bit j of bound, not (bit j and every higher 1-bit of bound).
  for (int j = 0; j < n; ++j) {
    if ((bound >> j) & 1) continue;
    std::vector<Lit> clause{-r, -bits[j]};
    for (int i = j + 1; i < n; ++i) {
      if ((bound >> i) & 1) clause.push_back(-bits[i]);
    }
    sink_.add_clause(clause);
  }
  // not r => bits >= bound + 1: for each 1-bit j of m, bit j or some higher 0-bit of m is set.
  int64_t m = bound + 1;
  for (int j = 0; j < n; ++j) {
    if (!((m >> j) & 1)) continue;
    std::vector<Lit> clause{r, bits[j]};
    for (int i = j + 1; i < n; ++i) {
      if (!((m >> i) & 1)) clause.push_back(bits[i]);
    }
    sink_.add_clause(clause);
  }
  compare_cache_.emplace(std::move(key), r);
  return r;
}

Lit Circuit::bits_at_least(const std::vector<Lit>& bits, int64_t bound) {
  return -bits_at_most(bits, bound - 1);
}

std::vector<Lit> Circuit::totalize(const std::vector<Lit>& lits, size_t lo, size_t hi, int cap) {
  Definitions definitions(sink_);
  if (hi - lo == 1) return {lits[lo]};
  size_t mid = (lo + hi) / 2;
  std::vector<Lit> a = totalize(lits, lo, mid, cap);
  std::vector<Lit> b = totalize(lits, mid, hi, cap);
  int p = a.size(), q = b.size();
  int n = std::min<int>(p + q, cap);
  std::vector<Lit> c(n);
  for (auto& l : c) l = fresh();
  // c[k-1] <=> at least k of the inputs below this node are true (k = 1..n; n = cap means >= cap).
  auto A = [&](int i) { return i == 0 ? kTrue : i > p ? kFalse : a[i - 1]; };
  auto B = [&](int j) { return j == 0 ? kTrue : j > q ? kFalse : b[j - 1]; };
  for (int i = 0; i <= p; ++i) {
    for (int j = 0; j <= q; ++j) {
      int k = std::min(i + j, n);
      if (k >= 1) {
        std::vector<Lit> up{c[k - 1]};  // a>=i and b>=j => c>=i+j
        if (i) up.push_back(-A(i));
        if (j) up.push_back(-B(j));
        sink_.add_clause(up);
      }
      if (i + j + 1 <= n) {
        std::vector<Lit> down{-c[i + j]};  // a<i+1 and b<j+1 => c<i+j+1
        if (i + 1 <= p) down.push_back(A(i + 1));
        if (j + 1 <= q) down.push_back(B(j + 1));
        sink_.add_clause(down);
      }
    }
  }
  return c;
}

const std::vector<Lit>& Circuit::unary_sum(const std::vector<Lit>& lits, int cap) {
  auto key = std::make_pair(lits, cap);
  auto it = unary_cache_.find(key);
  if (it != unary_cache_.end()) return it->second;
  std::vector<Lit> out = lits.empty() ? std::vector<Lit>{} : totalize(lits, 0, lits.size(), cap);
  return unary_cache_.emplace(std::move(key), std::move(out)).first->second;
}

Circuit::Normalized Circuit::normalize_positive(Linear linear) {
  linear.normalize();
  Normalized n;
  n.offset = linear.constant;
  for (auto [w, l] : linear.terms) {
    if (w < 0) {  // w*[l] = w - w*[not l]
      n.offset = checked_add(n.offset, w);
      n.terms.push_back({-w, -l});
    } else {
      n.terms.push_back({w, l});
    }
  }
  int64_t g = 0;
  for (auto [w, l] : n.terms) g = std::gcd(g, w);
  if (g > 1) {
    for (auto& t : n.terms) t.first /= g;
  }
  n.gcd = g == 0 ? 1 : g;
  std::sort(n.terms.begin(), n.terms.end(), [](auto a, auto b) { return a.second < b.second; });
  return n;
}

namespace {
int64_t floor_div(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}
int64_t ceil_div(int64_t a, int64_t b) {
  return -floor_div(-a, b);
}
}  // namespace

Lit Circuit::sum_at_most(const Normalized& n, int64_t bound) {
  if (bound < 0) return kFalse;
  int64_t total = 0;
  bool unit = true;
  for (auto [w, l] : n.terms) {
    total = checked_add(total, w);
    unit &= w == 1;
  }
  if (bound >= total) return kTrue;
  if (unit && (n.terms.size() <= 2000 || bound < 64)) {
    std::vector<Lit> lits;
    for (auto [w, l] : n.terms) lits.push_back(l);
    const auto& counts = unary_sum(lits, static_cast<int>(bound + 1));
    return -counts[bound];  // not (count >= bound + 1)
  }
  auto key = std::make_pair(n.terms, bound);
  auto it = bdd_cache_.find(key);
  if (it != bdd_cache_.end()) return it->second;
  // A BDD pays only while it is small: a few nodes per term.
  Lit l = bdd_at_most(n.terms, bound, std::max<size_t>(256, 8 * n.terms.size()));
  if (l == 0) {
    // Too big a BDD: adders, which are exact but propagate weakly. Coarse copies of the constraint
    // (weights divided by g: floored for "at most", rounded up for "at least") are necessary
    // conditions of either polarity with small weights; their BDDs prune most of what the adders
    // would find out late.
    l = bits_at_most(binary_sum(n.terms), bound);
    for (int64_t parts : {64, 256}) {
      int64_t g = std::max<int64_t>(1, bound / parts);
      if (g == 1) break;
      std::vector<std::pair<int64_t, Lit>> floor_terms, ceil_terms;
      for (auto [w, x] : n.terms) {
        if (w / g > 0) floor_terms.push_back({w / g, x});
        ceil_terms.push_back({(w + g - 1) / g, x});
      }
      size_t limit = std::max<size_t>(256, 8 * n.terms.size());
      Lit below = floor_terms.empty() ? kTrue : bdd_at_most(floor_terms, bound / g, limit);
      // not l: sum >= bound + 1, so sum(ceil(w/g)) >= ceil((bound + 1) / g).
      Lit above_not = bdd_at_most(ceil_terms, (bound + 1 + g - 1) / g - 1, limit);
      Definitions definitions(sink_);
      if (below != 0) sink_.add({-l, below});
      if (above_not != 0) sink_.add({l, -above_not});
    }
  }
  bdd_cache_.emplace(std::move(key), l);
  return l;
}

Lit Circuit::bdd_at_most(const std::vector<std::pair<int64_t, Lit>>& input, int64_t bound,
                         size_t node_limit) {
  // Heaviest terms first keeps the BDD small.
  std::vector<std::pair<int64_t, Lit>> terms = input;
  std::stable_sort(terms.begin(), terms.end(), [](auto a, auto b) { return a.first > b.first; });
  size_t n = terms.size();
  std::vector<int64_t> rest(n + 1, 0);  // sum of the weights from i on
  for (size_t i = n; i-- > 0;) rest[i] = checked_add(rest[i + 1], terms[i].first);
  // layers[i]: intervals [lo, hi] of bounds K for which sum(terms from i) <= K has the same BDD,
  // keyed by lo. A node is a literal; kTrue / kFalse are the terminals.
  struct Entry {
    int64_t hi;
    Lit node;
  };
  std::vector<std::map<int64_t, Entry>> layers(n + 1);
  size_t nodes = 0;
  bool too_big = false;
  Definitions definitions(sink_);
  constexpr int64_t kLow = std::numeric_limits<int64_t>::min(),
                    kHigh = std::numeric_limits<int64_t>::max();
  struct Result {
    Lit node;
    int64_t lo, hi;
  };
  std::function<Result(size_t, int64_t)> build = [&](size_t i, int64_t k) -> Result {
    if (k < 0) return {kFalse, kLow, -1};
    if (k >= rest[i]) return {kTrue, rest[i], kHigh};
    auto& layer = layers[i];
    auto it = layer.upper_bound(k);
    if (it != layer.begin()) {
      --it;
      if (k <= it->second.hi) return {it->second.node, it->first, it->second.hi};
    }
    if (too_big) return {kFalse, k, k};
    auto [w, x] = terms[i];
    Result low = build(i + 1, k);       // x false
    Result high = build(i + 1, k - w);  // x true
    if (too_big) return {kFalse, k, k};
    int64_t lo = std::max(low.lo, high.lo == kLow ? kLow : high.lo + w);
    int64_t hi = std::min(low.hi, high.hi == kHigh ? kHigh : high.hi + w);
    Lit node;
    if (low.node == high.node) {
      node = low.node;
    } else {
      if (++nodes > node_limit) {
        too_big = true;
        return {kFalse, k, k};
      }
      // node <=> (x and high) or (not x and low); for "at most", high implies low.
      node = fresh();
      sink_.add({-node, -x, high.node});
      sink_.add({-node, x, low.node});
      sink_.add({node, -x, -high.node});
      sink_.add({node, x, -low.node});
      sink_.add({node, -high.node});  // high => low, so high => node
      sink_.add({-node, low.node});   // node => low
    }
    layer.emplace(lo, Entry{hi, node});
    return {node, lo, hi};
  };
  Result root = build(0, bound);
  return too_big ? 0 : root.node;
}

Lit Circuit::sum_at_least(const Normalized& n, int64_t bound) {
  return -sum_at_most(n, bound - 1);
}

Lit Circuit::at_most(Linear linear, int64_t bound) {
  Normalized n = normalize_positive(std::move(linear));
  // offset + gcd * S <= bound  <=>  S <= floor((bound - offset) / gcd)
  return sum_at_most(n, floor_div(checked_add(bound, -n.offset), n.gcd));
}

Lit Circuit::at_least(Linear linear, int64_t bound) {
  Normalized n = normalize_positive(std::move(linear));
  return sum_at_least(n, ceil_div(checked_add(bound, -n.offset), n.gcd));
}

Lit Circuit::equals(Linear linear, int64_t bound) {
  Normalized n = normalize_positive(std::move(linear));
  int64_t rest = checked_add(bound, -n.offset);
  if (rest % n.gcd != 0) return kFalse;
  int64_t k = rest / n.gcd;
  return and_of({sum_at_most(n, k), sum_at_least(n, k)});
}

}  // namespace sumisura::detail
