// The top-down decision-DNNF compiler (see dnnf_compiler.hpp).
//
// Soundness of caching with learnt clauses. Learnt clauses are implied by the formula but may
// span components, so while one component is searched they can assign variables of a sibling
// component. Such an implication is sound when every sibling component is satisfiable, and
// vacuous otherwise. Hence the rule (sharpSAT's "cache pollution" rule): when a branch fails
// because one of its components has no model, every cache entry and circuit node made since the
// branch began is discarded; entries made in branches that succeed are exact.
#include "compiled/dnnf_compiler.hpp"

#include "graph/graph.hpp"

#include <pthread.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>

namespace sumisura::detail {

namespace {

constexpr uint32_t kNone = 0xffffffffu;
constexpr uint32_t kBinaryReason = 0x80000000u;  // reason = kBinaryReason | other (false) literal

inline uint32_t var_of(uint32_t lit) {
  return lit >> 1;
}
inline uint32_t to_internal(int lit) {
  return lit > 0 ? 2u * static_cast<uint32_t>(lit) : 2u * static_cast<uint32_t>(-lit) + 1u;
}
inline int32_t to_dimacs(uint32_t lit) {
  return (lit & 1) ? -static_cast<int32_t>(lit >> 1) : static_cast<int32_t>(lit >> 1);
}

struct BudgetExceeded {
  std::string why;
};

/// A component of the residual formula: its unassigned variables and active long clauses, as
/// ranges of the compiler's component stacks, and the variable to decide first.
struct Component {
  uint32_t vars_begin, vars_end;
  uint32_t clauses_begin, clauses_end;
  uint32_t decision;  // variable
  bool projected;     // no scope variable left: only satisfiability matters
};

class Compiler {
 public:
  Compiler(const CnfBuffer& cnf, const std::vector<char>& scope, const CompileBudget& budget)
      : n_(cnf.num_vars()), scope_(scope), budget_(budget) {
    scope_.resize(n_ + 1, 0);
    start_ = std::chrono::steady_clock::now();
    value_.assign(2 * (n_ + 1), 0);
    level_.assign(n_ + 1, 0);
    reason_.assign(n_ + 1, kNone);
    activity_.assign(n_ + 1, 0.0);
    occurrence_score_.assign(n_ + 1, 0);
    seen_.assign(n_ + 1, 0);
    fact_.assign(n_ + 1, 0);
    visited_.assign(n_ + 1, 0);
    member_.assign(n_ + 1, 0);
    component_of_.assign(n_ + 1, 0);
    watches_.resize(2 * (n_ + 1));
    implications_.resize(2 * (n_ + 1));
    occurrences_.resize(n_ + 1);
    load(cnf);
    circuit_ = Dnnf::terminals(n_);
  }

  DnnfOutcome run() {
    DnnfOutcome out;
    try {
      order_variables();  // within the budget too
      out.dnnf = compile_root();
    } catch (const BudgetExceeded& e) {
      out.why_not = e.why;
    } catch (const std::bad_alloc&) {
      out.why_not = "out of memory while compiling";
    }
    out.stats = stats();
    return out;
  }

 private:
  // ------------------------------------------------------------------------------------------
  // The clause database.
  struct Clause {
    uint32_t start = 0, size = 0;
    float activity = 0;
    bool learnt = false, deleted = false;
  };
  struct Watch {
    uint32_t clause, blocker;
  };

  void load(const CnfBuffer& cnf) {
    std::vector<uint32_t> c;
    for (size_t i = 0; i < cnf.size(); ++i) {
      // Loading automotive02's 1.5 million clauses takes 0.1 s: kept within the deadline too.
      if ((i & 4095) == 0) check_deadline_and_cancel();
      c.clear();
      bool tautology = false;
      for (int lit : cnf.clause(i)) {
        if (lit == 0 || std::abs(lit) > n_) continue;
        c.push_back(to_internal(lit));
      }
      std::sort(c.begin(), c.end());
      c.erase(std::unique(c.begin(), c.end()), c.end());
      for (size_t k = 1; k < c.size(); ++k) tautology |= (c[k] ^ 1) == c[k - 1];
      if (tautology) continue;
      if (c.empty()) {
        empty_clause_ = true;
      } else if (c.size() == 1) {
        units_.push_back(c[0]);
      } else if (c.size() == 2) {
        implications_[c[0] ^ 1].push_back(c[1]);
        implications_[c[1] ^ 1].push_back(c[0]);
        binary_count_ += 1;
      } else {
        uint32_t id = add_clause(c, false);
        for (uint32_t lit : c) occurrences_[var_of(lit)].push_back(id);
      }
    }
    original_clauses_ = static_cast<uint32_t>(clauses_.size());
    clause_seen_.assign(original_clauses_, 0);
    clause_component_.assign(original_clauses_, kNone);
  }

