// Compiling a model into a decision diagram or a decision-DNNF circuit, and the queries of both
// in terms of finite-domain variables (see compiled_catalog.hpp).
#include "compiled/compiled_catalog.hpp"

#include <algorithm>
#include <chrono>
#include <numeric>
#include <stdexcept>

#include "compile/checker.hpp"
#include "compile/model.hpp"
#include "compiled/dnnf_compiler.hpp"
#include "compiled/mdd_store.hpp"
#include "core/bytes.hpp"
#include "graph/graph.hpp"

namespace sumisura::detail {

namespace {

/// Rows a single constraint may expand to before it is judged too large to state as a diagram.
constexpr size_t kMaxRows = size_t{1} << 18;

/// Gates a rule's encoding must define for a relaxed form to leave it out (bicycle's sum of the
/// parts' weights defines about 2,000; a comparison of two attributes a handful).
constexpr size_t kMinRelaxedGates = 256;

/// A static variable order: reverse Cuthill-McKee on the constraint graph, so that variables
/// constrained together sit close (diagrams grow with the "cut" between levels).
std::vector<int> variable_order(const Model& m) {
  const Checker& checker = *m.checker;
  std::vector<Edge> edges;
  for (size_t g = 0; g < checker.size(); ++g) {
    const auto& vars = checker.vars_of(static_cast<int>(g));
    if (vars.size() <= 16) {
      for (size_t i = 0; i < vars.size(); ++i)
        for (size_t j = i + 1; j < vars.size(); ++j) edges.push_back({vars[i], vars[j]});
    } else {
      for (size_t i = 0; i + 1 < vars.size(); ++i) edges.push_back({vars[i], vars[i + 1]});
    }
  }
  return cuthill_mckee_order(static_cast<int>(m.vars.size()), edges);
}

class GroupCompiler {
 public:
  GroupCompiler(const Model& m, MddStore& store, const std::vector<int>& level_of)
      : m_(m), checker_(*m.checker), store_(store), level_of_(level_of) {}

  /// The diagram of group g, or false when it cannot be stated as one.
  bool compile(int g, int& root, std::string& why) {
    const GroupCheck& c = checker_.check(g);
    if (c.kind == GroupCheck::Kind::unsupported) {
      why = "constraint '" + m_.groups[g].id + "' reads what a diagram cannot (the price)";
      return false;
    }
    if (c.is_clause) {
      root = clause(c);
      return true;
    }
    bool plain_table =
        c.kind == GroupCheck::Kind::table && c.rows_allowed && c.products.empty() && !c.when;
    if (plain_table && table_rows(c, root)) return true;
    if (enumerate(g, root)) return true;
    why = "constraint '" + m_.groups[g].id + "' has too many combinations to state as a diagram";
    return false;
  }

 private:
  int clause(const GroupCheck& c) {
    std::vector<std::pair<int, std::vector<int>>> literals;
    for (const auto& [v, value, positive] : c.clause) {
      std::vector<int> values;
      for (int k = 0; k < m_.vars[v].size(); ++k) {
        if ((k == static_cast<int>(value)) == positive) values.push_back(k);
      }
      literals.push_back({level_of_[v], std::move(values)});
    }
    return store_.from_clause(std::move(literals));
  }

  /// The rows of an allowed-rows table, read off its own diagram, reordered to the levels.
  bool table_rows(const GroupCheck& c, int& root) {
    const Mdd& t = c.mdd;
    if (t.root < 0) {
      root = MddStore::kFalse;
      return true;
    }
    // Rows = paths of the table's diagram: count them first (children come before parents).
    std::vector<size_t> paths(t.nodes.size(), 0);
    paths[Mdd::kTerminal] = 1;
    for (size_t n = 1; n < t.nodes.size(); ++n) {
      for (const auto& e : t.nodes[n].edges)
        paths[n] = std::min(kMaxRows + 1, paths[n] + paths[e.second]);
    }
    if (paths[t.root] > kMaxRows) return false;
    // Columns by level; a variable named by two columns keeps rows where both agree.
    std::vector<int> cols(c.columns.size());
    std::iota(cols.begin(), cols.end(), 0);
    std::stable_sort(cols.begin(), cols.end(), [&](int a, int b) {
      return level_of_[c.columns[a]] < level_of_[c.columns[b]];
    });
    std::vector<int> levels;
    std::vector<int> slot(c.columns.size());
    for (int col : cols) {
      int l = level_of_[c.columns[col]];
      if (levels.empty() || levels.back() != l) levels.push_back(l);
      slot[col] = static_cast<int>(levels.size()) - 1;
    }
    std::vector<std::vector<int>> rows;
    std::vector<int> row(c.columns.size());
    walk(t, t.root, row, [&] {
      std::vector<int> r(levels.size(), -1);
      for (size_t col = 0; col < row.size(); ++col) {
        int& cell = r[slot[col]];
        if (cell >= 0 && cell != row[col]) return;
        cell = row[col];
      }
      rows.push_back(std::move(r));
    });
    root = store_.from_rows(levels, std::move(rows));
    return true;
  }

