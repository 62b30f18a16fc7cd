// The order in which repairs are offered, shared by the search and compiled back ends: least
// weight lost first, then older requirements given up before newer ones; a set of requirements to
// drop is offered only when no smaller set already offered is inside it (so each is minimal).
#pragma once

#include <cstdint>
#include <vector>

#include "sumisura/spec.hpp"

namespace sumisura::detail {

/// Every set of requirements to drop among `candidates` (indices into `requirements`; bit j of a
/// set: candidates[j] dropped; at most 20 candidates), the empty set first, in repair order.
std::vector<uint32_t> drop_sets_in_repair_order(const std::vector<Requirement>& requirements,
                                                const std::vector<size_t>& candidates);

enum class Feasibility { feasible, infeasible, unknown };

/// The first `max` minimal drop sets of `order` (from drop_sets_in_repair_order) for which
/// `feasible(set)` holds; supersets of sets found are skipped. Stops early, with what it found,
/// when `feasible` answers unknown (a limit), and with nothing when the empty set is feasible.
template <class Feasible>
std::vector<uint32_t> first_repairs(const std::vector<uint32_t>& order, int max,
                                    Feasible&& feasible) {
  std::vector<uint32_t> found;
  for (uint32_t drop : order) {
    if (static_cast<int>(found.size()) >= max) break;
    bool superset = false;
    for (uint32_t f : found) superset = superset || (drop & f) == f;
    if (superset) continue;
    Feasibility answer = feasible(drop);
    if (answer == Feasibility::unknown) break;
    if (answer == Feasibility::infeasible) continue;
    if (drop == 0) return {};  // everything can be kept: not infeasible after all
    found.push_back(drop);
  }
  return found;
}

}  // namespace sumisura::detail
