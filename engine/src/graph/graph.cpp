// Boost.Graph behind graph.hpp.
#include "graph/graph.hpp"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/connected_components.hpp>
#include <boost/graph/cuthill_mckee_ordering.hpp>
#include <boost/graph/minimum_degree_ordering.hpp>
#include <boost/graph/strong_components.hpp>
#include <boost/graph/topological_sort.hpp>

#include <algorithm>
#include <iterator>

namespace sumisura::detail {
namespace {

using Directed = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
using Undirected = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;

}  // namespace

std::vector<std::vector<int>> directed_cycles(int vertices, const std::vector<Edge>& edges) {
  Directed g(edges.begin(), edges.end(), vertices);
  std::vector<int> component(vertices);
  int count = boost::strong_components(g, component.data());
  std::vector<std::vector<int>> members(count);
  for (int v = 0; v < vertices; ++v) members[component[v]].push_back(v);

  std::vector<std::vector<int>> cycles;
  for (const auto& scc : members) {
    int start = scc.front();
    bool self_loop = false;
    for (auto [e, end] = boost::out_edges(start, g); e != end; ++e) {
      if (static_cast<int>(boost::target(*e, g)) == start) self_loop = true;
    }
    if (scc.size() == 1 && !self_loop) continue;
    if (scc.size() == 1) {
      cycles.push_back({start});
      continue;
    }
    // Walk inside the component until a vertex repeats; the repeated stretch is a cycle.
    std::vector<int> walk{start};
    std::vector<int> seen_at(vertices, -1);
    seen_at[start] = 0;
    int v = start;
    while (true) {
      int next = -1;
      for (auto [e, end] = boost::out_edges(v, g); e != end; ++e) {
        int t = boost::target(*e, g);
        if (component[t] == component[start] && t != v) {
          next = t;
          break;
        }
      }
      if (next < 0) break;  // cannot happen in a strongly connected component of size > 1
      if (seen_at[next] >= 0) {
        cycles.emplace_back(walk.begin() + seen_at[next], walk.end());
        break;
      }
      seen_at[next] = walk.size();
      walk.push_back(next);
      v = next;
    }
  }
  return cycles;
}

bool topological_order(int vertices, const std::vector<Edge>& edges, std::vector<int>& order) {
  // Boost emits vertices in DFS finishing order. Numbering them backwards makes unconstrained
  // vertices come out in their original order, so the order reads naturally and is stable.
  auto flip = [vertices](int v) { return vertices - 1 - v; };
  std::vector<Edge> flipped;
  flipped.reserve(edges.size());
  for (auto [from, to] : edges) flipped.push_back({flip(from), flip(to)});
  Directed g(flipped.begin(), flipped.end(), vertices);
  std::vector<Directed::vertex_descriptor> finishing;
  try {
    boost::topological_sort(g, std::back_inserter(finishing));
  } catch (const boost::not_a_dag&) {
    return false;
  }
  order.clear();
  for (auto it = finishing.rbegin(); it != finishing.rend(); ++it) order.push_back(flip(*it));
  return true;
}

std::vector<int> connected_components(int vertices, const std::vector<Edge>& edges, int& count) {
  Undirected g(edges.begin(), edges.end(), vertices);
  std::vector<int> component(vertices);
  count = vertices == 0 ? 0 : boost::connected_components(g, component.data());
  return component;
}

std::vector<int> cuthill_mckee_order(int vertices, const std::vector<Edge>& edges) {
  Undirected g(edges.begin(), edges.end(), vertices);
  std::vector<Undirected::vertex_descriptor> order;
  order.reserve(vertices);
  boost::cuthill_mckee_ordering(g, std::back_inserter(order));  // reverse Cuthill-McKee
  return std::vector<int>(order.begin(), order.end());
}

std::vector<int> minimum_degree_positions(int vertices, const std::vector<Edge>& edges) {
  // The algorithm wants a directed graph holding each undirected edge both ways, no loops.
  std::vector<Edge> both;
  both.reserve(2 * edges.size());
  for (auto [a, b] : edges) {
    if (a == b) continue;
    both.push_back({a, b});
    both.push_back({b, a});
  }
  std::sort(both.begin(), both.end());
  both.erase(std::unique(both.begin(), both.end()), both.end());
  Directed g(both.begin(), both.end(), vertices);
  std::vector<int> degree(vertices, 0), position(vertices, 0), order(vertices, 0),
      supernode(vertices, 1);
  auto index = boost::get(boost::vertex_index, g);
  boost::minimum_degree_ordering(g, boost::make_iterator_property_map(degree.begin(), index),
                                 position.data(), order.data(),
                                 boost::make_iterator_property_map(supernode.begin(), index), 0,
                                 index);
  return position;
}

}  // namespace sumisura::detail