  /// minimum_degree_positions, which cannot be interrupted (Boost's minimum degree ordering:
  /// 0.4 s on renault-big), kept within the deadline and the cancel flag: with either, it runs on
  /// a thread of its own that is abandoned when they strike (it owns its data, finishes alone and
  /// frees it).
  std::vector<int> ordered_within_budget(int vertices, std::vector<Edge> edges) {
    if (!budget_.deadline && !budget_.cancel) return minimum_degree_positions(vertices, edges);
    struct Shared {
      std::mutex mutex;
      std::condition_variable done_cv;
      bool done = false;
      std::vector<int> position;
      std::exception_ptr failure;
    };
    auto shared = std::make_shared<Shared>();
    std::thread([shared, vertices, edges = std::move(edges)] {
      std::vector<int> position;
      std::exception_ptr failure;
      try {
        position = minimum_degree_positions(vertices, edges);
      } catch (...) {
        failure = std::current_exception();
      }
      std::lock_guard<std::mutex> lock(shared->mutex);
      shared->position = std::move(position);
      shared->failure = failure;
      shared->done = true;
      shared->done_cv.notify_all();
    }).detach();
    std::unique_lock<std::mutex> lock(shared->mutex);
    while (!shared->done) {
      shared->done_cv.wait_for(lock, std::chrono::milliseconds(5));
      if (shared->done) break;
      if (budget_.cancel && budget_.cancel->load(std::memory_order_relaxed))
        throw BudgetExceeded{"the compilation was cancelled"};
      if (budget_.deadline && std::chrono::steady_clock::now() >= *budget_.deadline)
        throw BudgetExceeded{"the compilation ran out of time"};
    }
    if (shared->failure) std::rethrow_exception(shared->failure);
    return std::move(shared->position);
  }

  /// Static decision priorities from a minimum-degree elimination order of the primal graph:
  /// variables eliminated last separate the formula best (the top of its elimination tree).
  void order_variables() {
    std::vector<Edge> edges;
    int vertices = n_ + 1;
    for (uint32_t lit = 2; lit < implications_.size(); ++lit) {
      for (uint32_t q : implications_[lit]) {
        if (var_of(lit) < var_of(q))
          edges.push_back({static_cast<int>(var_of(lit)), static_cast<int>(var_of(q))});
      }
    }
    for (uint32_t id = 0; id < original_clauses_; ++id) {
      const Clause& c = clauses_[id];
      const uint32_t* lits = &arena_[c.start];
      if (c.size <= 8) {
        for (uint32_t a = 0; a < c.size; ++a)
          for (uint32_t b = a + 1; b < c.size; ++b)
            edges.push_back({static_cast<int>(var_of(lits[a])), static_cast<int>(var_of(lits[b]))});
      } else {
        int hub = vertices++;  // a long clause as a vertex joined to its variables
        for (uint32_t a = 0; a < c.size; ++a)
          edges.push_back({hub, static_cast<int>(var_of(lits[a]))});
      }
    }
    std::vector<int> position = ordered_within_budget(vertices, std::move(edges));
    priority_.assign(n_ + 1, 0);
    for (int v = 1; v <= n_; ++v) priority_[v] = position[v];
  }

  uint32_t add_clause(const std::vector<uint32_t>& lits, bool learnt) {
    Clause c;
    c.start = static_cast<uint32_t>(arena_.size());
    c.size = static_cast<uint32_t>(lits.size());
    c.learnt = learnt;
    arena_.insert(arena_.end(), lits.begin(), lits.end());
    uint32_t id = static_cast<uint32_t>(clauses_.size());
    clauses_.push_back(c);
    watches_[lits[0]].push_back({id, lits[1]});
    watches_[lits[1]].push_back({id, lits[0]});
    return id;
  }

  // ------------------------------------------------------------------------------------------
  // Assignment, propagation, learning.
  int decision_level() const { return static_cast<int>(level_start_.size()); }

  void assign(uint32_t lit, uint32_t reason) {
    value_[lit] = 1;
    value_[lit ^ 1] = -1;
    uint32_t v = var_of(lit);
    level_[v] = decision_level();
    reason_[v] = reason;
    trail_.push_back(lit);
  }

  void new_level() { level_start_.push_back(static_cast<uint32_t>(trail_.size())); }

  void backtrack_to(int level) {
    if (decision_level() <= level) return;
    uint32_t keep = level_start_[level];
    while (trail_.size() > keep) {
      uint32_t lit = trail_.back();
      trail_.pop_back();
      value_[lit] = value_[lit ^ 1] = 0;
      reason_[var_of(lit)] = kNone;
    }
    level_start_.resize(level);
    qhead_ = trail_.size();
  }

  /// Unit propagation; false on a conflict (recorded in conflict_).
  bool propagate() {
    while (qhead_ < trail_.size()) {
      uint32_t p = trail_[qhead_++];
      ++work_;
      for (uint32_t q : implications_[p]) {
        if (value_[q] > 0) continue;
        if (value_[q] < 0) {
          conflict_binary_ = true;
          conflict_a_ = p ^ 1;
          conflict_b_ = q;
          return false;
        }
        assign(q, kBinaryReason | (p ^ 1));
      }
      uint32_t falsified = p ^ 1;
      std::vector<Watch>& ws = watches_[falsified];
      size_t i = 0, j = 0;
      const size_t end = ws.size();
      for (; i < end; ++i) {
        Watch w = ws[i];
        if (value_[w.blocker] > 0) {
          ws[j++] = w;
          continue;
        }
        ++work_;
        Clause& c = clauses_[w.clause];
        uint32_t* lits = &arena_[c.start];
        if (lits[0] == falsified) std::swap(lits[0], lits[1]);
        uint32_t first = lits[0];
        if (first != w.blocker && value_[first] > 0) {
          ws[j++] = {w.clause, first};
          continue;
        }
        bool moved = false;
        for (uint32_t k = 2; k < c.size; ++k) {
          if (value_[lits[k]] >= 0) {
            std::swap(lits[1], lits[k]);
            watches_[lits[1]].push_back({w.clause, first});
            moved = true;
            break;
          }
        }
        if (moved) continue;
        ws[j++] = {w.clause, first};
        if (value_[first] < 0) {
          for (++i; i < end; ++i) ws[j++] = ws[i];
          ws.resize(j);
          conflict_binary_ = false;
          conflict_clause_ = w.clause;
          return false;
        }
        assign(first, w.clause);
      }
      ws.resize(j);
    }
    return true;
  }

