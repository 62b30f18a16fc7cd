// Compiling a model into one decision diagram (see compiled_catalog.hpp).
#include "compiled/compiled_catalog.hpp"

#include <algorithm>
#include <chrono>
#include <numeric>

#include "compile/checker.hpp"
#include "compile/model.hpp"
#include "compiled/mdd_store.hpp"
#include "graph/graph.hpp"

namespace sumisura::detail {

namespace {

/// Rows a single constraint may expand to before it is judged too large to state as a diagram.
constexpr size_t kMaxRows = size_t{1} << 18;

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
    bool plain_table = c.kind == GroupCheck::Kind::table && c.rows_allowed && c.products.empty();
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

}  // namespace

std::unique_ptr<CompiledCatalog> CompiledCatalog::build(const Model& m, const DiagramBudget& budget,
                                                        std::string* why_not) {
  auto start = std::chrono::steady_clock::now();
  auto fail = [&](std::string why) {
    if (why_not) *why_not = std::move(why);
    return nullptr;
  };
  if (!m.checker || m.checker->size() != m.groups.size()) return fail("no constraint checks");
  for (const FdVar& v : m.vars) {
    if (v.size() < 1) return fail("a variable without values");
  }
  auto result = std::make_unique<CompiledCatalog>();
  result->order_ = variable_order(m);
  result->level_of_.assign(m.vars.size(), -1);
  std::vector<int> sizes;
  for (size_t l = 0; l < result->order_.size(); ++l) {
    result->level_of_[result->order_[l]] = static_cast<int>(l);
    sizes.push_back(m.vars[result->order_[l]].size());
  }
  auto deadline = start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                              std::chrono::duration<double>(budget.seconds));
  MddStore store(sizes, budget.max_nodes, deadline, budget.cancel);
  GroupCompiler groups(m, store, result->level_of_);
  // Each constraint's own diagram first, then their conjunction in the order of their top levels:
  // measured on the Renault models, this keeps the partial conjunctions small where conjoining
  // the deepest first (or pairwise) blows up (renault-medium: 0.015 s against 17 s and 1.5 s).
  std::vector<std::pair<int, int>> parts;  // (top level, root)
  for (size_t g = 0; g < m.groups.size(); ++g) {
    if (std::chrono::steady_clock::now() >= deadline || (budget.cancel && *budget.cancel))
      return fail("the diagram outgrew its budget");
    int root = MddStore::kFalse;
    std::string why;
    if (!groups.compile(static_cast<int>(g), root, why)) return fail(why);
    if (store.exhausted()) return fail("the diagram outgrew its budget");
    parts.push_back({store.level(root), root});
  }
  std::stable_sort(parts.begin(), parts.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  int root = MddStore::kTrue;
  size_t live = store.size();
  for (size_t i = 0; i < parts.size() && root != MddStore::kFalse; ++i) {
    root = store.conjoin(root, parts[i].second);
    if (store.exhausted()) return fail("the diagram outgrew its budget");
    if (store.size() > 2 * live + 100000) {
      std::vector<int*> roots = {&root};
      for (size_t j = i + 1; j < parts.size(); ++j) roots.push_back(&parts[j].second);
      store.collect(roots);
      live = store.size();
    }
  }
  result->diagram_ = store.freeze(root);
  // The first page of every session: computed once.
  result->unconstrained_feasible_ = result->diagram_.valid_values(
      std::vector<int>(result->order_.size(), -1), result->unconstrained_);
  result->build_seconds_ =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

bool CompiledCatalog::valid_values(const std::vector<std::pair<int, uint32_t>>& fixed,
                                   std::vector<std::vector<char>>& out) const {
  if (fixed.empty()) {
    out.resize(order_.size());
    for (size_t l = 0; l < order_.size(); ++l) out[order_[l]] = unconstrained_[l];
    return unconstrained_feasible_;
  }
  std::vector<int> by_level(order_.size(), -1);
  for (auto [v, k] : fixed) {
    int& cell = by_level[level_of_[v]];
    if (cell >= 0 && cell != static_cast<int>(k)) {
      out.assign(order_.size(), {});
      return false;  // two choices fix one variable differently
    }
    cell = static_cast<int>(k);
  }
  std::vector<std::vector<char>> by_levels;
  bool ok = diagram_.valid_values(by_level, by_levels);
  out.resize(order_.size());
  for (size_t l = 0; l < order_.size(); ++l) out[order_[l]] = std::move(by_levels[l]);
  return ok;
}

}  // namespace sumisura::detail
