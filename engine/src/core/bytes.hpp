// Little-endian binary encoding for files the engine writes itself (compiled catalogs): a writer
// that appends, and a reader that checks every length against what is left, so that a truncated
// or corrupt file is an error with a reason, never a crash or a huge allocation.
#pragma once

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sumisura::detail {

class ByteWriter {
 public:
  void u8(uint8_t x) { out_.push_back(static_cast<char>(x)); }
  void u32(uint32_t x) { raw(&x, 4); }
  void u64(uint64_t x) { raw(&x, 8); }
  void i64(int64_t x) { raw(&x, 8); }
  void f64(double x) { raw(&x, 8); }
  void bytes(std::string_view s) {
    u64(s.size());
    out_.append(s.data(), s.size());
  }
  template <class T>
  void array(const std::vector<T>& v) {
    static_assert(std::is_trivially_copyable_v<T>);
    u64(v.size());
    if (!v.empty()) raw(v.data(), v.size() * sizeof(T));
  }
  void raw(const void* p, size_t n) { out_.append(static_cast<const char*>(p), n); }
  std::string& str() { return out_; }

 private:
  std::string out_;  // little-endian: the only byte order this project's machines have
};

/// Thrown by ByteReader; the message says what was being read.
struct ByteError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class ByteReader {
 public:
  explicit ByteReader(std::string_view data) : data_(data) {}
  uint8_t u8(const char* what) {
    uint8_t x;
    raw(&x, 1, what);
    return x;
  }
  uint32_t u32(const char* what) {
    uint32_t x;
    raw(&x, 4, what);
    return x;
  }
  uint64_t u64(const char* what) {
    uint64_t x;
    raw(&x, 8, what);
    return x;
  }
  int64_t i64(const char* what) {
    int64_t x;
    raw(&x, 8, what);
    return x;
  }
  double f64(const char* what) {
    double x;
    raw(&x, 8, what);
    return x;
  }
  std::string_view bytes(const char* what) {
    uint64_t n = u64(what);
    if (n > left()) throw ByteError(std::string("truncated ") + what);
    std::string_view s = data_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  template <class T>
  std::vector<T> array(const char* what) {
    static_assert(std::is_trivially_copyable_v<T>);
    uint64_t n = u64(what);
    if (n > left() / sizeof(T)) throw ByteError(std::string("truncated ") + what);
    std::vector<T> v(n);
    if (n) raw(v.data(), n * sizeof(T), what);
    return v;
  }
  size_t left() const { return data_.size() - pos_; }
  size_t position() const { return pos_; }

 private:
  void raw(void* p, size_t n, const char* what) {
    if (n > left()) throw ByteError(std::string("truncated ") + what);
    std::memcpy(p, data_.data() + pos_, n);
    pos_ += n;
  }
  std::string_view data_;
  size_t pos_ = 0;
};

/// A 64-bit hash of bytes (not cryptographic): checksums and fingerprints of the engine's files.
uint64_t hash_bytes(std::string_view data, uint64_t seed = 0);

}  // namespace sumisura::detail