  /// The literals of the reason for `lit` being true, `lit` excluded.
  template <class F>
  void for_reason(uint32_t v, F&& f) {
    uint32_t r = reason_[v];
    if (r == kNone) return;
    if (r & kBinaryReason) {
      f(r & ~kBinaryReason);
      return;
    }
    const Clause& c = clauses_[r];
    for (uint32_t k = 1; k < c.size; ++k) f(arena_[c.start + k]);
  }

  void bump_variable(uint32_t v) { activity_[v] += 1.0; }

  /// First-UIP learning. Leaves the learnt clause in learnt_, its asserting literal first and a
  /// literal of the highest remaining level second; false (nothing learnt) when no literal of the
  /// current level takes part in the conflict.
  bool analyze() {
    ++conflicts_;
    learnt_.clear();
    learnt_.push_back(0);
    const int current = decision_level();
    int path = 0;
    size_t index = trail_.size();
    uint32_t p = kNone;
    auto visit = [&](uint32_t q) {
      uint32_t v = var_of(q);
      if (seen_[v] || level_[v] == 0 || fact_[v]) return;
      seen_[v] = 1;
      bump_variable(v);
      if (level_[v] >= current) {
        ++path;
      } else {
        learnt_.push_back(q);
      }
    };
    if (conflict_binary_) {
      visit(conflict_a_);
      visit(conflict_b_);
    } else {
      Clause& c = clauses_[conflict_clause_];
      if (c.learnt) c.activity += 1;
      for (uint32_t k = 0; k < c.size; ++k) visit(arena_[c.start + k]);
    }
    if (path == 0) {
      // Only facts (learnt units) and lower levels clash: nothing to learn here, the branch is
      // simply dead (and the formula, with these facts, has no model at all).
      for (uint32_t q : learnt_) seen_[var_of(q)] = 0;
      learnt_.clear();
      return false;
    }
    for (;;) {
      while (!seen_[var_of(trail_[--index])]) {
      }
      p = trail_[index];
      seen_[var_of(p)] = 0;
      if (--path <= 0) break;
      uint32_t r = reason_[var_of(p)];
      if (!(r & kBinaryReason) && r != kNone && clauses_[r].learnt) clauses_[r].activity += 1;
      for_reason(var_of(p), visit);
    }
    learnt_[0] = p ^ 1;
    // Local minimisation: drop a literal whose reason's other literals are all in the clause.
    size_t keep = 1;
    to_clear_.assign(learnt_.begin() + 1, learnt_.end());
    for (size_t k = 1; k < learnt_.size(); ++k) {
      uint32_t v = var_of(learnt_[k]);
      bool redundant = reason_[v] != kNone;
      if (redundant) {
        for_reason(v, [&](uint32_t q) {
          uint32_t w = var_of(q);
          if (!seen_[w] && level_[w] > 0 && !fact_[w]) redundant = false;
        });
      }
      if (!redundant) learnt_[keep++] = learnt_[k];
    }
    for (uint32_t q : to_clear_) seen_[var_of(q)] = 0;
    learnt_.resize(keep);
    if (learnt_.size() > 1) {
      size_t best = 1;
      for (size_t k = 2; k < learnt_.size(); ++k) {
        if (level_[var_of(learnt_[k])] > level_[var_of(learnt_[best])]) best = k;
      }
      std::swap(learnt_[1], learnt_[best]);
    }
    if (conflicts_ % 4096 == 0) {
      for (double& a : activity_) a *= 0.5;
    }
    return true;
  }

  /// Stores the clause analyze() made; returns its id, or kNone for a unit.
  uint32_t store_learnt() {
    if (learnt_.size() == 1) {
      learnt_units_.push_back(learnt_[0]);
      fact_[var_of(learnt_[0])] = 1;
      return kNone;
    }
    uint32_t id = add_clause(learnt_, true);
    clauses_[id].activity = 1;
    ++live_learnt_;
    if (live_learnt_ > max_learnt_) reduce_learnt();
    return id;
  }

  /// Deletes the less active half of the learnt clauses that are no reason for an assignment.
  void reduce_learnt() {
    std::vector<uint32_t> candidates;
    for (uint32_t id = original_clauses_; id < clauses_.size(); ++id) {
      const Clause& c = clauses_[id];
      if (c.deleted || c.size <= 2) continue;
      uint32_t first = arena_[c.start];
      if (value_[first] > 0 && reason_[var_of(first)] == id) continue;
      candidates.push_back(id);
    }
    std::sort(candidates.begin(), candidates.end(),
              [&](uint32_t a, uint32_t b) { return clauses_[a].activity < clauses_[b].activity; });
    for (size_t k = 0; k < candidates.size() / 2; ++k) {
      clauses_[candidates[k]].deleted = true;
      --live_learnt_;
    }
    for (uint32_t id = original_clauses_; id < clauses_.size(); ++id) clauses_[id].activity *= 0.5f;
    for (auto& ws : watches_) {
      ws.erase(std::remove_if(ws.begin(), ws.end(),
                              [&](const Watch& w) { return clauses_[w.clause].deleted; }),
               ws.end());
    }
    compact_arena();
    max_learnt_ += max_learnt_ / 10;
  }

