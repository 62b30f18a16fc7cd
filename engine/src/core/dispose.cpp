// Freeing off the caller's clock (see dispose.hpp).
#include "core/dispose.hpp"

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

namespace {

#ifndef SUMISURA_FREE_IN_PLACE
// One thread frees whatever is handed over, in order. It and its queue live as long as the
// process (never destroyed: no static teardown races with a free in progress at exit).
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

// The disposer, started on first use; null when no thread could be started.
Disposer* disposer() {
  static Disposer* const d = []() -> Disposer* {
    auto* made = new Disposer;
    try {
      std::thread([made] { made->run(); }).detach();
    } catch (const std::system_error&) {
      delete made;
      return nullptr;
    }
    return made;
  }();
  return d;
}
#endif

}  // namespace

void dispose_in_background(std::shared_ptr<void> owned) {
#ifndef SUMISURA_FREE_IN_PLACE
  if (Disposer* d = disposer()) {
    {
      std::lock_guard<std::mutex> lock(d->mutex);
      d->queue.push_back(std::move(owned));
    }
    d->ready.notify_one();
  }
#endif
  // Otherwise `owned` is freed here, on the caller's time.
}

}  // namespace sumisura::detail
