// Reduced MDDs of tables, by recursive partition and hash-consing (see table_mdd.hpp).
#include "compile/table_mdd.hpp"

#include <map>

namespace sumisura::detail {
namespace {

class MddBuilder {
 public:
  MddBuilder(const std::vector<int>& sizes, const std::vector<std::vector<int>>& rows)
      : sizes_(sizes), rows_(rows) {
    mdd_.nodes.push_back({static_cast<int>(sizes.size()), {}});  // terminal
  }

  Mdd run() {
    std::vector<int> all(rows_.size());
    for (size_t i = 0; i < all.size(); ++i) all[i] = i;
    mdd_.root = all.empty() ? -1 : build(0, all);
    return std::move(mdd_);
  }

 private:
  int build(int level, const std::vector<int>& rows) {
    if (level == static_cast<int>(sizes_.size())) return Mdd::kTerminal;
    std::vector<std::vector<int>> groups(sizes_[level]);
    for (int r : rows) {
      int v = rows_[r][level];
      if (v < 0) {
        for (auto& g : groups) g.push_back(r);
      } else {
        groups[v].push_back(r);
      }
    }
    std::vector<std::pair<int, int>> edges;
    for (int v = 0; v < sizes_[level]; ++v) {
      if (groups[v].empty()) continue;
      int child = build(level + 1, groups[v]);
      if (child >= 0) edges.push_back({v, child});
    }
    if (edges.empty()) return -1;
    auto key = std::make_pair(level, edges);
    auto it = unique_.find(key);
    if (it != unique_.end()) return it->second;
    int id = mdd_.nodes.size();
    mdd_.nodes.push_back({level, edges});
    unique_.emplace(std::move(key), id);
    return id;
  }

  const std::vector<int>& sizes_;
  const std::vector<std::vector<int>>& rows_;
  Mdd mdd_;
  std::map<std::pair<int, std::vector<std::pair<int, int>>>, int> unique_;
};

}  // namespace

size_t Mdd::edge_count() const {
  size_t n = 0;
  for (const auto& node : nodes) n += node.edges.size();
  return n;
}

Mdd build_mdd(const std::vector<int>& domain_sizes, const std::vector<std::vector<int>>& rows) {
  MddBuilder builder(domain_sizes, rows);
  return builder.run();
}

}  // namespace sumisura::detail