  void compact_arena() {
    size_t live = 0;
    for (const Clause& c : clauses_) live += c.deleted ? 0 : c.size;
    if (live * 2 > arena_.size()) return;
    std::vector<uint32_t> fresh;
    fresh.reserve(live + live / 4);
    for (Clause& c : clauses_) {
      if (c.deleted) {
        c.size = 0;
        c.start = 0;
        continue;
      }
      uint32_t start = static_cast<uint32_t>(fresh.size());
      fresh.insert(fresh.end(), arena_.begin() + c.start, arena_.begin() + c.start + c.size);
      c.start = start;
    }
    arena_ = std::move(fresh);
  }

  // ------------------------------------------------------------------------------------------
  // Components.

  /// Splits the unassigned variables of `parent` (member_ == stamp) into components pushed on
  /// comps_; the scope variables among them that no active clause reads go on free_stack_.
  /// Components keep their variables and clauses sorted: a breadth-first search labels each
  /// variable and active clause with its component, then one scan of the parent's sorted lists
  /// (an active clause of a child was active in the parent) hands them out in order.
  void decompose(const Component& parent, uint32_t stamp) {
    ++visit_stamp_;
    if (visit_stamp_ == 0) {  // wrapped: clear the marks
      std::fill(visited_.begin(), visited_.end(), 0);
      std::fill(clause_seen_.begin(), clause_seen_.end(), 0);
      visit_stamp_ = 1;
    }
    const uint32_t vs = visit_stamp_;
    found_.clear();
    for (uint32_t i = parent.vars_begin; i < parent.vars_end; ++i) {
      uint32_t v = var_stack_[i];
      if (value_[2 * v] != 0 || visited_[v] == vs) continue;
      const uint32_t k = static_cast<uint32_t>(found_.size());
      Found f;
      bfs_.clear();
      bfs_.push_back(v);
      visited_[v] = vs;
      component_of_[v] = k;
      occurrence_score_[v] = 0;
      for (size_t head = 0; head < bfs_.size(); ++head) {
        uint32_t u = bfs_[head];
        ++work_;
        for (uint32_t side = 0; side < 2; ++side) {
          for (uint32_t q : implications_[2 * u + side]) {
            if (value_[q] != 0) continue;
            ++occurrence_score_[u];
            uint32_t w = var_of(q);
            if (visited_[w] != vs && member_[w] == stamp) {
              visited_[w] = vs;
              component_of_[w] = k;
              occurrence_score_[w] = 0;
              bfs_.push_back(w);
            }
          }
        }
        for (uint32_t id : occurrences_[u]) {
          if (clause_seen_[id] == vs) continue;
          clause_seen_[id] = vs;
          const Clause& cl = clauses_[id];
          const uint32_t* lits = &arena_[cl.start];
          bool satisfied = false;
          for (uint32_t j = 0; j < cl.size && !satisfied; ++j) satisfied = value_[lits[j]] > 0;
          work_ += cl.size / 4;
          if (satisfied) {
            clause_component_[id] = kNone;
            continue;
          }
          clause_component_[id] = k;
          ++f.clauses;
          for (uint32_t j = 0; j < cl.size; ++j) {
            if (value_[lits[j]] != 0) continue;
            uint32_t w = var_of(lits[j]);
            if (visited_[w] != vs && member_[w] == stamp) {
              visited_[w] = vs;
              component_of_[w] = k;
              occurrence_score_[w] = 0;
              bfs_.push_back(w);
            }
            occurrence_score_[w] += 1;
          }
        }
      }
      f.vars = static_cast<uint32_t>(bfs_.size());
      if (f.vars == 1 && f.clauses == 0) {
        f.free = true;  // a variable no active clause reads
      } else {
        choose_decision(f);
      }
      found_.push_back(f);
    }
    // Hand out the parent's variables and clauses, in order, to the components found.
    uint32_t var_pos = static_cast<uint32_t>(var_stack_.size());
    uint32_t clause_pos = static_cast<uint32_t>(clause_stack_.size());
    for (Found& f : found_) {
      if (f.free) continue;
      f.var_next = var_pos;
      f.clause_next = clause_pos;
      var_pos += f.vars;
      clause_pos += f.clauses;
    }
    var_stack_.resize(var_pos);
    clause_stack_.resize(clause_pos);
    for (uint32_t i = parent.vars_begin; i < parent.vars_end; ++i) {
      uint32_t v = var_stack_[i];
      if (visited_[v] != vs || value_[2 * v] != 0) continue;
      Found& f = found_[component_of_[v]];
      if (f.free) {
        if (scope_[v]) free_stack_.push_back(static_cast<int32_t>(v));
      } else {
        var_stack_[f.var_next++] = v;
      }
    }
    for (uint32_t i = parent.clauses_begin; i < parent.clauses_end; ++i) {
      uint32_t id = clause_stack_[i];
      if (clause_seen_[id] != vs || clause_component_[id] == kNone) continue;
      Found& f = found_[clause_component_[id]];
      clause_stack_[f.clause_next++] = id;
    }
    for (const Found& f : found_) {
      if (f.free) continue;
      Component c;
      c.vars_end = f.var_next;
      c.vars_begin = f.var_next - f.vars;
      c.clauses_end = f.clause_next;
      c.clauses_begin = f.clause_next - f.clauses;
      c.decision = f.decision;
      c.projected = f.projected;
      comps_.push_back(c);
    }
  }

