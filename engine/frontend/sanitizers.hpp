// Whether this build runs under a sanitizer (clang's __has_feature, GCC's __SANITIZE_*__): such
// builds keep their own allocator and check every teardown, so shortcuts that skip them are off.
#pragma once

#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
#define SUMISURA_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SUMISURA_SANITIZED 1
#endif
