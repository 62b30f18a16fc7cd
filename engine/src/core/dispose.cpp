// Freeing off the caller's clock (see dispose.hpp).
#include "core/dispose.hpp"

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

void dispose_in_background(std::shared_ptr<void> owned) {
#ifndef SUMISURA_FREE_IN_PLACE
  try {
    std::thread([owned = std::move(owned)]() mutable { owned.reset(); }).detach();
  } catch (const std::system_error&) {
    // No thread to spare: `owned` is freed here, on the caller's time.
  }
#endif
}

}  // namespace sumisura::detail
