// Freeing off the caller's clock: what a call leaves behind when its time limit runs out.
#pragma once

#include <exception>
#include <memory>
#include <utility>

namespace sumisura::detail {

/// Frees `owned` on a background thread (one for the process, started on first use), so that a
/// call stopped by its time limit answers without first tearing down what it built (freeing a
/// model of 235,000 rules takes 40 ms and more). Frees at once when no thread can be started, and
/// in sanitizer builds, which check every teardown where it happens.
void dispose_in_background(std::shared_ptr<void> owned);

/// Moves `owner` (a smart pointer, a container) into dispose_in_background.
template <typename T>
void dispose_later(T&& owner) {
  dispose_in_background(std::make_shared<std::decay_t<T>>(std::forward<T>(owner)));
}

/// Declared right after an object under construction (a catalog being read): when the scope is
/// left by an exception (the time limit ran out), the object is moved into dispose_later before
/// its own destructor runs, which then has nothing left to free.
template <typename T>
class DisposeOnThrow {
 public:
  explicit DisposeOnThrow(T& owned) : owned_(owned), exceptions_(std::uncaught_exceptions()) {}
  ~DisposeOnThrow() {
    if (std::uncaught_exceptions() <= exceptions_) return;
    try {
      dispose_later(std::move(owned_));
    } catch (...) {
      // Out of memory for the hand-over: the object is freed where it is.
    }
  }
  DisposeOnThrow(const DisposeOnThrow&) = delete;
  DisposeOnThrow& operator=(const DisposeOnThrow&) = delete;

 private:
  T& owned_;
  int exceptions_;
};

}  // namespace sumisura::detail