  struct Found {
    uint32_t vars = 0, clauses = 0;
    uint32_t var_next = 0, clause_next = 0;
    uint32_t decision = kNone;
    bool projected = false, free = false;
  };

  /// Scope variables first; among them the static priority (the elimination order), then VSADS
  /// (occurrences in the component's active clauses plus conflict activity). Measured on
  /// automotive01: 1,835 decisions with the priority first, 69,444 with VSADS alone.
  void choose_decision(Found& f) {
    uint32_t best = kNone;
    double best_score = -1;
    int best_priority = -1;
    bool best_scope = false;
    for (uint32_t v : bfs_) {
      bool in_scope = scope_[v];
      if (best_scope && !in_scope) continue;
      double score = occurrence_score_[v] + activity_[v];
      bool better = (in_scope && !best_scope) || priority_[v] > best_priority ||
                    (priority_[v] == best_priority && score > best_score);
      if (better) {
        best = v;
        best_score = score;
        best_priority = priority_[v];
        best_scope = in_scope;
      }
    }
    f.decision = best;
    f.projected = !best_scope;
  }

  // ------------------------------------------------------------------------------------------
  // The component cache: keys are the sorted variables and active long clauses of a component
  // (which determine its residual formula), delta-encoded as variable-length bytes.
  struct CacheEntry {
    uint64_t hash;
    uint64_t key_offset;
    uint32_t key_size;
    uint32_t node;
    uint32_t next;  // entry index + 1 in the same bucket, 0: none
  };

  void make_key(const Component& c) {
    key_bytes_.clear();
    auto put = [&](uint32_t x) {
      while (x >= 0x80) {
        key_bytes_.push_back(static_cast<uint8_t>(x | 0x80));
        x >>= 7;
      }
      key_bytes_.push_back(static_cast<uint8_t>(x));
    };
    put(c.vars_end - c.vars_begin);
    uint32_t last = 0;
    for (uint32_t i = c.vars_begin; i < c.vars_end; ++i) {
      put(var_stack_[i] - last);
      last = var_stack_[i];
    }
    last = 0;
    for (uint32_t i = c.clauses_begin; i < c.clauses_end; ++i) {
      put(clause_stack_[i] - last);
      last = clause_stack_[i];
    }
    work_ += key_bytes_.size() / 8;
    uint64_t h = 0x9E3779B97F4A7C15ull ^ key_bytes_.size();
    size_t k = 0;
    for (; k + 8 <= key_bytes_.size(); k += 8) {
      uint64_t x;
      std::memcpy(&x, key_bytes_.data() + k, 8);
      h = (h ^ x) * 0xff51afd7ed558ccdull;
      h ^= h >> 32;
    }
    for (; k < key_bytes_.size(); ++k) h = (h ^ key_bytes_[k]) * 0x100000001b3ull;
    h ^= h >> 29;
    key_hash_ = h * 0xc4ceb9fe1a85ec53ull;
  }

  uint32_t cache_find() {
    if (buckets_.empty()) return kNone;
    uint32_t e = buckets_[key_hash_ & (buckets_.size() - 1)];
    while (e) {
      const CacheEntry& entry = entries_[e - 1];
      if (entry.hash == key_hash_ && entry.key_size == key_bytes_.size() &&
          std::memcmp(key_pool_.data() + entry.key_offset, key_bytes_.data(), entry.key_size) == 0)
        return entry.node;
      e = entry.next;
    }
    return kNone;
  }

  /// Stores `node` under the key make_key() left in the pool at `offset` (see compile()).
  void cache_store(uint64_t hash, uint64_t offset, uint32_t size, uint32_t node) {
    if (entries_.size() + 1 > buckets_.size()) rehash(std::max<size_t>(1024, 2 * buckets_.size()));
    CacheEntry entry;
    entry.hash = hash;
    entry.key_offset = offset;
    entry.key_size = size;
    entry.node = node;
    uint32_t& head = buckets_[hash & (buckets_.size() - 1)];
    entry.next = head;
    entries_.push_back(entry);
    head = static_cast<uint32_t>(entries_.size());
  }

  void rehash(size_t capacity) {
    buckets_.assign(capacity, 0);
    for (size_t i = 0; i < entries_.size(); ++i) {
      uint32_t& head = buckets_[entries_[i].hash & (capacity - 1)];
      entries_[i].next = head;
      head = static_cast<uint32_t>(i + 1);
    }
  }

  /// Removes the entries made after `mark` (the newest of each bucket come first).
  void cache_rollback(size_t mark) {
    while (entries_.size() > mark) {
      const CacheEntry& entry = entries_.back();
      buckets_[entry.hash & (buckets_.size() - 1)] = entry.next;
      key_pool_.resize(entry.key_offset);
      entries_.pop_back();
    }
  }

  // ------------------------------------------------------------------------------------------
  // The circuit under construction.
  uint32_t make_node(uint8_t kind, const int32_t* lits, size_t n_lits, const int32_t* free,
                     size_t n_free, const uint32_t* kids, size_t n_kids) {
    Dnnf& d = circuit_;
    work_ += 1 + (n_lits + n_free + n_kids) / 4;
    d.kind.push_back(kind);
    d.lits.insert(d.lits.end(), lits, lits + n_lits);
    d.free_vars.insert(d.free_vars.end(), free, free + n_free);
    d.children.insert(d.children.end(), kids, kids + n_kids);
    d.lit_first.push_back(static_cast<uint32_t>(d.lits.size()));
    d.free_first.push_back(static_cast<uint32_t>(d.free_vars.size()));
    d.child_first.push_back(static_cast<uint32_t>(d.children.size()));
    if (d.kind.size() + d.children.size() > budget_.max_nodes)
      throw BudgetExceeded{"the compiled form outgrew its node budget (" +
                           std::to_string(budget_.max_nodes) + " nodes and edges)"};
    return static_cast<uint32_t>(d.kind.size() - 1);
  }

