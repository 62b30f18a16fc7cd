#include "reason/price_range_cache.hpp"

#include <algorithm>

namespace sumisura::detail {

PriceRangeCache::Key PriceRangeCache::key(int tier, std::vector<Lit> choices) {
  std::sort(choices.begin(), choices.end());
  choices.erase(std::unique(choices.begin(), choices.end()), choices.end());
  return {tier, std::move(choices)};
}

std::optional<std::pair<int64_t, int64_t>> PriceRangeCache::find(int tier,
                                                                 std::vector<Lit> choices) const {
  Key k = key(tier, std::move(choices));
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = ranges_.find(k);
  if (it == ranges_.end()) return std::nullopt;
  return it->second;
}

void PriceRangeCache::remember(int tier, std::vector<Lit> choices,
                               std::pair<int64_t, int64_t> range) {
  Key k = key(tier, std::move(choices));
  std::lock_guard<std::mutex> lock(mutex_);
  if (!ranges_.emplace(k, range).second) return;
  order_.push_back(std::move(k));
  while (order_.size() > kCapacity) {
    ranges_.erase(order_.front());
    order_.pop_front();
  }
}

}  // namespace sumisura::detail
