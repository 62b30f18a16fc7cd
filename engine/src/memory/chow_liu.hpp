// A tree-shaped Bayesian network over the variables past orders name (Chow and Liu, 1968): the
// spanning tree of largest mutual information, whose exact conditional probabilities given any
// set of known choices take one pass of messages over the tree.
#pragma once

#include <cstdint>
#include <vector>

namespace sumisura::detail {

struct PreferenceData;
struct KnownValue;

struct ChowLiuTree {
  std::vector<int> columns;                  ///< the tree's nodes (named columns)
  std::vector<std::vector<int>> neighbours;  ///< per column (empty for columns not in the tree)
  struct Edge {
    int a, b;
    std::vector<double> counts;  ///< joint counts, a's value * d_b + b's value
  };
  std::vector<Edge> edges;
  std::vector<std::vector<int>> edge_of;    ///< per column, per neighbour: the edge index
  std::vector<std::vector<double>> counts;  ///< per column: value counts
  bool empty() const { return columns.empty(); }
};

/// The tree of the rows of `data`.
ChowLiuTree learn_tree(const PreferenceData& data);
/// Counts an order `weight` more times into the tree's tables (negative: takes it out); the
/// tree's shape stays until the next learn.
void count_in_tree(ChowLiuTree& tree, const std::vector<int16_t>& row, double weight = 1);
/// P(value of `column` | known) for every value of `column`.
std::vector<double> tree_scores(const ChowLiuTree& tree, const PreferenceData& data,
                                const std::vector<KnownValue>& known, int column);

}  // namespace sumisura::detail