  uint32_t make_and(size_t lits_begin, size_t free_begin, size_t kids_begin) {
    size_t n_lits = lit_stack_.size() - lits_begin, n_free = free_stack_.size() - free_begin;
    // TRUE children add nothing.
    size_t k = kids_begin;
    for (size_t i = kids_begin; i < kid_stack_.size(); ++i) {
      if (kid_stack_[i] != Dnnf::kTrue) kid_stack_[k++] = kid_stack_[i];
    }
    kid_stack_.resize(k);
    size_t n_kids = kid_stack_.size() - kids_begin;
    if (n_lits == 0 && n_free == 0) {
      if (n_kids == 0) return Dnnf::kTrue;
      if (n_kids == 1) return kid_stack_[kids_begin];
    }
    return make_node(Dnnf::kAnd, lit_stack_.data() + lits_begin, n_lits,
                     free_stack_.data() + free_begin, n_free, kid_stack_.data() + kids_begin,
                     n_kids);
  }

  void truncate_circuit(size_t nodes) {
    Dnnf& d = circuit_;
    if (d.kind.size() <= nodes) return;
    d.kind.resize(nodes);
    d.lit_first.resize(nodes + 1);
    d.free_first.resize(nodes + 1);
    d.child_first.resize(nodes + 1);
    d.lits.resize(d.lit_first.back());
    d.free_vars.resize(d.free_first.back());
    d.children.resize(d.child_first.back());
  }

  // ------------------------------------------------------------------------------------------
  // The search.

  void check_deadline_and_cancel() const {
    if (budget_.cancel && budget_.cancel->load(std::memory_order_relaxed))
      throw BudgetExceeded{"the compilation was cancelled"};
    if (budget_.deadline && std::chrono::steady_clock::now() >= *budget_.deadline)
      throw BudgetExceeded{"the compilation ran out of time"};
  }

  void check_budget() {
    if (work_ < next_check_) return;
    next_check_ = work_ + (1u << 16);
    if (budget_.cancel && budget_.cancel->load(std::memory_order_relaxed))
      throw BudgetExceeded{"the compilation was cancelled"};
    if (work_ > budget_.max_work)
      throw BudgetExceeded{"the compilation outgrew its work budget (" +
                           std::to_string(budget_.max_work) + " steps)"};
    // The next doubling of the largest growing array holds its old and new copies at once: it is
    // counted before it happens (measured on linux-2.6.33.3: the process peaked 1.5x above the
    // arrays' sizes without it).
    const Dnnf& d = circuit_;
    size_t next_growth = std::max(
        {d.lits.capacity() * 4, d.children.capacity() * 4, d.free_vars.capacity() * 4,
         key_pool_.capacity(), entries_.capacity() * sizeof(CacheEntry), arena_.capacity() * 4});
    size_t memory = memory_bytes() + next_growth;
    if (memory > budget_.max_memory)
      throw BudgetExceeded{"the compilation outgrew its memory budget (" +
                           std::to_string(budget_.max_memory >> 20) + " MiB)"};
    auto now = std::chrono::steady_clock::now();
    if (budget_.deadline && now >= *budget_.deadline)
      throw BudgetExceeded{"the compilation ran out of time"};
    if (budget_.progress && now >= next_progress_) {
      next_progress_ = now + std::chrono::milliseconds(500);
      budget_.progress(stats());
    }
  }

  size_t memory_bytes() const {
    size_t watches = 0;
    for (const auto& ws : watches_) watches += ws.capacity() * sizeof(Watch);
    const Dnnf& d = circuit_;
    return arena_.capacity() * 4 + clauses_.capacity() * sizeof(Clause) + watches +
           key_pool_.capacity() + entries_.capacity() * sizeof(CacheEntry) +
           buckets_.capacity() * 4 + d.kind.capacity() * 13 +
           (d.lits.capacity() + d.free_vars.capacity() + d.children.capacity()) * 4;
  }

  CompileProgress stats() const {
    CompileProgress p;
    p.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    p.work = work_;
    p.decisions = decisions_;
    p.conflicts = conflicts_;
    p.cache_hits = cache_hits_;
    p.nodes = circuit_.node_count();
    p.edges = circuit_.edge_count();
    p.cache_entries = entries_.size();
    p.memory = memory_bytes();
    return p;
  }

  /// The circuit of a component (its variables unassigned, the rest of the trail fixed).
  uint32_t compile(const Component& c) {
    check_budget();
    make_key(c);
    uint32_t hit = cache_find();
    if (hit != kNone) {
      ++cache_hits_;
      return hit;
    }
    // The key goes to the pool now; entries made (and rolled back) during the search sit above.
    const uint64_t hash = key_hash_, offset = key_pool_.size();
    const uint32_t size = static_cast<uint32_t>(key_bytes_.size());
    key_pool_.insert(key_pool_.end(), key_bytes_.begin(), key_bytes_.end());
    uint32_t node = decide(c);
    cache_store(hash, offset, size, node);
    return node;
  }

