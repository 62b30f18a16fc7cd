// Hash-consed MDD construction and conjunction (see mdd_store.hpp).
#include "compiled/mdd_store.hpp"

#include <algorithm>

namespace sumisura::detail {

namespace {

constexpr size_t kMinTable = 1 << 12;

uint64_t mix(uint64_t h, uint64_t x) {
  h ^= x + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  return h;
}

}  // namespace

MddStore::MddStore(std::vector<int> sizes, const CompileBudget& budget)
    : sizes_(std::move(sizes)), budget_(budget), start_(std::chrono::steady_clock::now()) {
  levels_.push_back(levels());  // node 0: the terminal
  first_ = {0, 0};
  rehash(kMinTable);
  cache_.resize(kMinTable);
}

uint64_t MddStore::hash(int level, std::span<const Edge> edges) const {
  uint64_t h = static_cast<uint64_t>(level) * 0x100000001b3ULL;
  for (const Edge& e : edges) h = mix(h, (static_cast<uint64_t>(e.first) << 32) ^ e.second);
  return h;
}

void MddStore::rehash(size_t capacity) {
  unique_.assign(capacity, -1);
  for (size_t n = 1; n < levels_.size(); ++n) {
    size_t slot = hash(levels_[n], edges_of(n)) & (capacity - 1);
    while (unique_[slot] >= 0) slot = (slot + 1) & (capacity - 1);
    unique_[slot] = static_cast<int>(n);
  }
}

bool MddStore::charge(uint64_t steps) {
  if (exhausted_) return true;
  ticks_ += steps;
  if (ticks_ < next_check_) return false;
  next_check_ = ticks_ + 4096;
  auto now = std::chrono::steady_clock::now();
  if (ticks_ > budget_.max_work) exhaust("its work budget (" + std::to_string(budget_.max_work) + " steps)");
  if (budget_.deadline && now >= *budget_.deadline) exhaust("its time limit");
  if (budget_.cancel && budget_.cancel->load(std::memory_order_relaxed)) exhaust("a cancellation");
  if (budget_.progress && now >= next_progress_) {
    if (next_progress_ != std::chrono::steady_clock::time_point{}) {
      CompileProgress p;
      p.seconds = std::chrono::duration<double>(now - start_).count();
      p.work = ticks_;
      p.nodes = levels_.size();
      p.edges = edges_.size();
      p.memory = edges_.capacity() * sizeof(Edge) + levels_.capacity() * 8 +
                 unique_.capacity() * 4 + cache_.capacity() * sizeof(CacheEntry);
      budget_.progress(p);
    }
    next_progress_ = now + std::chrono::milliseconds(500);
  }
  return exhausted_;
}

bool MddStore::out_of_budget() { return charge(1); }

void MddStore::exhaust(std::string why) {
  if (!exhausted_) why_ = std::move(why);
  exhausted_ = true;
}

int MddStore::make(int level, std::span<const Edge> edges) {
  if (charge(1 + edges.size()) || edges.empty()) return kFalse;
  if (static_cast<int>(edges.size()) == sizes_[level]) {
    bool same = std::all_of(edges.begin(), edges.end(),
                            [&](const Edge& e) { return e.second == edges.front().second; });
    if (same) return edges.front().second;  // the level does not matter here
  }
  size_t mask = unique_.size() - 1;
  size_t slot = hash(level, edges) & mask;
  uint64_t probes = 0;
  for (; unique_[slot] >= 0; slot = (slot + 1) & mask) {
    ++probes;
    int n = unique_[slot];
    if (levels_[n] != level) continue;
    auto known = edges_of(n);
    if (std::equal(known.begin(), known.end(), edges.begin(), edges.end())) return n;
  }
  // Long probe runs are work too (a table of similar nodes clusters): the budget counts them.
  if (charge(probes / 4)) return kFalse;
  if (levels_.size() + edges_.size() >= budget_.max_nodes) {
    exhaust("its node budget (" + std::to_string(budget_.max_nodes) + " nodes and edges)");
    return kFalse;
  }
  int id = static_cast<int>(levels_.size());
  levels_.push_back(level);
  edges_.insert(edges_.end(), edges.begin(), edges.end());
  first_.push_back(static_cast<uint32_t>(edges_.size()));
  unique_[slot] = id;
  if (levels_.size() * 2 > unique_.size()) {
    rehash(unique_.size() * 2);
    if (cache_.size() < unique_.size()) cache_.assign(unique_.size(), CacheEntry{});
  }
  return id;
}

int MddStore::conjoin(int a, int b) {
  if (a == kFalse || b == kFalse || exhausted_) return kFalse;
  if (a == kTrue || a == b) return b;
  if (b == kTrue) return a;
  if (a > b) std::swap(a, b);
  if (out_of_budget()) return kFalse;
  size_t slot = mix(static_cast<uint64_t>(a), static_cast<uint64_t>(b)) & (cache_.size() - 1);
  if (cache_[slot].a == a && cache_[slot].b == b) return cache_[slot].result;
  int la = levels_[a], lb = levels_[b];
  int top = std::min(la, lb);
  std::vector<Edge> out;
  if (la == lb) {
    // By index: the recursion may grow (and move) the edge arrays.
    uint32_t i = first_[a], ie = first_[a + 1], j = first_[b], je = first_[b + 1];
    while (i < ie && j < je) {
      Edge x = edges_[i], y = edges_[j];
      if (x.first < y.first) {
        ++i;
      } else if (y.first < x.first) {
        ++j;
      } else {
        int c = conjoin(x.second, y.second);
        if (c != kFalse) out.push_back({x.first, c});
        ++i, ++j;
      }
    }
  } else {
    // The node below the top level does not test it: every value leads to it.
    int upper = la < lb ? a : b, lower = la < lb ? b : a;
    for (uint32_t i = first_[upper], ie = first_[upper + 1]; i < ie; ++i) {
      Edge x = edges_[i];
      int c = conjoin(x.second, lower);
      if (c != kFalse) out.push_back({x.first, c});
    }
  }
  if (exhausted_) return kFalse;
  int result = make(top, out);
  // make() may have resized the cache: look the slot up again.
  slot = mix(static_cast<uint64_t>(a), static_cast<uint64_t>(b)) & (cache_.size() - 1);
  cache_[slot] = {a, b, result};
  return result;
}

int MddStore::rows_node(const std::vector<int>& levels, std::vector<std::vector<int>>& rows,
                        size_t begin, size_t end, size_t column) {
  if (column == levels.size()) return kTrue;
  // Rows [begin, end) agree on the columns before `column` and are sorted: group by this one.
  std::vector<Edge> out;
  for (size_t i = begin; i < end && !exhausted_;) {
    size_t j = i;
    while (j < end && rows[j][column] == rows[i][column]) ++j;
    int c = rows_node(levels, rows, i, j, column + 1);
    if (c != kFalse) out.push_back({rows[i][column], c});
    i = j;
  }
  if (exhausted_) return kFalse;
  return make(levels[column], out);
}

int MddStore::from_rows(const std::vector<int>& levels, std::vector<std::vector<int>> rows) {
  std::sort(rows.begin(), rows.end());
  rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
  return rows_node(levels, rows, 0, rows.size(), 0);
}

int MddStore::from_clause(std::vector<std::pair<int, std::vector<int>>> literals) {
  // Bottom up: at each literal's level, its values satisfy the clause, the others defer to the
  // literals below.
  std::sort(literals.begin(), literals.end(),
            [](const auto& x, const auto& y) { return x.first > y.first; });
  int below = kFalse;
  for (size_t i = 0; i < literals.size();) {
    int level = literals[i].first;
    std::vector<char> satisfied(sizes_[level], 0);
    for (; i < literals.size() && literals[i].first == level; ++i) {
      for (int v : literals[i].second) satisfied[v] = 1;
    }
    std::vector<Edge> out;
    for (int v = 0; v < sizes_[level]; ++v) {
      if (satisfied[v]) {
        out.push_back({v, kTrue});
      } else if (below != kFalse) {
        out.push_back({v, below});
      }
    }
    below = make(level, out);
  }
  return below;
}

void MddStore::collect(std::vector<int*> roots) {
  std::vector<int> renumber(levels_.size(), -1);
  std::vector<int> stack;
  for (int* r : roots) {
    if (*r > kTrue) stack.push_back(*r);
  }
  std::vector<char> live(levels_.size(), 0);
  live[0] = 1;
  while (!stack.empty()) {
    int n = stack.back();
    stack.pop_back();
    if (live[n]) continue;
    live[n] = 1;
    for (const Edge& e : edges_of(n)) {
      if (!live[e.second]) stack.push_back(e.second);
    }
  }
  std::vector<int> levels;
  std::vector<uint32_t> first = {0};
  std::vector<Edge> edges;
  for (size_t n = 0; n < levels_.size(); ++n) {
    if (!live[n]) continue;
    renumber[n] = static_cast<int>(levels.size());
    levels.push_back(levels_[n]);
    for (const Edge& e : edges_of(n)) edges.push_back({e.first, renumber[e.second]});
    first.push_back(static_cast<uint32_t>(edges.size()));
  }
  levels_ = std::move(levels);
  first_ = std::move(first);
  edges_ = std::move(edges);
  for (int* r : roots) {
    if (*r > kTrue) *r = renumber[*r];
  }
  size_t capacity = kMinTable;
  while (capacity < levels_.size() * 2) capacity *= 2;
  rehash(capacity);
  cache_.assign(capacity, CacheEntry{});
}

Diagram MddStore::freeze(int root) const {
  Diagram d;
  d.sizes = sizes_;
  d.root = root;
  if (root == kFalse) {
    d.level = {levels()};
    d.first = {0, 0};
    return d;
  }
  // Only the nodes below the root, renumbered children first.
  std::vector<char> live(levels_.size(), 0);
  live[0] = 1;
  live[root] = 1;
  for (int n = root; n > 0; --n) {
    if (!live[n]) continue;
    for (const Edge& e : edges_of(n)) live[e.second] = 1;
  }
  // Deepest level first (the terminal is node 0): children still come before parents, and the
  // nodes below any given level form a prefix, which queries skip when nothing is fixed there.
  std::vector<int> nodes;
  for (int n = 0; n <= root; ++n) {
    if (live[n]) nodes.push_back(n);
  }
  std::stable_sort(nodes.begin(), nodes.end(),
                   [&](int a, int b) { return levels_[a] > levels_[b]; });
  std::vector<int> renumber(levels_.size(), -1);
  for (size_t i = 0; i < nodes.size(); ++i) renumber[nodes[i]] = static_cast<int>(i);
  d.first.push_back(0);
  for (int n : nodes) {
    d.level.push_back(levels_[n]);
    for (const Edge& e : edges_of(n)) {
      d.values.push_back(e.first);
      d.children.push_back(renumber[e.second]);
    }
    d.first.push_back(static_cast<uint32_t>(d.values.size()));
  }
  d.root = renumber[root];
  return d;
}

}  // namespace sumisura::detail
