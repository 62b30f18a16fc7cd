#include "worker_gate.hpp"

namespace sumisura::service {

WorkerGate::Entry WorkerGate::enter(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (active_ < workers_) {
    ++active_;
    return Entry::admitted;
  }
  if (waiting_ >= queue_) return Entry::overloaded;
  ++waiting_;
  bool free = freed_.wait_until(lock, deadline, [this] { return active_ < workers_; });
  --waiting_;
  if (!free) return Entry::timed_out;
  ++active_;
  return Entry::admitted;
}

void WorkerGate::leave() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    --active_;
  }
  freed_.notify_one();
}

int WorkerGate::active() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return active_;
}

int WorkerGate::waiting() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return waiting_;
}

}  // namespace sumisura::service
