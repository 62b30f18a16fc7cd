// Freeing off the caller's clock (see dispose.hpp).
#include "core/dispose.hpp"

#include <pthread.h>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <system_error>
#include <thread>

namespace sumisura::detail {

// Sanitizer builds (GCC's __SANITIZE_*__, clang's __has_feature) free where the caller does.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SUMISURA_FREE_IN_PLACE 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define SUMISURA_FREE_IN_PLACE 1
#endif
#endif

#ifndef SUMISURA_FREE_IN_PLACE
namespace {

// One thread frees whatever is handed over, in order. Neither it nor its queue is ever destroyed:
// no static teardown races with a free in progress at exit.
struct Disposer {
  std::mutex mutex;
  std::condition_variable ready;
  std::deque<std::shared_ptr<void>> queue;

  void run() {
    for (;;) {
      std::shared_ptr<void> next;
      {
        std::unique_lock<std::mutex> lock(mutex);
        ready.wait(lock, [&] { return !queue.empty(); });
        next = std::move(queue.front());
        queue.pop_front();
      }
      next.reset();
    }
  }
};

std::mutex started_mutex;     // guards `started`; taken before a disposer's own mutex
Disposer* started = nullptr;  // the process's disposer, once one is running
bool fork_handlers_set = false;

// A forked child has no disposer thread, only a copy of the parent's queue: both mutexes are held
// across fork() so that the copy is consistent, and the child starts its own disposer when it
// needs one (the parent's copy is left to leak).
void before_fork() {
  started_mutex.lock();
  if (started) started->mutex.lock();
}
void after_fork_in_parent() {
  if (started) started->mutex.unlock();
  started_mutex.unlock();
}
void after_fork_in_child() {
  started = nullptr;
  started_mutex.unlock();
}

}  // namespace
#endif

void dispose_in_background(std::shared_ptr<void> owned) {
#ifndef SUMISURA_FREE_IN_PLACE
  std::lock_guard<std::mutex> lock(started_mutex);
  if (!fork_handlers_set) {
    fork_handlers_set = pthread_atfork(before_fork, after_fork_in_parent, after_fork_in_child) == 0;
    if (!fork_handlers_set) return;  // `owned` is freed here, on the caller's time
  }
  if (!started) {
    auto* made = new Disposer;
    try {
      std::thread([made] { made->run(); }).detach();
    } catch (const std::system_error&) {
      delete made;
      return;  // no thread to spare: `owned` is freed here, on the caller's time
    }
    started = made;
  }
  {
    std::lock_guard<std::mutex> queue_lock(started->mutex);
    started->queue.push_back(std::move(owned));
  }
  started->ready.notify_one();
#endif
}

}  // namespace sumisura::detail