  /// Both branches on the component's decision variable (or, for a projected component, until
  /// one has a model).
  uint32_t decide(const Component& c) {
    ++decisions_;
    const uint32_t x = c.decision;
    const size_t branches_begin = branch_stack_.size();
    uint32_t asserted = kNone;  // implied for the second branch by the first branch's conflict
    for (int branch = 0; branch < 2; ++branch) {
      const uint32_t lit = 2 * x + (branch == 0 ? 1 : 0);  // "not x" first
      const size_t cache_mark = entries_.size(), node_mark = circuit_.node_count();
      new_level();
      assign(lit, kNone);
      if (branch == 1 && asserted != kNone && asserted != lit) {
        if (value_[asserted] < 0) {
          backtrack_to(decision_level() - 1);
          continue;
        }
        if (value_[asserted] == 0) assign(asserted, asserted_reason_);
      }
      for (uint32_t u : learnt_units_) {
        if (value_[u] == 0) assign(u, kNone);
      }
      bool ok = propagate() && units_hold();
      if (!ok) {
        if (!units_hold_failed_ && analyze()) {
          uint32_t id = store_learnt();
          asserted = learnt_[0];
          asserted_reason_ = id == kNone ? kNone : id;
        }
        units_hold_failed_ = false;
        backtrack_to(decision_level() - 1);
        continue;
      }
      // Literals this branch fixes in the component, then its components.
      const uint32_t stamp = ++member_stamp_;
      for (uint32_t i = c.vars_begin; i < c.vars_end; ++i) member_[var_stack_[i]] = stamp;
      const size_t lits_begin = lit_stack_.size(), free_begin = free_stack_.size();
      const size_t kids_begin = kid_stack_.size();
      if (!c.projected) {
        for (size_t t = level_start_.back(); t < trail_.size(); ++t) {
          uint32_t v = var_of(trail_[t]);
          if (member_[v] == stamp && scope_[v]) lit_stack_.push_back(to_dimacs(trail_[t]));
        }
      }
      const size_t comps_begin = comps_.size();
      const uint32_t vars_mark = static_cast<uint32_t>(var_stack_.size());
      const uint32_t clauses_mark = static_cast<uint32_t>(clause_stack_.size());
      decompose(c, stamp);
      const size_t comps_end = comps_.size();
      bool failed = false;
      for (size_t k = comps_begin; k < comps_end; ++k) {
        Component child = comps_[k];
        uint32_t node = compile(child);
        if (node == Dnnf::kFalse) {
          failed = true;
          break;
        }
        kid_stack_.push_back(node);
      }
      comps_.resize(comps_begin);
      var_stack_.resize(vars_mark);
      clause_stack_.resize(clauses_mark);
      backtrack_to(decision_level() - 1);
      if (failed) {
        // A component without a model: discard what this branch cached and built.
        cache_rollback(cache_mark);
        truncate_circuit(node_mark);
        lit_stack_.resize(lits_begin);
        free_stack_.resize(free_begin);
        kid_stack_.resize(kids_begin);
        continue;
      }
      uint32_t node = c.projected ? Dnnf::kTrue : make_and(lits_begin, free_begin, kids_begin);
      lit_stack_.resize(lits_begin);
      free_stack_.resize(free_begin);
      kid_stack_.resize(kids_begin);
      branch_stack_.push_back(node);
      if (c.projected) break;  // one model is enough
    }
    uint32_t result;
    const size_t n = branch_stack_.size() - branches_begin;
    if (n == 0) {
      result = Dnnf::kFalse;
    } else if (n == 1) {
      result = branch_stack_[branches_begin];
    } else {
      result =
          make_node(Dnnf::kOr, nullptr, 0, nullptr, 0, branch_stack_.data() + branches_begin, n);
    }
    branch_stack_.resize(branches_begin);
    return result;
  }

  /// Learnt units must hold in every branch; one assigned false means this branch is dead.
  bool units_hold() {
    for (uint32_t u : learnt_units_) {
      if (value_[u] < 0) {
        units_hold_failed_ = true;
        return false;
      }
    }
    return true;
  }

  std::optional<Dnnf> compile_root() {
    if (empty_clause_) return finish(Dnnf::kFalse);
    for (uint32_t u : units_) {
      if (value_[u] < 0) return finish(Dnnf::kFalse);
      if (value_[u] == 0) assign(u, kNone);
    }
    if (!propagate()) return finish(Dnnf::kFalse);
    // The root: every variable, as one component to split.
    Component all;
    all.vars_begin = 0;
    for (uint32_t v = 1; v <= static_cast<uint32_t>(n_); ++v) var_stack_.push_back(v);
    all.vars_end = static_cast<uint32_t>(var_stack_.size());
    all.clauses_begin = 0;
    for (uint32_t id = 0; id < original_clauses_; ++id) clause_stack_.push_back(id);
    all.clauses_end = static_cast<uint32_t>(clause_stack_.size());
    const uint32_t stamp = ++member_stamp_;
    for (uint32_t v = 1; v <= static_cast<uint32_t>(n_); ++v) member_[v] = stamp;
    for (uint32_t lit : trail_) {
      if (scope_[var_of(lit)]) lit_stack_.push_back(to_dimacs(lit));
    }
    decompose(all, stamp);
    for (size_t k = 0; k < comps_.size(); ++k) {
      Component child = comps_[k];
      uint32_t node = compile(child);
      if (node == Dnnf::kFalse) return finish(Dnnf::kFalse);
      kid_stack_.push_back(node);
    }
    return finish(make_and(0, 0, 0));
  }

