// Exact price ranges already computed for an engine, shared by its sessions. On a catalog without
// a priced compiled form, each range is two minimisations (hundreds of milliseconds on bicycle);
// sessions come back to the same states all the time (reset, undo, a choice taken back, the first
// page of every new session), and a range depends only on the catalog, the customer's tier and the
// choices' literals, so a state seen once answers at once after that.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "compile/cnf.hpp"

namespace sumisura::detail {

class PriceRangeCache {
 public:
  /// Bounds what the cache holds (the oldest range goes first).
  static constexpr size_t kCapacity = 4096;

  /// The least and greatest price (units of 10^-6) for `tier` (-1: none) under `choices`, the
  /// literals of the model (not a session's own gates) holding together, in any order.
  std::optional<std::pair<int64_t, int64_t>> find(int tier, std::vector<Lit> choices) const;
  /// Keeps an exact range (never one cut short by a limit).
  void remember(int tier, std::vector<Lit> choices, std::pair<int64_t, int64_t> range);

 private:
  using Key = std::pair<int, std::vector<Lit>>;
  static Key key(int tier, std::vector<Lit> choices);
  mutable std::mutex mutex_;
  std::map<Key, std::pair<int64_t, int64_t>> ranges_;
  std::deque<Key> order_;  // insertion order, for eviction
};

}  // namespace sumisura::detail
