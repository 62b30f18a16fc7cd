// Linear-time queries on a compiled decision diagram (see diagram.hpp).
#include "compiled/diagram.hpp"

#include <algorithm>
#include <climits>

namespace sumisura::detail {

std::string Diagram::check() const {
  const size_t n = level.size();
  const int levels = static_cast<int>(sizes.size());
  if (n < 1) return "no terminal node";
  if (first.size() != n + 1 || first[0] != 0 || first[n] != values.size() ||
      values.size() != children.size())
    return "node tables of different lengths";
  for (int s : sizes) {
    if (s < 1) return "a level without values";
  }
  if (level[kTrue] != levels || first[1] != 0) return "a malformed terminal";
  if (root != kFalse && (root < 0 || static_cast<size_t>(root) >= n)) return "root out of range";
  for (size_t i = 1; i < n; ++i) {
    if (level[i] < 0 || level[i] >= levels) return "a node level out of range";
    if (first[i] > first[i + 1]) return "decreasing node ranges";
    for (uint32_t e = first[i]; e < first[i + 1]; ++e) {
      int c = children[e];
      if (c < 0 || static_cast<size_t>(c) >= i || level[c] <= level[i]) return "a misplaced child";
      if (values[e] < 0 || values[e] >= sizes[level[i]]) return "a value out of range";
    }
  }
  return {};
}


bool Diagram::valid_values(const std::vector<int>& fixed,
                           std::vector<std::vector<char>>& out) const {
  const int levels = static_cast<int>(sizes.size());
  if (root == kFalse) return spread(fixed, {}, out);
  auto allowed = [&](int l, int v) { return fixed[l] < 0 || fixed[l] == v; };
  const size_t n_nodes = node_count();
  // Upward: which nodes still reach the terminal through allowed values (children come first).
  // Every node reaches it when nothing below is fixed (a reduced diagram has no dead ends), so
  // only the nodes at or above the deepest fixed level need a look.
  int deepest = -1;
  for (int l = 0; l < levels; ++l) {
    if (fixed[l] >= 0) deepest = l;
  }
  thread_local std::vector<char> up;
  up.assign(n_nodes, 1);
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
  return spread(fixed, up, out);
}

bool Diagram::spread(const std::vector<int>& fixed, const std::vector<char>& up,
                     std::vector<std::vector<char>>& out) const {
  const int levels = static_cast<int>(sizes.size());
  out.resize(levels);
  for (int l = 0; l < levels; ++l) out[l].assign(sizes[l], 0);
  if (root == kFalse || up.empty() || !up[root]) return false;
  auto allowed = [&](int l, int v) { return fixed[l] < 0 || fixed[l] == v; };
  // Downward from the root: the edges on an allowed path give their values; a level an edge
  // skips takes any allowed value (counted with a difference array over levels).
  thread_local std::vector<char> down;
  thread_local std::vector<int> skipped;
  down.assign(node_count(), 0);
  skipped.assign(levels + 1, 0);
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

bool Diagram::valid_values_counted(const std::vector<int>& fixed,
                                   const std::vector<unsigned __int128>& skip,
                                   const std::vector<unsigned __int128>& base,
                                   std::vector<std::vector<char>>& out,
                                   unsigned __int128& count) const {
  size_t from = 0;
  count = count_small_below(fixed, &skip, &base, from);
  if (root == kFalse || count == 0) return spread(fixed, {}, out);
  // A node reaches the terminal through allowed values iff it has a count: nodes below `from`
  // kept theirs from `base` (a reduced diagram has no dead node).
  thread_local std::vector<char> up;
  const auto& below = small_below();
  up.assign(node_count(), 1);
  for (size_t n = std::max<size_t>(from, 1); n < node_count(); ++n) up[n] = below[n] != 0;
  return spread(fixed, up, out);
}

std::string Diagram::count() const {
  return count(std::vector<int>(sizes.size(), -1)).str();
}

Natural Diagram::free_ways(const std::vector<int>& fixed, int from, int to) const {
  Natural x(1);
  for (int l = from; l < to; ++l) {
    if (fixed[l] < 0) x *= static_cast<uint32_t>(sizes[l]);
  }
  return x;
}

void Diagram::counts_below(const std::vector<int>& fixed, NaturalTable& table) const {
  table.reset(node_count());
  if (root == kFalse) return;
  // Free ways of each level on its own, so that a skipped range is a product of small factors.
  std::vector<uint32_t> acc, term, scratch;
  acc.assign(1, 1);
  table.set(kTrue, acc);
  for (size_t n = 1; n < node_count(); ++n) {
    const int l = level[n];
    acc.clear();
    for (uint32_t e = first[n]; e < first[n + 1]; ++e) {
      if (fixed[l] >= 0 && fixed[l] != values[e]) continue;
      int c = children[e];
      if (table.is_zero(c)) continue;
      auto below = table.get(c);
      if (level[c] > l + 1) {
        term.assign(below.begin(), below.end());
        for (int skipped = l + 1; skipped < level[c]; ++skipped) {
          if (fixed[skipped] >= 0) continue;
          uint32_t size = static_cast<uint32_t>(sizes[skipped]);
          limbs::multiply(term, std::span<const uint32_t>(&size, 1), scratch);
        }
        limbs::add(acc, term);
      } else {
        limbs::add(acc, below);
      }
    }
    table.set(n, acc);
  }
}

std::vector<Natural> Diagram::counts_below(const std::vector<int>& fixed) const {
  NaturalTable table;
  counts_below(fixed, table);
  std::vector<Natural> below(node_count());
  for (size_t n = 0; n < below.size(); ++n) below[n] = Natural::from_limbs(table.get(n));
  return below;
}

Natural Diagram::count(const std::vector<int>& fixed) const {
  if (root == kFalse) return Natural();
  thread_local NaturalTable table;
  counts_below(fixed, table);
  return Natural::from_limbs(table.get(root)) * free_ways(fixed, 0, level[root]);
}

std::vector<unsigned __int128> Diagram::skip_factors() const {
  std::vector<unsigned __int128> skip(edge_count(), 1);
  for (size_t n = 1; n < node_count(); ++n) {
    for (uint32_t e = first[n]; e < first[n + 1]; ++e) {
      for (int l = level[n] + 1; l < level[children[e]]; ++l) skip[e] *= sizes[l];
    }
  }
  return skip;
}

std::vector<unsigned __int128> Diagram::counts_small() const {
  using U = unsigned __int128;
  std::vector<U> below(node_count(), 0);
  if (root == kFalse) return below;
  std::vector<U> skip = skip_factors();
  below[kTrue] = 1;
  for (size_t n = 1; n < node_count(); ++n) {
    U sum = 0;
    for (uint32_t e = first[n]; e < first[n + 1]; ++e) sum += below[children[e]] * skip[e];
    below[n] = sum;
  }
  return below;
}

namespace {

thread_local std::vector<unsigned __int128> small_below_table;

}  // namespace

const std::vector<unsigned __int128>& Diagram::small_below() { return small_below_table; }

unsigned __int128 Diagram::count_small(const std::vector<int>& fixed,
                                       const std::vector<unsigned __int128>* skip,
                                       const std::vector<unsigned __int128>* base) const {
  size_t from = 0;
  return count_small_below(fixed, skip, base, from);
}

unsigned __int128 Diagram::count_small_below(const std::vector<int>& fixed,
                                             const std::vector<unsigned __int128>* skip,
                                             const std::vector<unsigned __int128>* base,
                                             size_t& from) const {
  using U = unsigned __int128;
  from = 1;
  if (root == kFalse) return 0;
  const int levels = static_cast<int>(sizes.size());
  // fixed_before[l]: fixed levels among [0, l); an edge skips a fixed level iff the counts at
  // its two ends differ.
  thread_local std::vector<int> fixed_before;
  fixed_before.assign(levels + 1, 0);
  int deepest = -1;
  for (int l = 0; l < levels; ++l) {
    fixed_before[l + 1] = fixed_before[l] + (fixed[l] >= 0);
    if (fixed[l] >= 0) deepest = l;
  }
  auto ways = [&](int from_level, int to_level) {
    U x = 1;
    for (int l = from_level; l < to_level; ++l) {
      if (fixed[l] < 0) x *= static_cast<U>(sizes[l]);
    }
    return x;
  };
  // Nodes deeper than every fixed level keep their counts without choices (nodes come deepest
  // level first): only the nodes from `from` on are counted again; the others read `base`.
  if (base)
    from = std::partition_point(level.begin() + 1, level.end(), [&](int l) { return l > deepest; }) -
           level.begin();
  std::vector<U>& below = small_below_table;
  below.resize(node_count());
  below[kTrue] = 1;
  if (base) {
    for (size_t n = 1; n < from; ++n) below[n] = 1;  // reached: counts come from `base`
  }
  auto count_of = [&](int c) { return static_cast<size_t>(c) < from && base ? (*base)[c] : below[c]; };
  for (size_t n = from; n < node_count(); ++n) {
    const int l = level[n];
    U sum = 0;
    for (uint32_t e = first[n]; e < first[n + 1]; ++e) {
      if (fixed[l] >= 0 && fixed[l] != values[e]) continue;
      int c = children[e];
      if (level[c] == l + 1) {
        sum += count_of(c);
      } else if (skip && fixed_before[level[c]] == fixed_before[l + 1]) {
        sum += count_of(c) * (*skip)[e];
      } else {
        sum += count_of(c) * ways(l + 1, level[c]);
      }
    }
    below[n] = sum;
  }
  return count_of(root) * ways(0, level[root]);
}

Natural Diagram::value_counts(const std::vector<int>& fixed,
                              std::vector<std::vector<Natural>>& out) const {
  const int levels = static_cast<int>(sizes.size());
  out.assign(levels, {});
  for (int l = 0; l < levels; ++l) out[l].assign(sizes[l], Natural());
  if (root == kFalse) return Natural();
  std::vector<Natural> below = counts_below(fixed);
  Natural total = below[root] * free_ways(fixed, 0, level[root]);
  if (total.is_zero()) return total;
  // Top-down: above[n] counts the ways to reach n (levels above it included). Assignments that
  // pass over skipped levels are summed per level in a difference array, then shared among the
  // level's values (each gets an equal part, or all of it when the value is fixed).
  std::vector<Natural> above(node_count());
  std::vector<Natural> skip_add(levels + 1), skip_sub(levels + 1);
  auto over_skipped = [&](const Natural& through, int from, int to) {
    if (from >= to) return;
    skip_add[from] += through;
    skip_sub[to] += through;
  };
  above[root] = free_ways(fixed, 0, level[root]);
  over_skipped(total, 0, level[root]);
  for (size_t n = root; n > 0; --n) {
    if (above[n].is_zero()) continue;
    const int l = level[n];
    for (uint32_t e = first[n]; e < first[n + 1]; ++e) {
      if (fixed[l] >= 0 && fixed[l] != values[e]) continue;
      int c = children[e];
      if (below[c].is_zero()) continue;
      Natural ways = above[n];
      if (level[c] > l + 1) ways *= free_ways(fixed, l + 1, level[c]);
      Natural through = ways * below[c];
      out[l][values[e]] += through;
      over_skipped(through, l + 1, level[c]);
      above[c] += ways;
    }
  }
  Natural running;
  for (int l = 0; l < levels; ++l) {
    running += skip_add[l];
    running -= skip_sub[l];
    if (running.is_zero()) continue;
    if (fixed[l] >= 0) {
      out[l][fixed[l]] += running;
      continue;
    }
    Natural share = running;
    share.divide_small(static_cast<uint32_t>(sizes[l]));
    for (auto& c : out[l]) c += share;
  }
  return total;
}

std::optional<std::pair<int64_t, std::vector<int>>> Diagram::min_cost(
    const std::vector<int>& fixed, const std::vector<std::vector<int64_t>>& cost) const {
  constexpr int64_t kInfinity = INT64_MAX / 4;
  const int levels = static_cast<int>(sizes.size());
  if (root == kFalse) return std::nullopt;
  // The cheapest value of each level on its own, for levels a path skips.
  std::vector<int64_t> cheapest(levels, kInfinity);
  std::vector<int> cheapest_value(levels, 0);
  for (int l = 0; l < levels; ++l) {
    for (int k = 0; k < sizes[l]; ++k) {
      if (fixed[l] >= 0 && fixed[l] != k) continue;
      if (cost[l][k] < cheapest[l]) {
        cheapest[l] = cost[l][k];
        cheapest_value[l] = k;
      }
    }
  }
  std::vector<int64_t> skipped(levels + 1, 0);  // suffix sums: skipped[l] = sum over [l, levels)
  for (int l = levels; l-- > 0;) skipped[l] = std::min(kInfinity, skipped[l + 1] + cheapest[l]);
  auto skip_cost = [&](int from, int to) {
    int64_t c = skipped[from] - skipped[to];
    return c >= kInfinity / 2 ? kInfinity : c;
  };
  std::vector<int64_t> best(node_count(), kInfinity);
  std::vector<uint32_t> pick(node_count(), 0);
  best[kTrue] = 0;
  for (size_t n = 1; n < node_count(); ++n) {
    const int l = level[n];
    for (uint32_t e = first[n]; e < first[n + 1]; ++e) {
      if (fixed[l] >= 0 && fixed[l] != values[e]) continue;
      int c = children[e];
      if (best[c] >= kInfinity) continue;
      int64_t through = cost[l][values[e]] + skip_cost(l + 1, level[c]) + best[c];
      if (through < best[n]) {
        best[n] = through;
        pick[n] = e;
      }
    }
  }
  if (best[root] >= kInfinity) return std::nullopt;
  int64_t total = best[root] + skip_cost(0, level[root]);
  if (total >= kInfinity) return std::nullopt;
  std::vector<int> assignment = cheapest_value;
  for (int n = root; n != kTrue;) {
    uint32_t e = pick[n];
    assignment[level[n]] = values[e];
    n = children[e];
  }
  return std::make_pair(total, std::move(assignment));
}

std::vector<std::vector<int>> Diagram::sample(const std::vector<int>& fixed, size_t n,
                                              std::mt19937_64& rng) const {
  std::vector<std::vector<int>> out;
  if (root == kFalse) return out;
  std::vector<Natural> below = counts_below(fixed);
  if (below[root].is_zero()) return out;
  const int levels = static_cast<int>(sizes.size());
  auto fill_skipped = [&](std::vector<int>& a, int from, int to) {
    for (int l = from; l < to; ++l) {
      a[l] = fixed[l] >= 0 ? fixed[l]
                           : static_cast<int>(std::uniform_int_distribution<int>(0, sizes[l] - 1)(rng));
    }
  };
  for (size_t s = 0; s < n; ++s) {
    std::vector<int> a(levels, 0);
    fill_skipped(a, 0, level[root]);
    for (int node = root; node != kTrue;) {
      const int l = level[node];
      // An edge with probability proportional to the assignments through it.
      Natural total;
      std::vector<Natural> weights;
      for (uint32_t e = first[node]; e < first[node + 1]; ++e) {
        Natural w;
        int c = children[e];
        if ((fixed[l] < 0 || fixed[l] == values[e]) && !below[c].is_zero())
          w = below[c] * free_ways(fixed, l + 1, level[c]);
        total += w;
        weights.push_back(std::move(w));
      }
      Natural r = Natural::random_below(total, rng);
      uint32_t chosen = first[node];
      for (uint32_t e = first[node]; e < first[node + 1]; ++e) {
        const Natural& w = weights[e - first[node]];
        if (r < w) {
          chosen = e;
          break;
        }
        r -= w;
      }
      a[l] = values[chosen];
      fill_skipped(a, l + 1, level[children[chosen]]);
      node = children[chosen];
    }
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace sumisura::detail
