// Linear-time queries on a decision-DNNF circuit (see dnnf.hpp): each is a bottom-up pass over the
// nodes (children come first) and, where a result is per literal or an assignment, a top-down pass.
#include <algorithm>
#include <limits>

#include "compiled/dnnf.hpp"

namespace sumisura::detail {

namespace {

inline bool allowed(const Conditions& cond, int32_t lit) {
  int8_t c = cond[lit > 0 ? lit : -lit];
  return c == 0 || (c > 0) == (lit > 0);
}

/// Whether every literal an AND node fixes is allowed.
inline bool lits_allowed(const Dnnf& d, uint32_t n, const Conditions& cond) {
  for (uint32_t i = d.lit_first[n]; i < d.lit_first[n + 1]; ++i) {
    if (!allowed(cond, d.lits[i])) return false;
  }
  return true;
}

/// Free variables of an AND node that conditions leave free (each doubles its count).
inline size_t open_free(const Dnnf& d, uint32_t n, const Conditions& cond) {
  size_t open = 0;
  for (uint32_t i = d.free_first[n]; i < d.free_first[n + 1]; ++i)
    open += cond[d.free_vars[i]] == 0;
  return open;
}

/// Per node: whether some model consistent with `cond` exists below it.
std::vector<char> satisfiable(const Dnnf& d, const Conditions& cond) {
  const size_t n_nodes = d.node_count();
  std::vector<char> sat(n_nodes, 0);
  sat[Dnnf::kTrue] = 1;
  for (uint32_t n = 2; n < n_nodes; ++n) {
    if (d.kind[n] == Dnnf::kOr) {
      for (uint32_t e = d.child_first[n]; e < d.child_first[n + 1]; ++e) {
        if (sat[d.children[e]]) {
          sat[n] = 1;
          break;
        }
      }
    } else {
      bool ok = lits_allowed(d, n, cond);
      for (uint32_t e = d.child_first[n]; ok && e < d.child_first[n + 1]; ++e)
        ok = sat[d.children[e]];
      sat[n] = ok;
    }
  }
  return sat;
}

/// Per node: the number of models consistent with `cond` below it, in `table` (reused between
/// calls: a count allocates nothing per node).
void node_counts(const Dnnf& d, const Conditions& cond, NaturalTable& table,
                 const NaturalTable* base = nullptr) {
  const size_t n_nodes = d.node_count();
  table.reset(n_nodes);
  std::vector<uint32_t> acc, scratch;
  acc.assign(1, 1);
  table.set(Dnnf::kTrue, acc);
  // With `base` (the counts without conditions), a node none of whose variables is conditioned,
  // directly or below, keeps its count: only the nodes above the conditioned ones are counted
  // again.
  thread_local std::vector<char> touched;
  if (base) touched.assign(n_nodes, 0);
  for (uint32_t n = 2; n < n_nodes; ++n) {
    if (base) {
      bool t = false;
      for (uint32_t i = d.lit_first[n]; i < d.lit_first[n + 1] && !t; ++i)
        t = cond[std::abs(d.lits[i])] != 0;
      for (uint32_t i = d.free_first[n]; i < d.free_first[n + 1] && !t; ++i)
        t = cond[d.free_vars[i]] != 0;
      for (uint32_t e = d.child_first[n]; e < d.child_first[n + 1] && !t; ++e)
        t = touched[d.children[e]];
      touched[n] = t;
      if (!t) {
        auto b = base->get(n);
        acc.assign(b.begin(), b.end());
        table.set(n, acc);
        continue;
      }
    }
    acc.clear();
    if (d.kind[n] == Dnnf::kOr) {
      for (uint32_t e = d.child_first[n]; e < d.child_first[n + 1]; ++e)
        limbs::add(acc, table.get(d.children[e]));
    } else if (lits_allowed(d, n, cond)) {
      acc.assign(1, 1);
      for (uint32_t e = d.child_first[n]; e < d.child_first[n + 1] && !acc.empty(); ++e)
        limbs::multiply(acc, table.get(d.children[e]), scratch);
      if (!acc.empty()) limbs::shift_left(acc, open_free(d, n, cond));
    }
    table.set(n, acc);
  }
}

/// The same as Naturals, for the passes that need them one by one.
std::vector<Natural> node_counts(const Dnnf& d, const Conditions& cond) {
  NaturalTable table;
  node_counts(d, cond, table);
  std::vector<Natural> val(d.node_count());
  for (size_t n = 0; n < val.size(); ++n) val[n] = Natural::from_limbs(table.get(n));
  return val;
}

constexpr int64_t kInfinity = std::numeric_limits<int64_t>::max() / 4;

inline int64_t add_costs(int64_t a, int64_t b) {
  if (a >= kInfinity || b >= kInfinity) return kInfinity;
  int64_t s = a + b;
  return std::clamp<int64_t>(s, -kInfinity, kInfinity);
}

}  // namespace

Dnnf Dnnf::terminals(int num_vars) {
  Dnnf d;
  d.num_vars = num_vars;
  d.kind = {kAnd, kAnd};
  d.child_first = {0, 0, 0};
  d.lit_first = {0, 0, 0};
  d.free_first = {0, 0, 0};
  d.root = kFalse;
  return d;
}

std::string Dnnf::check() const {
  const size_t n = kind.size();
  if (n < 2) return "fewer than the two terminal nodes";
  if (child_first.size() != n + 1 || lit_first.size() != n + 1 || free_first.size() != n + 1)
    return "node tables of different lengths";
  if (child_first[0] != 0 || lit_first[0] != 0 || free_first[0] != 0)
    return "node tables do not start at zero";
  if (child_first[n] != children.size() || lit_first[n] != lits.size() ||
      free_first[n] != free_vars.size())
    return "node tables do not end at their arrays' ends";
  if (root >= n) return "root out of range";
  if (num_vars < 0) return "negative variable count";
  for (size_t i = 0; i < n; ++i) {
    if (kind[i] != kAnd && kind[i] != kOr) return "unknown node kind";
    if (child_first[i] > child_first[i + 1] || lit_first[i] > lit_first[i + 1] ||
        free_first[i] > free_first[i + 1])
      return "decreasing node ranges";
    if (i < 2 && (child_first[i + 1] != 0 || lit_first[i + 1] != 0 || free_first[i + 1] != 0))
      return "terminals with content";
    for (uint32_t e = child_first[i]; e < child_first[i + 1]; ++e) {
      if (children[e] >= i) return "a child numbered above its parent";
    }
    if (kind[i] == kOr && (lit_first[i] != lit_first[i + 1] || free_first[i] != free_first[i + 1]))
      return "an OR node with literals";
  }
  for (int32_t l : lits) {
    if (l == 0 || l > num_vars || l < -num_vars) return "literal out of range";
  }
  for (int32_t v : free_vars) {
    if (v <= 0 || v > num_vars) return "free variable out of range";
  }
  return {};
}

namespace {

/// The top-down half: literals on the reachable AND nodes whose subcircuits have models.
void spread(const Dnnf& d, const Conditions& cond, const std::vector<char>& sat,
            std::vector<char>& out) {
  thread_local std::vector<char> reached;
  reached.assign(d.node_count(), 0);
  reached[d.root] = 1;
  for (uint32_t n = d.root + 1; n-- > 2;) {
    if (!reached[n]) continue;
    if (d.kind[n] == Dnnf::kAnd) {
      for (uint32_t i = d.lit_first[n]; i < d.lit_first[n + 1]; ++i)
        out[literal_index(d.lits[i])] = 1;
      for (uint32_t i = d.free_first[n]; i < d.free_first[n + 1]; ++i) {
        int32_t v = d.free_vars[i];
        if (cond[v] >= 0) out[2 * v] = 1;
        if (cond[v] <= 0) out[2 * v + 1] = 1;
      }
      for (uint32_t e = d.child_first[n]; e < d.child_first[n + 1]; ++e) reached[d.children[e]] = 1;
    } else {
      for (uint32_t e = d.child_first[n]; e < d.child_first[n + 1]; ++e) {
        if (sat[d.children[e]]) reached[d.children[e]] = 1;
      }
    }
  }
}

/// Per node, in 128 bits: the number of models consistent with `cond` below it.
void node_counts_small(const Dnnf& d, const Conditions& cond, std::vector<unsigned __int128>& val) {
  using U = unsigned __int128;
  const size_t n_nodes = d.node_count();
  val.assign(n_nodes, 0);
  val[Dnnf::kTrue] = 1;
  for (uint32_t n = 2; n < n_nodes; ++n) {
    U v = 0;
    if (d.kind[n] == Dnnf::kOr) {
      for (uint32_t e = d.child_first[n]; e < d.child_first[n + 1]; ++e) v += val[d.children[e]];
    } else if (lits_allowed(d, n, cond)) {
      v = 1;
      for (uint32_t e = d.child_first[n]; e < d.child_first[n + 1] && v; ++e)
        v *= val[d.children[e]];
      v <<= open_free(d, n, cond);
    }
    val[n] = v;
  }
}

}  // namespace

bool dnnf_valid_literals(const Dnnf& d, const Conditions& cond, std::vector<char>& out) {
  out.assign(2 * (static_cast<size_t>(d.num_vars) + 1), 0);
  std::vector<char> sat = satisfiable(d, cond);
  if (!sat[d.root]) return false;
  spread(d, cond, sat, out);
  return true;
}

bool dnnf_valid_literals_counted(const Dnnf& d, const Conditions& cond, std::vector<char>& out,
                                 unsigned __int128& count) {
  out.assign(2 * (static_cast<size_t>(d.num_vars) + 1), 0);
  thread_local std::vector<unsigned __int128> val;
  thread_local std::vector<char> sat;
  node_counts_small(d, cond, val);
  count = val[d.root];
  if (count == 0) return false;
  sat.resize(val.size());
  for (size_t n = 0; n < val.size(); ++n) sat[n] = val[n] != 0;
  spread(d, cond, sat, out);
  return true;
}

unsigned __int128 dnnf_count_small(const Dnnf& d, const Conditions& cond) {
  thread_local std::vector<unsigned __int128> val;
  node_counts_small(d, cond, val);
  return val[d.root];
}

Natural dnnf_count(const Dnnf& d, const Conditions& cond, const NaturalTable* base) {
  thread_local NaturalTable table;
  node_counts(d, cond, table, base);
  return Natural::from_limbs(table.get(d.root));
}

void dnnf_base_counts(const Dnnf& d, NaturalTable& table) {
  Conditions none(static_cast<size_t>(d.num_vars) + 1, 0);
  node_counts(d, none, table);
}

Natural dnnf_literal_counts(const Dnnf& d, const Conditions& cond, std::vector<Natural>& out) {
  out.assign(2 * (static_cast<size_t>(d.num_vars) + 1), Natural());
  std::vector<Natural> val = node_counts(d, cond);
  if (val[d.root].is_zero()) return {};
  // Top-down: above[n] is the number of ways to complete a model outside node n, summed over
  // every way to reach n (the derivative of the count by n's value).
  std::vector<Natural> above(d.node_count());
  above[d.root] = Natural(1);
  std::vector<Natural> suffix;
  for (uint32_t n = d.root + 1; n-- > 2;) {
    if (above[n].is_zero() || val[n].is_zero()) continue;
    if (d.kind[n] == Dnnf::kOr) {
      for (uint32_t e = d.child_first[n]; e < d.child_first[n + 1]; ++e) {
        if (!val[d.children[e]].is_zero()) above[d.children[e]] += above[n];
      }
      continue;
    }
    Natural through = above[n] * val[n];  // models passing through this node
    for (uint32_t i = d.lit_first[n]; i < d.lit_first[n + 1]; ++i)
      out[literal_index(d.lits[i])] += through;
    size_t open = 0;
    for (uint32_t i = d.free_first[n]; i < d.free_first[n + 1]; ++i) {
      int32_t v = d.free_vars[i];
      if (cond[v] > 0) {
        out[2 * v] += through;
      } else if (cond[v] < 0) {
        out[2 * v + 1] += through;
      } else {
        ++open;
      }
    }
    if (open) {
      Natural half = through;
      half.shift_right(1);
      for (uint32_t i = d.free_first[n]; i < d.free_first[n + 1]; ++i) {
        int32_t v = d.free_vars[i];
        if (cond[v] != 0) continue;
        out[2 * v] += half;
        out[2 * v + 1] += half;
      }
    }
    // Each child: above[n] times the product of everything else at this node.
    const uint32_t first = d.child_first[n], last = d.child_first[n + 1];
    if (first == last) continue;
    suffix.assign(last - first + 1, Natural(1));
    for (uint32_t e = last; e-- > first;)
      suffix[e - first] = suffix[e - first + 1] * val[d.children[e]];
    Natural prefix = above[n];
    prefix.shift_left(open);
    for (uint32_t e = first; e < last; ++e) {
      above[d.children[e]] += prefix * suffix[e - first + 1];
      prefix *= val[d.children[e]];
    }
  }
  return val[d.root];
}

namespace {

/// A free variable's least cost under `cond`.
int64_t free_cost(const Conditions& cond, const std::vector<int64_t>& cost, int32_t v) {
  if (cond[v] > 0) return cost[literal_index(v)];
  if (cond[v] < 0) return cost[literal_index(-v)];
  return std::min(cost[literal_index(v)], cost[literal_index(-v)]);
}

/// The bottom-up half of the min-cost passes: per node, the least cost of a model below it
/// consistent with `cond` (kInfinity: none); `pick`, when given, the cheapest child of OR nodes.
void min_cost_up(const Dnnf& d, const Conditions& cond, const std::vector<int64_t>& cost,
                 std::vector<int64_t>& best, std::vector<uint32_t>* pick) {
  const size_t n_nodes = d.node_count();
  best.assign(n_nodes, kInfinity);
  if (pick) pick->assign(n_nodes, 0);
  best[Dnnf::kTrue] = 0;
  for (uint32_t n = 2; n < n_nodes; ++n) {
    if (d.kind[n] == Dnnf::kOr) {
      for (uint32_t e = d.child_first[n]; e < d.child_first[n + 1]; ++e) {
        if (best[d.children[e]] < best[n]) {
          best[n] = best[d.children[e]];
          if (pick) (*pick)[n] = d.children[e];
        }
      }
      continue;
    }
    if (!lits_allowed(d, n, cond)) continue;
    int64_t c = 0;
    for (uint32_t i = d.lit_first[n]; i < d.lit_first[n + 1]; ++i)
      c = add_costs(c, cost[literal_index(d.lits[i])]);
    for (uint32_t i = d.free_first[n]; i < d.free_first[n + 1]; ++i)
      c = add_costs(c, free_cost(cond, cost, d.free_vars[i]));
    for (uint32_t e = d.child_first[n]; e < d.child_first[n + 1]; ++e)
      c = add_costs(c, best[d.children[e]]);
    best[n] = c;
  }
}

}  // namespace

std::optional<DnnfOptimum> dnnf_min_cost(const Dnnf& d, const Conditions& cond,
                                         const std::vector<int64_t>& cost) {
  auto lit_cost = [&](int32_t lit) { return cost[literal_index(lit)]; };
  std::vector<int64_t> best;
  std::vector<uint32_t> pick;  // OR nodes: the cheapest child
  min_cost_up(d, cond, cost, best, &pick);
  if (best[d.root] >= kInfinity) return std::nullopt;
  DnnfOptimum out;
  out.cost = best[d.root];
  out.values.assign(static_cast<size_t>(d.num_vars) + 1, 0);
  std::vector<uint32_t> stack = {d.root};
  while (!stack.empty()) {
    uint32_t n = stack.back();
    stack.pop_back();
    if (n < 2) continue;
    if (d.kind[n] == Dnnf::kOr) {
      stack.push_back(pick[n]);
      continue;
    }
    for (uint32_t i = d.lit_first[n]; i < d.lit_first[n + 1]; ++i)
      out.values[std::abs(d.lits[i])] = d.lits[i] > 0;
    for (uint32_t i = d.free_first[n]; i < d.free_first[n + 1]; ++i) {
      int32_t v = d.free_vars[i];
      out.values[v] = cond[v] > 0 || (cond[v] == 0 && lit_cost(v) < lit_cost(-v));
    }
    for (uint32_t e = d.child_first[n]; e < d.child_first[n + 1]; ++e)
      stack.push_back(d.children[e]);
  }
  return out;
}

bool dnnf_literal_min_costs(const Dnnf& d, const Conditions& cond, const std::vector<int64_t>& cost,
                            std::vector<int64_t>& out) {
  const size_t n_nodes = d.node_count();
  out.assign(2 * (static_cast<size_t>(d.num_vars) + 1), std::numeric_limits<int64_t>::max());
  auto lit_cost = [&](int32_t lit) { return cost[literal_index(lit)]; };
  // Up: the least cost below each node (as dnnf_min_cost).
  thread_local std::vector<int64_t> up, down;
  min_cost_up(d, cond, cost, up, nullptr);
  if (up[d.root] >= kInfinity) return false;
  // Down: the least cost of the rest of a model around each node (what the paths from the root
  // add beside it). A literal's least cost is its node's up plus down, least over its nodes.
  down.assign(n_nodes, kInfinity);
  down[d.root] = 0;
  auto lower = [&](size_t i, int64_t c) {
    if (c < out[i]) out[i] = c;
  };
  for (uint32_t n = d.root + 1; n-- > 2;) {
    if (down[n] >= kInfinity || up[n] >= kInfinity) continue;
    if (d.kind[n] == Dnnf::kOr) {
      for (uint32_t e = d.child_first[n]; e < d.child_first[n + 1]; ++e) {
        uint32_t c = d.children[e];
        down[c] = std::min(down[c], down[n]);
      }
      continue;
    }
    const int64_t whole = add_costs(down[n], up[n]);
    for (uint32_t i = d.lit_first[n]; i < d.lit_first[n + 1]; ++i)
      lower(literal_index(d.lits[i]), whole);
    for (uint32_t i = d.free_first[n]; i < d.free_first[n + 1]; ++i) {
      int32_t v = d.free_vars[i];
      int64_t rest = whole - free_cost(cond, cost, v);
      if (cond[v] >= 0) lower(literal_index(v), add_costs(rest, lit_cost(v)));
      if (cond[v] <= 0) lower(literal_index(-v), add_costs(rest, lit_cost(-v)));
    }
    for (uint32_t e = d.child_first[n]; e < d.child_first[n + 1]; ++e) {
      uint32_t c = d.children[e];
      if (c < 2) continue;
      down[c] = std::min(down[c], whole - up[c]);
    }
  }
  return true;
}

std::vector<std::vector<int8_t>> dnnf_sample(const Dnnf& d, const Conditions& cond, size_t n,
                                             std::mt19937_64& rng) {
  std::vector<std::vector<int8_t>> out;
  std::vector<Natural> val = node_counts(d, cond);
  if (val[d.root].is_zero()) return out;
  out.reserve(n);
  std::vector<uint32_t> stack;
  for (size_t s = 0; s < n; ++s) {
    std::vector<int8_t> values(static_cast<size_t>(d.num_vars) + 1, 0);
    stack.assign(1, d.root);
    while (!stack.empty()) {
      uint32_t node = stack.back();
      stack.pop_back();
      if (node < 2) continue;
      if (d.kind[node] == Dnnf::kOr) {
        // A child with probability proportional to its count.
        Natural r = Natural::random_below(val[node], rng);
        uint32_t chosen = 0;
        for (uint32_t e = d.child_first[node]; e < d.child_first[node + 1]; ++e) {
          const Natural& c = val[d.children[e]];
          if (r < c) {
            chosen = d.children[e];
            break;
          }
          r -= c;
        }
        stack.push_back(chosen);
        continue;
      }
      for (uint32_t i = d.lit_first[node]; i < d.lit_first[node + 1]; ++i)
        values[std::abs(d.lits[i])] = d.lits[i] > 0;
      for (uint32_t i = d.free_first[node]; i < d.free_first[node + 1]; ++i) {
        int32_t v = d.free_vars[i];
        values[v] = cond[v] != 0 ? cond[v] > 0 : static_cast<int8_t>(rng() & 1);
      }
      for (uint32_t e = d.child_first[node]; e < d.child_first[node + 1]; ++e)
        stack.push_back(d.children[e]);
    }
    out.push_back(std::move(values));
  }
  return out;
}

}  // namespace sumisura::detail
