#include "reason/repair_order.hpp"

#include <algorithm>
#include <tuple>

namespace sumisura::detail {

std::vector<uint32_t> drop_sets_in_repair_order(const std::vector<Requirement>& requirements,
                                                const std::vector<size_t>& candidates) {
  size_t n = requirements.size();
  // Recency weights 2^i make keeping requirement i worth more than keeping every older one (the
  // oldest share the lowest weight beyond 61 requirements).
  std::vector<std::tuple<int64_t, uint64_t, uint32_t>> order;
  for (uint32_t drop = 0; drop < (1u << candidates.size()); ++drop) {
    int64_t lost = 0;
    uint64_t recency = 0;
    for (size_t j = 0; j < candidates.size(); ++j) {
      if (!(drop >> j & 1)) continue;
      size_t i = candidates[j];
      lost += requirements[i].weight.units();
      int shift = static_cast<int>(i) - std::max(0, static_cast<int>(n) - 61);
      recency += uint64_t{1} << std::max(0, shift);
    }
    order.emplace_back(lost, recency, drop);
  }
  std::sort(order.begin(), order.end());
  std::vector<uint32_t> out;
  out.reserve(order.size());
  for (const auto& c : order) out.push_back(std::get<2>(c));
  return out;
}

}  // namespace sumisura::detail
