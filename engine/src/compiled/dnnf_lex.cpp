// The best model of a d-DNNF under a lexicographic objective and a bound on a further additive
// quantity (the price), exactly, in one bottom-up and one top-down pass (see dnnf.hpp).
//
// Without a bound every node keeps its single best (key) model. With one, a node keeps its Pareto
// frontier over (key, price): the models no other model beats on both. Lexicographic order is
// compatible with addition, so a model beaten on both below a node stays beaten in every
// completion above it; the frontier of an AND node is the pruned Minkowski sum of its parts', that
// of an OR node the pruned union of its children's. A frontier holds at most one model per
// distinct key value above the cheapest (for a key whose first part is the price: one model).
#include <algorithm>
#include <array>

#include "compiled/dnnf.hpp"

namespace sumisura::detail {
namespace {

struct Point {
  LexKey key{};
  int64_t price = 0;
  uint32_t prev = 0;  // the point of the previous step (AND), or of the child (OR)
  uint32_t item = 0;  // AND: the child's point, or the free variable's value; OR: the child node
};

bool add_key(const LexKey& a, const LexKey& b, LexKey& out) {
  for (size_t i = 0; i < a.size(); ++i) {
    if (__builtin_add_overflow(a[i], b[i], &out[i])) return false;
  }
  return true;
}

class LexPass {
 public:
  LexPass(const Dnnf& d, const Conditions& cond, const LexCosts& costs, bool bounded,
          size_t max_frontier)
      : d_(d), cond_(cond), costs_(costs), bounded_(bounded), max_frontier_(max_frontier) {}

  LexOutcome run(int64_t bound, LexModel& out) {
    const size_t n_nodes = d_.node_count();
    first_.assign(n_nodes + 1, 0);
    last_.assign(n_nodes + 1, 0);
    points_.clear();
    points_.push_back(Point{});  // the empty model, for the TRUE terminal
    first_[Dnnf::kTrue] = 0;
    last_[Dnnf::kTrue] = 1;
    for (uint32_t n = 2; n < n_nodes; ++n) {
      bool ok = d_.kind[n] == Dnnf::kOr ? or_node(n) : and_node(n);
      if (!ok) return LexOutcome::too_wide;
    }
    // The best root model within the bound: frontiers are sorted by key.
    uint32_t best = UINT32_MAX;
    for (uint32_t p = first_[d_.root]; p < last_[d_.root]; ++p) {
      if (!bounded_ || points_[p].price <= bound) {
        best = p;
        break;
      }
    }
    if (best == UINT32_MAX) return LexOutcome::none;
    out.key = points_[best].key;
    out.price = points_[best].price;
    out.values.assign(static_cast<size_t>(d_.num_vars) + 1, 0);
    reconstruct(d_.root, best, out.values);
    return LexOutcome::found;
  }

 private:
  bool allowed(int32_t lit) const {
    int8_t c = cond_[lit > 0 ? lit : -lit];
    return c == 0 || (c > 0) == (lit > 0);
  }
  Point literal_point(int32_t lit) const {
    Point p;
    size_t i = literal_index(lit);
    p.key = costs_.key[i];
    p.price = costs_.price[i];
    return p;
  }

  // Sorts `scratch_` by (key, price) and keeps what nothing else beats, appended to points_.
  bool commit(uint32_t& begin, uint32_t& end) {
    std::sort(scratch_.begin(), scratch_.end(), [](const Point& a, const Point& b) {
      return a.key != b.key ? a.key < b.key : a.price < b.price;
    });
    begin = static_cast<uint32_t>(points_.size());
    bool any = false;
    int64_t cheapest = 0;
    for (const Point& p : scratch_) {
      if (any && (!bounded_ || p.price >= cheapest)) continue;
      points_.push_back(p);
      cheapest = p.price;
      any = true;
    }
    end = static_cast<uint32_t>(points_.size());
    return end - begin <= max_frontier_;
  }

  // Combines the frontier [begin, end) with the parts `parts` (points or free literals).
  bool combine(uint32_t& begin, uint32_t& end, const std::vector<Point>& parts) {
    scratch_.clear();
    for (uint32_t a = begin; a < end; ++a) {
      for (const Point& part : parts) {
        Point p;
        if (!add_key(points_[a].key, part.key, p.key)) return false;
        if (__builtin_add_overflow(points_[a].price, part.price, &p.price)) return false;
        p.prev = a;
        p.item = part.item;
        scratch_.push_back(p);
      }
    }
    return commit(begin, end);
  }

