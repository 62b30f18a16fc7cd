// The engine's byte hash (see bytes.hpp).
#include "core/bytes.hpp"

namespace sumisura::detail {

uint64_t hash_bytes(std::string_view data, uint64_t seed) {
  // 64-bit multiply-xorshift over 8-byte words, finished with a murmur-style avalanche.
  uint64_t h = 0x9E3779B97F4A7C15ull ^ seed ^ (data.size() * 0xff51afd7ed558ccdull);
  size_t i = 0;
  for (; i + 8 <= data.size(); i += 8) {
    uint64_t x;
    std::memcpy(&x, data.data() + i, 8);
    x *= 0x87c37b91114253d5ull;
    x = (x << 31) | (x >> 33);
    h ^= x * 0x4cf5ad432745937full;
    h = ((h << 27) | (h >> 37)) * 5 + 0x52dce729;
  }
  uint64_t tail = 0;
  for (size_t k = 0; i < data.size(); ++i, ++k) tail |= uint64_t(uint8_t(data[i])) << (8 * k);
  h ^= tail * 0x87c37b91114253d5ull;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

}  // namespace sumisura::detail