  /// The circuit from `root`, without the nodes it does not reach.
  std::optional<Dnnf> finish(uint32_t root) {
    Dnnf& d = circuit_;
    std::vector<uint32_t> renumber(d.node_count(), kNone);
    std::vector<char> reached(d.node_count(), 0);
    reached[root] = 1;
    for (uint32_t n = root + 1; n-- > 2;) {
      if (!reached[n]) continue;
      for (uint32_t e = d.child_first[n]; e < d.child_first[n + 1]; ++e) reached[d.children[e]] = 1;
    }
    Dnnf out = Dnnf::terminals(n_);
    renumber[Dnnf::kFalse] = Dnnf::kFalse;
    renumber[Dnnf::kTrue] = Dnnf::kTrue;
    for (uint32_t n = 2; n <= root && n < d.node_count(); ++n) {
      if (!reached[n]) continue;
      renumber[n] = static_cast<uint32_t>(out.kind.size());
      out.kind.push_back(d.kind[n]);
      out.lits.insert(out.lits.end(), d.lits.begin() + d.lit_first[n],
                      d.lits.begin() + d.lit_first[n + 1]);
      out.free_vars.insert(out.free_vars.end(), d.free_vars.begin() + d.free_first[n],
                           d.free_vars.begin() + d.free_first[n + 1]);
      for (uint32_t e = d.child_first[n]; e < d.child_first[n + 1]; ++e)
        out.children.push_back(renumber[d.children[e]]);
      out.lit_first.push_back(static_cast<uint32_t>(out.lits.size()));
      out.free_first.push_back(static_cast<uint32_t>(out.free_vars.size()));
      out.child_first.push_back(static_cast<uint32_t>(out.children.size()));
    }
    out.root = renumber[root];
    return out;
  }

  const int n_;
  std::vector<char> scope_;
  const CompileBudget& budget_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point next_progress_{};

  // Clauses.
  std::vector<uint32_t> arena_;
  std::vector<Clause> clauses_;
  uint32_t original_clauses_ = 0;
  size_t binary_count_ = 0;
  bool empty_clause_ = false;
  std::vector<uint32_t> units_;
  std::vector<std::vector<Watch>> watches_;          // per literal: clauses watching it
  std::vector<std::vector<uint32_t>> implications_;  // per literal: what it implies (binaries)
  std::vector<std::vector<uint32_t>> occurrences_;   // per variable: long original clauses
  std::vector<uint32_t> learnt_units_;
  size_t live_learnt_ = 0, max_learnt_ = 20000;

  // Assignment.
  std::vector<int8_t> value_;
  std::vector<int> level_;
  std::vector<uint32_t> reason_;
  std::vector<uint32_t> trail_;
  std::vector<uint32_t> level_start_;
  size_t qhead_ = 0;
  bool conflict_binary_ = false;
  uint32_t conflict_a_ = 0, conflict_b_ = 0, conflict_clause_ = 0;
  bool units_hold_failed_ = false;
  uint32_t asserted_reason_ = kNone;
  std::vector<uint32_t> learnt_, to_clear_;
  std::vector<char> seen_;
  std::vector<char> fact_;  // variables of learnt units: implied by the formula, never analysed
  std::vector<double> activity_;
  std::vector<int> priority_;

  // Components.
  std::vector<uint32_t> occurrence_score_;
  std::vector<uint32_t> visited_, clause_seen_, member_;
  std::vector<uint32_t> component_of_, clause_component_, bfs_;
  std::vector<Found> found_;
  uint32_t visit_stamp_ = 0, member_stamp_ = 0;
  std::vector<uint32_t> var_stack_, clause_stack_;
  std::vector<Component> comps_;
  std::vector<int32_t> lit_stack_, free_stack_;
  std::vector<uint32_t> kid_stack_, branch_stack_;

  // Cache.
  std::vector<uint8_t> key_bytes_;
  uint64_t key_hash_ = 0;
  std::vector<CacheEntry> entries_;
  std::vector<uint32_t> buckets_;
  std::vector<uint8_t> key_pool_;

  Dnnf circuit_;
  uint64_t work_ = 0, next_check_ = 0, decisions_ = 0, conflicts_ = 0, cache_hits_ = 0;
};

/// Runs `f` on a thread with a stack of `bytes` (the search recurses once per decision).
template <class F>
void run_with_stack(size_t bytes, F&& f) {
  struct Call {
    F* f;
    std::exception_ptr error;
  } call{&f, nullptr};
  auto trampoline = [](void* arg) -> void* {
    auto* c = static_cast<Call*>(arg);
    try {
      (*c->f)();
    } catch (...) {
      c->error = std::current_exception();
    }
    return nullptr;
  };
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, bytes);
  pthread_t thread;
  int rc = pthread_create(&thread, &attr, trampoline, &call);
  pthread_attr_destroy(&attr);
  if (rc != 0) {
    f();  // no thread to be had: the caller's own stack
    return;
  }
  pthread_join(thread, nullptr);
  if (call.error) std::rethrow_exception(call.error);
}

}  // namespace

DnnfOutcome compile_dnnf(const CnfBuffer& cnf, const std::vector<char>& scope,
                         const CompileBudget& budget) {
  DnnfOutcome out;
  run_with_stack(size_t{1} << 30, [&] {
    try {
      Compiler compiler(cnf, scope, budget);
      out = compiler.run();
    } catch (const BudgetExceeded& e) {  // while loading the clauses
      out.why_not = e.why;
    }
  });
  return out;
}

}  // namespace sumisura::detail