  template <class F>
  void walk(const Mdd& t, int node, std::vector<int>& row, const F& emit) {
    if (node == Mdd::kTerminal) {
      emit();
      return;
    }
    for (const auto& [value, child] : t.nodes[node].edges) {
      row[t.nodes[node].level] = value;
      walk(t, child, row, emit);
    }
  }

  /// Every assignment of the group's variables, checked: for small scopes of any kind.
  bool enumerate(int g, int& root) {
    std::vector<int> vars = checker_.vars_of(g);
    std::sort(vars.begin(), vars.end(), [&](int a, int b) { return level_of_[a] < level_of_[b]; });
    size_t combinations = 1;
    for (int v : vars) {
      combinations *= static_cast<size_t>(m_.vars[v].size());
      if (combinations > kMaxRows) return false;
    }
    std::vector<int> levels;
    for (int v : vars) levels.push_back(level_of_[v]);
    std::vector<uint32_t> x(m_.vars.size(), 0);
    std::vector<std::vector<int>> rows;
    for (size_t i = 0; i < combinations; ++i) {
      if ((i & 255) == 0 && store_.charge(256 * vars.size())) return true;  // the caller sees it
      size_t rest = i;
      for (size_t j = vars.size(); j-- > 0;) {
        size_t size = m_.vars[vars[j]].size();
        x[vars[j]] = static_cast<uint32_t>(rest % size);
        rest /= size;
      }
      if (!checker_.holds(g, x.data())) continue;
      std::vector<int> r(vars.size());
      for (size_t j = 0; j < vars.size(); ++j) r[j] = static_cast<int>(x[vars[j]]);
      rows.push_back(std::move(r));
    }
    root = store_.from_rows(levels, std::move(rows));
    return true;
  }

