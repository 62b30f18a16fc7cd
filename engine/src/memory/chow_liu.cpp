// Chow-Liu tree (see chow_liu.hpp): Prim's algorithm on pairwise mutual information, then
// belief propagation rooted at the predicted variable.
#include "memory/chow_liu.hpp"

#include <algorithm>
#include <cmath>

#include "memory/preference_data.hpp"

namespace sumisura::detail {
namespace {

constexpr double kPrior = 0.5;  // added to every count: values never sold keep some chance

}  // namespace

ChowLiuTree learn_tree(const PreferenceData& data) {
  ChowLiuTree t;
  size_t n = data.columns.names.size();
  t.neighbours.resize(n);
  t.edge_of.resize(n);
  t.counts.resize(n);
  for (size_t c = 0; c < n; ++c) {
    if (data.named[c]) t.columns.push_back(static_cast<int>(c));
  }
  for (int c : t.columns) {
    t.counts[c].assign(data.columns.values[c].size(), 0);
    for (size_t r = 0; r < data.rows.size(); ++r) {
      if (data.rows[r][c] >= 0) t.counts[c][data.rows[r][c]] += data.counts[r];
    }
  }
  size_t m = t.columns.size();
  if (m < 2) return t;
  std::vector<double> info(m * m, 0);
  for (size_t i = 0; i < m; ++i) {
    for (size_t j = i + 1; j < m; ++j) {
      int a = t.columns[i], b = t.columns[j];
      info[i * m + j] = info[j * m + i] = pair_information(data, a, b).info;
    }
  }
  // Prim: grow the tree from the first node by the most informative edge to a new node.
  std::vector<char> in(m, 0);
  std::vector<double> best(m, -1);
  std::vector<size_t> link(m, 0);
  in[0] = 1;
  for (size_t j = 1; j < m; ++j) best[j] = info[j], link[j] = 0;
  for (size_t added = 1; added < m; ++added) {
    size_t pick = m;
    for (size_t j = 0; j < m; ++j) {
      if (!in[j] && (pick == m || best[j] > best[pick])) pick = j;
    }
    in[pick] = 1;
    int a = t.columns[link[pick]], b = t.columns[pick];
    t.edges.push_back({a, b, joint_counts(data, a, b)});
    int e = static_cast<int>(t.edges.size()) - 1;
    t.neighbours[a].push_back(b), t.edge_of[a].push_back(e);
    t.neighbours[b].push_back(a), t.edge_of[b].push_back(e);
    for (size_t j = 0; j < m; ++j) {
      if (!in[j] && info[pick * m + j] > best[j]) best[j] = info[pick * m + j], link[j] = pick;
    }
  }
  return t;
}

void count_in_tree(ChowLiuTree& t, const std::vector<int16_t>& row, double weight) {
  for (int c : t.columns) {
    if (row[c] >= 0) t.counts[c][row[c]] += weight;
  }
  for (auto& e : t.edges) {
    int16_t x = row[e.a], y = row[e.b];
    size_t db = t.counts[e.b].size();
    if (x >= 0 && y >= 0) e.counts[x * db + y] += weight;
  }
}

std::vector<double> tree_scores(const ChowLiuTree& t, const PreferenceData& data,
                                const std::vector<KnownValue>& known, int column) {
  size_t d = data.columns.values[column].size();
  if (t.counts.empty() || t.counts[column].empty()) return std::vector<double>(d, 1.0 / d);
  size_t n = data.columns.names.size();
  std::vector<int> evidence(n, -1);
  for (const auto& kv : known) evidence[kv.column] = kv.value;
  // Nodes in breadth-first order from the predicted variable, each with its parent and edge.
  std::vector<int> order{column}, parent(n, -1), via(n, -1);
  std::vector<char> seen(n, 0);
  seen[column] = 1;
  for (size_t i = 0; i < order.size(); ++i) {
    int c = order[i];
    for (size_t k = 0; k < t.neighbours[c].size(); ++k) {
      int nb = t.neighbours[c][k];
      if (seen[nb]) continue;
      seen[nb] = 1;
      parent[nb] = c, via[nb] = t.edge_of[c][k];
      order.push_back(nb);
    }
  }
  // Upward pass: each node's belief (its evidence times its children's messages), then the
  // message to its parent: sum over its values of P(value | parent's value) times the belief.
  std::vector<std::vector<double>> belief(n);
  for (int c : order) {
    size_t dc = t.counts[c].size();
    belief[c].assign(dc, 1);
    if (evidence[c] >= 0) {
      std::fill(belief[c].begin(), belief[c].end(), 0);
      belief[c][evidence[c]] = 1;
    }
  }
  for (size_t i = order.size(); i-- > 1;) {
    int c = order[i], p = parent[c];
    const auto& e = t.edges[via[c]];
    size_t dc = t.counts[c].size(), dp = t.counts[p].size();
    std::vector<double> msg(dp, 0);
    double top = 0;
    for (size_t y = 0; y < dp; ++y) {
      double sum = 0, total = 0;
      for (size_t x = 0; x < dc; ++x) {
        double joint = (e.a == c ? e.counts[x * dp + y] : e.counts[y * dc + x]) + kPrior / dc;
        total += joint;
        sum += joint * belief[c][x];
      }
      msg[y] = sum / total;
      top = std::max(top, msg[y]);
    }
    for (size_t y = 0; y < dp; ++y) belief[p][y] *= top > 0 ? msg[y] / top : 1;
  }
  std::vector<double> out(d);
  double sum = 0;
  for (size_t v = 0; v < d; ++v)
    sum += (out[v] = (t.counts[column][v] + kPrior) * belief[column][v]);
  for (auto& x : out) x = sum > 0 ? x / sum : 1.0 / d;
  return out;
}

}  // namespace sumisura::detail
