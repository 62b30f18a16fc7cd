// What a compilation into a compiled form may spend. Work, memory and nodes are counted in units
// that do not depend on how busy the machine is, so whether a catalog compiles is the same on
// every run and every machine; a wall-clock deadline and a cancel flag are there for callers that
// ask for them (a user's --time-limit, an engine shutting down).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>

namespace sumisura::detail {

struct CompileProgress {
  double seconds = 0;
  uint64_t work = 0;  ///< elementary steps (propagations, visits, apply calls): what the budget counts
  uint64_t decisions = 0, conflicts = 0, cache_hits = 0;
  size_t nodes = 0, edges = 0, cache_entries = 0;
  size_t memory = 0;  ///< bytes held by the compiler's own structures
};

struct CompileBudget {
  /// Elementary steps: about 20 to 150 million a second on this project's machines, depending on
  /// how much memory the steps touch.
  uint64_t max_work = 1'500'000'000;
  size_t max_memory = size_t{1} << 30;  ///< bytes (see CompileProgress::memory)
  size_t max_nodes = 20'000'000;        ///< nodes plus edges of the compiled form
  std::optional<std::chrono::steady_clock::time_point> deadline;  ///< none: work bounds it
  const std::atomic<bool>* cancel = nullptr;
  /// Called about twice a second of compilation with what has been done so far.
  std::function<void(const CompileProgress&)> progress;
};

}  // namespace sumisura::detail