  bool and_node(uint32_t n) {
    first_[n] = last_[n] = 0;  // empty: no model
    Point base;
    for (uint32_t i = d_.lit_first[n]; i < d_.lit_first[n + 1]; ++i) {
      int32_t lit = d_.lits[i];
      if (!allowed(lit)) return true;
      Point l = literal_point(lit);
      if (!add_key(base.key, l.key, base.key)) return false;
      if (__builtin_add_overflow(base.price, l.price, &base.price)) return false;
    }
    uint32_t begin = static_cast<uint32_t>(points_.size());
    points_.push_back(base);
    uint32_t end = begin + 1;
    std::vector<Point>& parts = parts_;
    for (uint32_t i = d_.free_first[n]; i < d_.free_first[n + 1]; ++i) {
      int32_t v = d_.free_vars[i];
      parts.clear();
      for (int32_t lit : {-v, v}) {
        if (!allowed(lit)) continue;
        Point p = literal_point(lit);
        p.item = lit > 0;
        parts.push_back(p);
      }
      if (!combine(begin, end, parts)) return false;
    }
    for (uint32_t e = d_.child_first[n]; e < d_.child_first[n + 1]; ++e) {
      uint32_t c = d_.children[e];
      if (first_[c] == last_[c]) return true;
      parts.clear();
      for (uint32_t p = first_[c]; p < last_[c]; ++p) {
        Point q = points_[p];
        q.item = p;
        parts.push_back(q);
      }
      if (!combine(begin, end, parts)) return false;
    }
    first_[n] = begin;
    last_[n] = end;
    return true;
  }

  bool or_node(uint32_t n) {
    scratch_.clear();
    for (uint32_t e = d_.child_first[n]; e < d_.child_first[n + 1]; ++e) {
      uint32_t c = d_.children[e];
      for (uint32_t p = first_[c]; p < last_[c]; ++p) {
        Point q = points_[p];
        q.prev = p;
        q.item = c;
        scratch_.push_back(q);
      }
    }
    if (scratch_.empty()) {
      first_[n] = last_[n] = 0;
      return true;
    }
    return commit(first_[n], last_[n]);
  }

  // Sets the values of the model that point `p` of node `n` stands for.
  void reconstruct(uint32_t root, uint32_t root_point, std::vector<int8_t>& values) const {
    std::vector<std::pair<uint32_t, uint32_t>> stack = {{root, root_point}};
    while (!stack.empty()) {
      auto [n, p] = stack.back();
      stack.pop_back();
      if (n < 2) continue;
      if (d_.kind[n] == Dnnf::kOr) {
        stack.push_back({points_[p].item, points_[p].prev});
        continue;
      }
      for (uint32_t i = d_.lit_first[n]; i < d_.lit_first[n + 1]; ++i)
        values[std::abs(d_.lits[i])] = d_.lits[i] > 0;
      // Walk the steps back: children last to first, then free variables last to first.
      uint32_t at = p;
      for (uint32_t e = d_.child_first[n + 1]; e-- > d_.child_first[n];) {
        stack.push_back({d_.children[e], points_[at].item});
        at = points_[at].prev;
      }
      for (uint32_t i = d_.free_first[n + 1]; i-- > d_.free_first[n];) {
        values[d_.free_vars[i]] = static_cast<int8_t>(points_[at].item);
        at = points_[at].prev;
      }
    }
  }

  const Dnnf& d_;
  const Conditions& cond_;
  const LexCosts& costs_;
  bool bounded_;
  size_t max_frontier_;
  std::vector<uint32_t> first_, last_;  // per node: its frontier in points_ (empty: no model)
  std::vector<Point> points_, scratch_, parts_;
};

}  // namespace

LexOutcome dnnf_lex_min(const Dnnf& d, const Conditions& cond, const LexCosts& costs,
                        std::optional<int64_t> bound, LexModel& out, size_t max_frontier) {
  LexPass pass(d, cond, costs, bound.has_value(), max_frontier);
  return pass.run(bound.value_or(0), out);
}

}  // namespace sumisura::detail
