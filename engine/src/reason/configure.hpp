// configure: the best product for a specification; when there is none, why, and what to change.
#pragma once

#include "reason/request.hpp"
#include "sumisura/configurator.hpp"

namespace sumisura::detail {

SearchLimits search_limits(const Limits& limits);

ConfigureResult configure(const Engine& engine, const PreparedSpec& spec, const Limits& limits,
                          const SearchLimits& search);

/// Up to limits.max_repairs minimal sets of requirements to drop (bounds to relax), best first:
/// least weight lost, then keeping the most recently stated requirements.
/// Requirements flagged in `hard` are never dropped.
std::vector<Repair> find_repairs(const Engine& engine, const PreparedSpec& spec,
                                 const Limits& limits, const SearchLimits& search,
                                 const std::vector<bool>& hard = {}, Request* reuse = nullptr);

}  // namespace sumisura::detail
