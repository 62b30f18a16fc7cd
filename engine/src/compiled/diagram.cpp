// Linear-time queries on a compiled decision diagram (see diagram.hpp).
#include "compiled/diagram.hpp"

#include <algorithm>

namespace sumisura::detail {

namespace {

/// A natural number in base 10^9, least significant limb first: counts overflow 64 bits
/// (renault-big has 2.5 * 10^22 valid cars).
class Natural {
 public:
  explicit Natural(uint32_t x = 0) {
    if (x) limbs_.push_back(x);
  }
  void add(const Natural& o) {
    uint64_t carry = 0;
    limbs_.resize(std::max(limbs_.size(), o.limbs_.size()), 0);
    for (size_t i = 0; i < limbs_.size(); ++i) {
      uint64_t s = carry + limbs_[i] + (i < o.limbs_.size() ? o.limbs_[i] : 0);
      limbs_[i] = static_cast<uint32_t>(s % kBase);
      carry = s / kBase;
    }
    if (carry) limbs_.push_back(static_cast<uint32_t>(carry));
  }
  void multiply(uint32_t m) {
    uint64_t carry = 0;
    for (auto& l : limbs_) {
      uint64_t p = static_cast<uint64_t>(l) * m + carry;
      l = static_cast<uint32_t>(p % kBase);
      carry = p / kBase;
    }
    while (carry) {
      limbs_.push_back(static_cast<uint32_t>(carry % kBase));
      carry /= kBase;
    }
    while (!limbs_.empty() && limbs_.back() == 0) limbs_.pop_back();
  }
  std::string str() const {
    if (limbs_.empty()) return "0";
    std::string s = std::to_string(limbs_.back());
    for (size_t i = limbs_.size() - 1; i-- > 0;) {
      std::string part = std::to_string(limbs_[i]);
      s += std::string(9 - part.size(), '0') + part;
    }
    return s;
  }

 private:
  static constexpr uint64_t kBase = 1000000000;
  std::vector<uint32_t> limbs_;
};

}  // namespace

bool Diagram::valid_values(const std::vector<int>& fixed,
                           std::vector<std::vector<char>>& out) const {
  const int levels = static_cast<int>(sizes.size());
  out.resize(levels);
  for (int l = 0; l < levels; ++l) out[l].assign(sizes[l], 0);
  if (root == kFalse) return false;
  auto allowed = [&](int l, int v) { return fixed[l] < 0 || fixed[l] == v; };
  const size_t n_nodes = node_count();
  // Upward: which nodes still reach the terminal through allowed values (children come first).
  // Every node reaches it when nothing below is fixed (a reduced diagram has no dead ends), so
  // only the nodes at or above the deepest fixed level need a look.
  int deepest = -1;
  for (int l = 0; l < levels; ++l) {
    if (fixed[l] >= 0) deepest = l;
  }
  std::vector<char> up(n_nodes, 1);
  size_t from =
      std::partition_point(level.begin(), level.end(), [&](int l) { return l > deepest; }) -
      level.begin();
  for (size_t n = std::max<size_t>(from, 1); n < n_nodes; ++n) {
    up[n] = 0;
    for (uint32_t e = first[n]; e < first[n + 1]; ++e) {
      if (up[children[e]] && allowed(level[n], values[e])) {
        up[n] = 1;
        break;
      }
    }
  }
  if (!up[root]) return false;
  // Downward from the root: the edges on an allowed path give their values; a level an edge
  // skips takes any allowed value (counted with a difference array over levels).
  std::vector<char> down(n_nodes, 0);
  std::vector<int> skipped(levels + 1, 0);
  down[root] = 1;
  ++skipped[0];
  --skipped[level[root]];
  for (size_t n = root; n > 0; --n) {
    if (!down[n]) continue;
    int l = level[n];
    for (uint32_t e = first[n]; e < first[n + 1]; ++e) {
      int c = children[e];
      if (!up[c] || !allowed(l, values[e])) continue;
      down[c] = 1;
      out[l][values[e]] = 1;
      if (level[c] > l + 1) {
        ++skipped[l + 1];
        --skipped[level[c]];
      }
    }
  }
  int open = 0;
  for (int l = 0; l < levels; ++l) {
    open += skipped[l];
    if (open <= 0) continue;
    if (fixed[l] >= 0) {
      out[l][fixed[l]] = 1;
    } else {
      std::fill(out[l].begin(), out[l].end(), 1);
    }
  }
  return true;
}

std::string Diagram::count() const {
  if (root == kFalse) return "0";
  // Assignments of levels [from, to) that no node tests: the product of their sizes.
  auto free_levels = [&](Natural x, int from, int to) {
    for (int l = from; l < to; ++l) x.multiply(static_cast<uint32_t>(sizes[l]));
    return x;
  };
  std::vector<Natural> below(node_count());
  below[kTrue] = Natural(1);
  for (size_t n = 1; n < node_count(); ++n) {
    for (uint32_t e = first[n]; e < first[n + 1]; ++e) {
      int c = children[e];
      below[n].add(free_levels(below[c], level[n] + 1, level[c]));
    }
  }
  return free_levels(below[root], 0, level[root]).str();
}

}  // namespace sumisura::detail
