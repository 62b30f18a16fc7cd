// Graph questions, answered with Boost.Graph behind a small API of plain vectors: the only place
// in the engine that knows Boost.Graph.
#pragma once

#include <utility>
#include <vector>

namespace sumisura::detail {

using Edge = std::pair<int, int>;  // from, to

/// Cycles of a directed graph: one cycle (as a closed walk of distinct vertices, in edge order)
/// for every strongly connected component that has one.
std::vector<std::vector<int>> directed_cycles(int vertices, const std::vector<Edge>& edges);

/// A topological order (every edge's source before its target), or nothing when there is a cycle.
/// Among valid orders, vertices come as early as their index allows, so the order is stable.
bool topological_order(int vertices, const std::vector<Edge>& edges, std::vector<int>& order);

/// Connected components of the undirected graph; returns the component of each vertex.
std::vector<int> connected_components(int vertices, const std::vector<Edge>& edges, int& count);

/// A minimum-degree elimination order of the undirected graph (Boost's multiple minimum degree):
/// the position at which each vertex is eliminated. Vertices eliminated last separate the graph
/// best: they sit at the top of the elimination tree.
std::vector<int> minimum_degree_positions(int vertices, const std::vector<Edge>& edges);

/// A reverse Cuthill-McKee ordering of the undirected graph (a bandwidth-reducing variable order).
std::vector<int> cuthill_mckee_order(int vertices, const std::vector<Edge>& edges);

}  // namespace sumisura::detail