  const Model& m_;
  const Checker& checker_;
  MddStore& store_;
  const std::vector<int>& level_of_;
};

/// The model as one decision diagram, or null with the reason.
bool build_diagram(const Model& m, const CompileBudget& budget, std::vector<int>& order,
                   std::vector<int>& level_of, Diagram& diagram, uint64_t& work, std::string& why) {
  order = variable_order(m);
  level_of.assign(m.vars.size(), -1);
  std::vector<int> sizes;
  for (size_t l = 0; l < order.size(); ++l) {
    level_of[order[l]] = static_cast<int>(l);
    sizes.push_back(m.vars[order[l]].size());
  }
  MddStore store(sizes, budget);
  GroupCompiler groups(m, store, level_of);
  auto over_budget = [&] {
    why = "the decision diagram outgrew " + store.exhausted_by();
    work = store.work();
    return false;
  };
  // Each constraint's own diagram first, then their conjunction in the order of their top levels:
  // measured on the Renault models, this keeps the partial conjunctions small where conjoining
  // the deepest first (or pairwise) blows up (renault-medium: 0.015 s against 17 s and 1.5 s).
  std::vector<std::pair<int, int>> parts;  // (top level, root)
  for (size_t g = 0; g < m.groups.size(); ++g) {
    int root = MddStore::kFalse;
    if (!groups.compile(static_cast<int>(g), root, why)) return false;
    if (store.exhausted()) return over_budget();
    parts.push_back({store.level(root), root});
  }
  std::stable_sort(parts.begin(), parts.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  int root = MddStore::kTrue;
  size_t live = store.size();
  for (size_t i = 0; i < parts.size() && root != MddStore::kFalse; ++i) {
    root = store.conjoin(root, parts[i].second);
    if (store.exhausted()) return over_budget();
    if (store.size() > 2 * live + 100000) {
      std::vector<int*> roots = {&root};
      for (size_t j = i + 1; j < parts.size(); ++j) roots.push_back(&parts[j].second);
      store.collect(roots);
      live = store.size();
    }
  }
  diagram = store.freeze(root);
  work = store.work();
  return true;
}

/// Whether every constraint of the model is a clause (DIMACS-like models).
bool only_clauses(const Model& m) {
  for (size_t g = 0; g < m.checker->size(); ++g) {
    if (!m.checker->check(static_cast<int>(g)).is_clause) return false;
  }
  return true;
}

bool has_tables(const Model& m) {
  for (size_t g = 0; g < m.checker->size(); ++g) {
    if (m.checker->check(static_cast<int>(g)).kind == GroupCheck::Kind::table) return true;
  }
  return false;
}

}  // namespace

std::unique_ptr<CompiledCatalog> CompiledCatalog::build(const Model& m, const CompileBudget& budget,
                                                        std::string* why_not, CompileChoice choice,
                                                        BuildCost* cost) {
  auto start = std::chrono::steady_clock::now();
  uint64_t total_work = 0;
  auto spent = [&] {
    if (cost) {
      cost->seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      cost->work = total_work;
    }
  };
  auto fail = [&](std::string why) {
    if (why_not) *why_not = std::move(why);
    spent();
    return nullptr;
  };
  if (!m.checker || m.checker->size() != m.groups.size()) return fail("no constraint checks");
  for (const FdVar& v : m.vars) {
    if (v.size() < 1) return fail("a variable without values");
  }
  // A relaxed form: the catalog without the rules that keep it from compiling (relaxed.cpp).
  auto relaxed = [&](std::vector<int> left_out, std::string& why) {
    std::unique_ptr<CompiledCatalog> r = build_left_out(m, left_out, budget, total_work, why);
    if (r) {
      r->build_seconds_ =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      r->build_work_ = total_work;
    }
    return r;
  };
  if (choice == CompileChoice::relaxed || choice == CompileChoice::relaxed_large) {
    std::vector<int> left_out =
        relaxation_candidates(m, choice == CompileChoice::relaxed ? 1 : kMinRelaxedGates);
    if (left_out.empty()) return fail("no rule defines gates of its own to leave out");
    left_out.resize(1);  // the largest
    if (choice == CompileChoice::relaxed_large && !is_linear_rule(m, left_out[0]))
      return fail("the largest rule is not a linear inequality: without it, domains need search");
    std::string why;
    auto r = relaxed(left_out, why);
    if (!r) return fail("d-DNNF without the rules left out: " + why);
    if (why_not) *why_not = r->describe_left_out(m);
    spent();
    return r;
  }
  std::vector<CompiledKind> tries;
  if (choice == CompileChoice::diagram) {
    tries = {CompiledKind::diagram};
  } else if (choice == CompileChoice::dnnf) {
    tries = {CompiledKind::dnnf};
  } else if (has_tables(m)) {
    tries = {CompiledKind::diagram, CompiledKind::dnnf};
  } else if (only_clauses(m)) {
    tries = {CompiledKind::dnnf};
  } else {
    tries = {CompiledKind::dnnf, CompiledKind::diagram};
  }
  std::unique_ptr<CompiledCatalog> result(new CompiledCatalog());
  for (const FdVar& v : m.vars) result->sizes_.push_back(v.size());
  // The d-DNNF is over the SAT variables of the value literals (the rest are projected away).
  auto dnnf_scope = [&] {
    std::vector<char> scope(static_cast<size_t>(m.cnf.num_vars()) + 1, 0);
    result->value_lits_.clear();
    for (const FdVar& v : m.vars) {
      result->value_lits_.emplace_back(v.lits.begin(), v.lits.end());
      for (Lit l : v.lits) scope[std::abs(l)] = 1;
    }
    return scope;
  };
  std::string reasons;
  for (CompiledKind kind : tries) {  // `kind` may turn to dnnf when a smaller form is found
    std::string why;
    bool built = false;
    if (kind == CompiledKind::diagram) {
      uint64_t work = 0;
      built =
          build_diagram(m, budget, result->order_, result->level_of_, result->diagram_, work, why);
      total_work += work;
      // A catalog of tables may also have a d-DNNF much smaller than its diagram (renault-big:
      // 120,000 nodes and edges against 1.15 million, clicks 7x faster). It is tried within half
      // the diagram's work, so that choosing costs at most half again the diagram's compilation,
      // and kept when smaller.
      // (Only where the diagram came first: after a failed d-DNNF it would be tried twice.)
      if (built && choice == CompileChoice::automatic && tries.front() == CompiledKind::diagram &&
          tries.size() > 1) {
        CompileBudget half = budget;
        half.max_work = std::max<uint64_t>(1, work / 2);
        DnnfOutcome out = compile_dnnf(m.cnf, dnnf_scope(), half);
        total_work += out.stats.work;
        if (out.dnnf && out.dnnf->node_count() + out.dnnf->edge_count() <
                            result->diagram_.node_count() + result->diagram_.edge_count()) {
          result->dnnf_ = std::move(*out.dnnf);
          result->diagram_ = Diagram();
          kind = CompiledKind::dnnf;
        }
      }
    } else {
      DnnfOutcome out = compile_dnnf(m.cnf, dnnf_scope(), budget);
      total_work += out.stats.work;
      if (out.dnnf) {
        result->dnnf_ = std::move(*out.dnnf);
        built = true;
      } else {
        why = out.why_not;
      }
    }
    if (budget.cancel && budget.cancel->load()) return fail("the compilation was cancelled");
    if (built) {
      result->kind_ = kind;
      result->finish();
      result->build_priced(m, m.cnf, budget, total_work);
      if (budget.cancel && budget.cancel->load()) return fail("the compilation was cancelled");
      result->build_seconds_ =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      result->build_work_ = total_work;
      spent();
      return result;
    }
    reasons += (reasons.empty() ? "" : "; ") +
               std::string(kind == CompiledKind::diagram ? "decision diagram: " : "d-DNNF: ") + why;
  }
  if (choice != CompileChoice::automatic) return fail(reasons);
  // Without the one, then the two rules whose encodings are largest. Only rules that define many
  // gates of their own are worth leaving out: the rest are what the compiler handles well.
  std::vector<int> candidates = relaxation_candidates(m, kMinRelaxedGates);
  for (size_t n = 1; n <= std::min<size_t>(2, candidates.size()); ++n) {
    if (budget.cancel && budget.cancel->load()) return fail("the compilation was cancelled");
    std::string why;
    std::vector<int> left_out(candidates.begin(), candidates.begin() + n);
    auto r = relaxed(left_out, why);
    if (r) {
      if (why_not) *why_not = reasons + "; " + r->describe_left_out(m);
      spent();
      return r;
    }
    reasons += "; d-DNNF without the " + std::to_string(n) + " largest rule(s): " + why;
  }
  return fail(reasons);
}

namespace {

Natural natural_of(unsigned __int128 x) {
  std::vector<uint32_t> limbs;
  while (x) {
    limbs.push_back(static_cast<uint32_t>(x));
    x >>= 32;
  }
  return Natural::from_limbs(std::move(limbs));
}

}  // namespace

std::unique_ptr<CompiledCatalog> CompiledCatalog::from_clauses(
    const CnfBuffer& cnf, const std::vector<std::vector<int32_t>>& vars,
    const CompileBudget& budget, std::string* why_not) {
  auto start = std::chrono::steady_clock::now();
  std::vector<char> scope(static_cast<size_t>(cnf.num_vars()) + 1, 0);
  std::unique_ptr<CompiledCatalog> result(new CompiledCatalog());
  for (const auto& lits : vars) {
    result->sizes_.push_back(static_cast<int>(lits.size()));
    result->value_lits_.push_back(lits);
    for (int32_t l : lits) scope[std::abs(l)] = 1;
  }
  DnnfOutcome out = compile_dnnf(cnf, scope, budget);
  if (!out.dnnf) {
    if (why_not) *why_not = "d-DNNF: " + out.why_not;
    return nullptr;
  }
  result->kind_ = CompiledKind::dnnf;
  result->dnnf_ = std::move(*out.dnnf);
  result->finish();
  result->build_seconds_ =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  result->build_work_ = out.stats.work;
  return result;
}

void CompiledCatalog::finish() {
  // The first page of every session: computed once.
  unconstrained_feasible_ = valid_values({{-1, 0}}, unconstrained_);
  if (kind_ == CompiledKind::dnnf) dnnf_base_counts(dnnf_, dnnf_base_);  // before any count
  unconstrained_count_ = count({});
  small_counts_ = unconstrained_count_.bit_length() < 127;
  if (small_counts_ && kind_ == CompiledKind::diagram) {
    skip_factors_ = diagram_.skip_factors();
    base_counts_ = diagram_.counts_small();
  }
  if (small_counts_) dnnf_base_ = NaturalTable();  // 128-bit passes need no base
}

const char* CompiledCatalog::kind_name() const {
  return kind_ == CompiledKind::diagram ? "decision diagram" : "d-DNNF";
}

size_t CompiledCatalog::node_count() const {
  return kind_ == CompiledKind::diagram ? diagram_.node_count() : dnnf_.node_count();
}

size_t CompiledCatalog::edge_count() const {
  return kind_ == CompiledKind::diagram ? diagram_.edge_count() : dnnf_.edge_count();
}

bool CompiledCatalog::diagram_fixed(const FixedValues& fixed, std::vector<int>& by_level) const {
  by_level.assign(order_.size(), -1);
  for (auto [v, k] : fixed) {
    int& cell = by_level[level_of_[v]];
    if (cell >= 0 && cell != static_cast<int>(k)) return false;  // fixed twice, differently
    cell = static_cast<int>(k);
  }
  return true;
}

bool CompiledCatalog::dnnf_conditions(const FixedValues& fixed, Conditions& cond) const {
  cond.assign(static_cast<size_t>(dnnf_.num_vars) + 1, 0);
  for (auto [v, k] : fixed) {
    int32_t lit = value_lits_[v][k];
    int8_t want = lit > 0 ? 1 : -1;
    int8_t& cell = cond[std::abs(lit)];
    if (cell != 0 && cell != want) return false;
    cell = want;
  }
  return true;
}

bool CompiledCatalog::valid_values(const FixedValues& fixed, std::vector<std::vector<char>>& out,
                                   Natural* count) const {
  // {-1, 0}: the internal request for the unconstrained answer (finish()).
  bool unconstrained_request = fixed.size() == 1 && fixed[0].first < 0;
  if (fixed.empty() && !unconstrained_.empty()) {
    out = unconstrained_;
    if (count) *count = unconstrained_count_;
    return unconstrained_feasible_;
  }
  const FixedValues none;
  const FixedValues& f = unconstrained_request ? none : fixed;
  out.resize(sizes_.size());
  auto all_invalid = [&] {
    for (size_t v = 0; v < sizes_.size(); ++v) out[v].assign(sizes_[v], 0);
    if (count) *count = Natural();
    return false;
  };
  const bool counted_pass = count && small_counts_;
  if (kind_ == CompiledKind::diagram) {
    thread_local std::vector<int> by_level;
    thread_local std::vector<std::vector<char>> by_levels;
    if (!diagram_fixed(f, by_level)) return all_invalid();
    bool ok;
    if (counted_pass) {
      unsigned __int128 c = 0;
      ok = diagram_.valid_values_counted(by_level, skip_factors_, base_counts_, by_levels, c);
      *count = natural_of(c);
    } else {
      ok = diagram_.valid_values(by_level, by_levels);
      if (count) *count = ok ? this->count(f) : Natural();
    }
    for (size_t l = 0; l < order_.size(); ++l) out[order_[l]].swap(by_levels[l]);
    return ok;
  }
  thread_local Conditions cond;
  thread_local std::vector<char> lits;
  if (!dnnf_conditions(f, cond)) return all_invalid();
  bool ok;
  if (counted_pass) {
    unsigned __int128 c = 0;
    ok = dnnf_valid_literals_counted(dnnf_, cond, lits, c);
    *count = natural_of(c);
  } else {
    ok = dnnf_valid_literals(dnnf_, cond, lits);
    if (count) *count = ok ? dnnf_count(dnnf_, cond, &dnnf_base_) : Natural();
  }
  for (size_t v = 0; v < sizes_.size(); ++v) {
    out[v].assign(sizes_[v], 0);
    if (!ok) continue;
    for (int k = 0; k < sizes_[v]; ++k) out[v][k] = lits[literal_index(value_lits_[v][k])];
  }
  return ok;
}

Natural CompiledCatalog::count(const FixedValues& fixed) const {
  if (kind_ == CompiledKind::diagram) {
    thread_local std::vector<int> by_level;
    if (!diagram_fixed(fixed, by_level)) return Natural();
    return small_counts_ ? natural_of(diagram_.count_small(by_level, &skip_factors_, &base_counts_))
                         : diagram_.count(by_level);
  }
  thread_local Conditions cond;
  if (!dnnf_conditions(fixed, cond)) return Natural();
  return small_counts_ ? natural_of(dnnf_count_small(dnnf_, cond))
                       : dnnf_count(dnnf_, cond, &dnnf_base_);
}

Natural CompiledCatalog::value_counts(const FixedValues& fixed,
                                      std::vector<std::vector<Natural>>& out) const {
  out.assign(sizes_.size(), {});
  for (size_t v = 0; v < sizes_.size(); ++v) out[v].assign(sizes_[v], Natural());
  if (kind_ == CompiledKind::diagram) {
    std::vector<int> by_level;
    if (!diagram_fixed(fixed, by_level)) return Natural();
    std::vector<std::vector<Natural>> by_levels;
    Natural total = diagram_.value_counts(by_level, by_levels);
    for (size_t l = 0; l < order_.size(); ++l) out[order_[l]] = std::move(by_levels[l]);
    return total;
  }
  Conditions cond;
  if (!dnnf_conditions(fixed, cond)) return Natural();
  std::vector<Natural> lits;
  Natural total = dnnf_literal_counts(dnnf_, cond, lits);
  for (size_t v = 0; v < sizes_.size(); ++v) {
    for (int k = 0; k < sizes_[v]; ++k) out[v][k] = lits[literal_index(value_lits_[v][k])];
  }
  return total;
}

std::vector<uint32_t> CompiledCatalog::decode(const std::vector<int8_t>& sat_values) const {
  std::vector<uint32_t> values(sizes_.size(), 0);
  for (size_t v = 0; v < sizes_.size(); ++v) {
    for (int k = 0; k < sizes_[v]; ++k) {
      int32_t lit = value_lits_[v][k];
      if ((sat_values[std::abs(lit)] != 0) == (lit > 0)) {
        values[v] = static_cast<uint32_t>(k);
        break;
      }
    }
  }
  return values;
}

std::optional<std::pair<int64_t, std::vector<uint32_t>>> CompiledCatalog::cheapest(
    const FixedValues& fixed, const std::vector<std::vector<int64_t>>& cost) const {
  if (kind_ == CompiledKind::diagram) {
    std::vector<int> by_level;
    if (!diagram_fixed(fixed, by_level)) return std::nullopt;
    std::vector<std::vector<int64_t>> by_levels(order_.size());
    for (size_t l = 0; l < order_.size(); ++l) by_levels[l] = cost[order_[l]];
    auto best = diagram_.min_cost(by_level, by_levels);
    if (!best) return std::nullopt;
    std::vector<uint32_t> values(sizes_.size(), 0);
    for (size_t l = 0; l < order_.size(); ++l) values[order_[l]] = best->second[l];
    return std::make_pair(best->first, std::move(values));
  }
  Conditions cond;
  if (!dnnf_conditions(fixed, cond)) return std::nullopt;
  std::vector<int64_t> lit_cost(2 * (static_cast<size_t>(dnnf_.num_vars) + 1), 0);
  for (size_t v = 0; v < sizes_.size(); ++v) {
    for (int k = 0; k < sizes_[v]; ++k) lit_cost[literal_index(value_lits_[v][k])] += cost[v][k];
  }
  auto best = dnnf_min_cost(dnnf_, cond, lit_cost);
  if (!best) return std::nullopt;
  return std::make_pair(best->cost, decode(best->values));
}

std::vector<std::vector<uint32_t>> CompiledCatalog::sample(const FixedValues& fixed, size_t n,
                                                           std::mt19937_64& rng) const {
  std::vector<std::vector<uint32_t>> out;
  if (kind_ == CompiledKind::diagram) {
    std::vector<int> by_level;
    if (!diagram_fixed(fixed, by_level)) return out;
    for (const auto& a : diagram_.sample(by_level, n, rng)) {
      std::vector<uint32_t> values(sizes_.size(), 0);
      for (size_t l = 0; l < order_.size(); ++l) values[order_[l]] = a[l];
      out.push_back(std::move(values));
    }
    return out;
  }
  Conditions cond;
  if (!dnnf_conditions(fixed, cond)) return out;
  for (const auto& model : dnnf_sample(dnnf_, cond, n, rng)) out.push_back(decode(model));
  return out;
}

namespace {

constexpr uint32_t kPayloadVersion = 2;  // 2: the priced form

void write_dnnf(ByteWriter& w, const Dnnf& d) {
  w.u32(static_cast<uint32_t>(d.num_vars));
  w.array(d.kind);
  w.array(d.child_first);
  w.array(d.children);
  w.array(d.lit_first);
  w.array(d.lits);
  w.array(d.free_first);
  w.array(d.free_vars);
  w.u32(d.root);
}

Dnnf read_dnnf(ByteReader& r, const Model& m) {
  Dnnf d;
  d.num_vars = static_cast<int>(r.u32("variable count"));
  if (d.num_vars != m.cnf.num_vars())
    throw std::runtime_error("compiled for a model with other variables");
  d.kind = r.array<uint8_t>("node kinds");
  d.child_first = r.array<uint32_t>("node children");
  d.children = r.array<uint32_t>("children");
  d.lit_first = r.array<uint32_t>("node literals");
  d.lits = r.array<int32_t>("literals");
  d.free_first = r.array<uint32_t>("node free variables");
  d.free_vars = r.array<int32_t>("free variables");
  d.root = r.u32("root");
  std::string problem = d.check();
  if (!problem.empty()) throw std::runtime_error("a malformed d-DNNF: " + problem);
  return d;
}

}  // namespace

std::string CompiledCatalog::serialize() const {
  ByteWriter w;
  w.u32(kPayloadVersion);
  w.u32(kind_ == CompiledKind::diagram ? 0 : 1);
  w.array(sizes_);
  w.f64(build_seconds_);
  w.u64(build_work_);
  if (kind_ == CompiledKind::diagram) {
    w.array(order_);
    w.array(diagram_.sizes);
    w.array(diagram_.level);
    w.array(diagram_.first);
    w.array(diagram_.values);
    w.array(diagram_.children);
    w.u32(static_cast<uint32_t>(diagram_.root));
  } else {
    std::vector<int32_t> flat;
    for (const auto& lits : value_lits_) flat.insert(flat.end(), lits.begin(), lits.end());
    w.array(flat);
    write_dnnf(w, dnnf_);
  }
  w.u32(static_cast<uint32_t>(priced_state_));
  if (priced_state_ != PricedState::none) w.array(priced_scope_);
  if (priced_state_ == PricedState::own) write_dnnf(w, priced_);
  w.bytes(priced_why_not_);
  if (!left_out_.empty()) w.array(left_out_);  // exact forms end here, as they always did
  return std::move(w.str());
}

std::unique_ptr<CompiledCatalog> CompiledCatalog::deserialize(const Model& m,
                                                              std::string_view bytes) {
  ByteReader r(bytes);
  auto wrong = [](const std::string& why) { throw std::runtime_error(why); };
  try {
    if (r.u32("version") != kPayloadVersion) wrong("a compiled form of another version");
    std::unique_ptr<CompiledCatalog> c(new CompiledCatalog());
    uint32_t kind = r.u32("kind");
    if (kind > 1) wrong("an unknown kind of compiled form");
    c->kind_ = kind == 0 ? CompiledKind::diagram : CompiledKind::dnnf;
    c->sizes_ = r.array<int>("domain sizes");
    c->build_seconds_ = r.f64("build time");
    c->build_work_ = r.u64("build work");
    if (c->sizes_.size() != m.vars.size()) wrong("compiled for a model with other variables");
    for (size_t v = 0; v < m.vars.size(); ++v) {
      if (c->sizes_[v] != m.vars[v].size()) wrong("compiled for a model with other variables");
    }
    if (c->kind_ == CompiledKind::diagram) {
      c->order_ = r.array<int>("variable order");
      Diagram& d = c->diagram_;
      d.sizes = r.array<int>("level sizes");
      d.level = r.array<int>("node levels");
      d.first = r.array<uint32_t>("node edges");
      d.values = r.array<int32_t>("edge values");
      d.children = r.array<int32_t>("edge children");
      d.root = static_cast<int>(r.u32("root"));
      // The order must be a permutation of the variables, and the levels their sizes.
      std::vector<char> seen(m.vars.size(), 0);
      if (c->order_.size() != m.vars.size() || d.sizes.size() != m.vars.size())
        wrong("a variable order of the wrong length");
      c->level_of_.assign(m.vars.size(), -1);
      for (size_t l = 0; l < c->order_.size(); ++l) {
        int v = c->order_[l];
        if (v < 0 || static_cast<size_t>(v) >= m.vars.size() || seen[v])
          wrong("a variable order that is no permutation");
        seen[v] = 1;
        c->level_of_[v] = static_cast<int>(l);
        if (d.sizes[l] != m.vars[v].size()) wrong("level sizes that differ from the model's");
      }
      std::string problem = d.check();
      if (!problem.empty()) wrong("a malformed decision diagram: " + problem);
    } else {
      std::vector<int32_t> flat = r.array<int32_t>("value literals");
      size_t at = 0;
      for (const FdVar& v : m.vars) {
        if (at + v.lits.size() > flat.size()) wrong("compiled for a model with other literals");
        std::vector<int32_t> lits(flat.begin() + at, flat.begin() + at + v.lits.size());
        at += v.lits.size();
        if (!std::equal(lits.begin(), lits.end(), v.lits.begin(), v.lits.end()))
          wrong("compiled for a model with other literals");
        c->value_lits_.push_back(std::move(lits));
      }
      if (at != flat.size()) wrong("compiled for a model with other literals");
      c->dnnf_ = read_dnnf(r, m);
    }
    uint32_t priced = r.u32("priced form");
    if (priced > 2) wrong("an unknown kind of priced form");
    c->priced_state_ = static_cast<PricedState>(priced);
    if (c->priced_state_ == PricedState::main && c->kind_ != CompiledKind::dnnf)
      wrong("a priced form that is a decision diagram");
    if (c->priced_state_ != PricedState::none) {
      c->priced_scope_ = r.array<char>("priced scope");
      if (c->priced_scope_.size() != static_cast<size_t>(m.cnf.num_vars()) + 1)
        wrong("compiled for a model with other variables");
      c->value_lits_.clear();
      for (const FdVar& v : m.vars) c->value_lits_.emplace_back(v.lits.begin(), v.lits.end());
    }
    if (c->priced_state_ == PricedState::own) c->priced_ = read_dnnf(r, m);
    c->priced_why_not_ = std::string(r.bytes("why no priced form"));
    if (r.left() != 0) {
      c->left_out_ = r.array<int>("rules left out");
      if (c->left_out_.empty() || c->kind_ != CompiledKind::dnnf) wrong("a malformed relaxed form");
      for (int g : c->left_out_) {
        if (g < 0 || static_cast<size_t>(g) >= m.groups.size() ||
            m.groups[g].kind != ConstraintGroup::Kind::rule)
          wrong("a relaxed form of a model with other rules");
      }
    }
    if (r.left() != 0) wrong("bytes after the compiled form");
    c->finish();
    if (!c->left_out_.empty()) c->finish_relaxed(m);
    return c;
  } catch (const ByteError& e) {
    throw std::runtime_error(std::string("the compiled form is cut short (") + e.what() + ")");
  }
}

}  // namespace sumisura::detail
