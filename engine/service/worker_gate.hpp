// At most N requests solve at once and at most Q wait for them; the next one is refused at once
// (503 with Retry-After) instead of piling up behind the others.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace sumisura::service {

class WorkerGate {
 public:
  enum class Entry { admitted, overloaded, timed_out };
  WorkerGate(int workers, int queue) : workers_(workers < 1 ? 1 : workers), queue_(queue) {}
  /// Waits for a worker until `deadline`. `admitted` must be followed by leave().
  Entry enter(std::chrono::steady_clock::time_point deadline);
  void leave();
  int active() const;
  int waiting() const;

 private:
  const int workers_, queue_;
  mutable std::mutex mutex_;
  std::condition_variable freed_;
  int active_ = 0, waiting_ = 0;
};

/// enter() and leave() as a scope.
class GateTicket {
 public:
  GateTicket(WorkerGate& gate, std::chrono::steady_clock::time_point deadline)
      : gate_(gate), entry_(gate.enter(deadline)) {}
  ~GateTicket() {
    if (entry_ == WorkerGate::Entry::admitted) gate_.leave();
  }
  GateTicket(const GateTicket&) = delete;
  GateTicket& operator=(const GateTicket&) = delete;
  WorkerGate::Entry entry() const { return entry_; }

 private:
  WorkerGate& gate_;
  WorkerGate::Entry entry_;
};

}  // namespace sumisura::service
