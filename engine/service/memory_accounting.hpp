// What the service's sessions hold in memory, counted rather than guessed: the process's
// operator new and delete count, per thread, the bytes they hand out and take back, so that the
// bytes a request leaves allocated on its session (a solver copy, learnt clauses, caches) can be
// charged to that session (session_store.hpp). Nothing else in the engine depends on it.
#pragma once

#include <cstdint>
#include <string>

namespace sumisura::service {

/// Bytes allocated on this thread, less those freed on it, since it started (may be negative: a
/// block freed here may have been allocated elsewhere). Always 0 when counting is off.
int64_t thread_net_allocated();

/// While alive, this thread's frees and allocations are not counted: for work that belongs to no
/// request, such as freeing a session the store dropped.
class NotCounted {
 public:
  NotCounted() : saved_(thread_net_allocated()) {}
  ~NotCounted();
  NotCounted(const NotCounted&) = delete;
  NotCounted& operator=(const NotCounted&) = delete;

 private:
  int64_t saved_;
};

/// Starts counting (the service calls it as it starts; other commands pay nothing for it).
/// Sanitizer builds keep their own operator new and count nothing.
void start_memory_accounting();

/// Half the memory this process may use (the machine's, or its cgroup's limit when lower): the
/// default budget of live sessions.
uint64_t default_session_memory();

}  // namespace sumisura::service
