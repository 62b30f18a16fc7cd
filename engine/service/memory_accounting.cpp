#include "memory_accounting.hpp"

#include <malloc.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <new>

#include "sanitizers.hpp"

namespace sumisura::service {
namespace {
// Trivial, so no guard and no destructor: usable from the first allocation of a thread to its
// last, while thread-local objects with constructors may not be alive yet or any more.
thread_local int64_t net_allocated = 0;
std::atomic<bool> counting{false};
}  // namespace

int64_t thread_net_allocated() {
  return net_allocated;
}

NotCounted::~NotCounted() {
  net_allocated = saved_;
}

uint64_t default_session_memory() {
  long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
  uint64_t total = pages > 0 && page > 0
                       ? static_cast<uint64_t>(pages) * static_cast<uint64_t>(page)
                       : uint64_t{8} << 30;
  // In a container, the cgroup's limit (v2, then v1) when it is lower than the machine's memory.
  for (const char* path :
       {"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"}) {
    if (std::FILE* f = std::fopen(path, "r")) {
      unsigned long long limit = 0;
      if (std::fscanf(f, "%llu", &limit) == 1 && limit > 0 && limit < total) total = limit;
      std::fclose(f);
    }
  }
  return total / 2;
}

void start_memory_accounting() {
  counting.store(true, std::memory_order_relaxed);
}

}  // namespace sumisura::service

#ifndef SUMISURA_SANITIZED
// The replaceable allocation functions ([new.delete]), all of them, so that every block is
// counted on the way in and on the way out by the size malloc gave it.
namespace {

bool counting_now() {
  return sumisura::service::counting.load(std::memory_order_relaxed);
}

void* counted(void* p) {
  if (p && counting_now())
    sumisura::service::net_allocated += static_cast<int64_t>(malloc_usable_size(p));
  return p;
}

void uncounted(void* p) noexcept {
  if (!p) return;
  if (counting_now())
    sumisura::service::net_allocated -= static_cast<int64_t>(malloc_usable_size(p));
  std::free(p);
}

void* allocate(std::size_t size) {
  for (;;) {
    if (void* p = counted(std::malloc(size ? size : 1))) return p;
    std::new_handler handler = std::get_new_handler();
    if (!handler) throw std::bad_alloc();
    handler();
  }
}

void* allocate(std::size_t size, std::align_val_t align) {
  std::size_t a = static_cast<std::size_t>(align);
  if (a < sizeof(void*)) a = sizeof(void*);
  for (;;) {
    void* p = nullptr;
    if (posix_memalign(&p, a, size ? size : 1) == 0) return counted(p);
    std::new_handler handler = std::get_new_handler();
    if (!handler) throw std::bad_alloc();
    handler();
  }
}

template <class... Align>
void* allocate_or_null(std::size_t size, Align... align) noexcept {
  try {
    return allocate(size, align...);
  } catch (...) {
    return nullptr;
  }
}

}  // namespace

void* operator new(std::size_t n) {
  return allocate(n);
}
void* operator new[](std::size_t n) {
  return allocate(n);
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
  return allocate_or_null(n);
}
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept {
  return allocate_or_null(n);
}
void* operator new(std::size_t n, std::align_val_t a) {
  return allocate(n, a);
}
void* operator new[](std::size_t n, std::align_val_t a) {
  return allocate(n, a);
}
void* operator new(std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return allocate_or_null(n, a);
}
void* operator new[](std::size_t n, std::align_val_t a, const std::nothrow_t&) noexcept {
  return allocate_or_null(n, a);
}
void operator delete(void* p) noexcept {
  uncounted(p);
}
void operator delete[](void* p) noexcept {
  uncounted(p);
}
void operator delete(void* p, std::size_t) noexcept {
  uncounted(p);
}
void operator delete[](void* p, std::size_t) noexcept {
  uncounted(p);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
  uncounted(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
  uncounted(p);
}
void operator delete(void* p, std::align_val_t) noexcept {
  uncounted(p);
}
void operator delete[](void* p, std::align_val_t) noexcept {
  uncounted(p);
}
void operator delete(void* p, std::size_t, std::align_val_t) noexcept {
  uncounted(p);
}
void operator delete[](void* p, std::size_t, std::align_val_t) noexcept {
  uncounted(p);
}
void operator delete(void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  uncounted(p);
}
void operator delete[](void* p, std::align_val_t, const std::nothrow_t&) noexcept {
  uncounted(p);
}
#endif
