// Who may call: API keys (a file of keys, one per line) and the origins a browser page may call
// from (CORS). TLS is left to the proxy in front (docs/service.md).
#pragma once

#include <set>
#include <string>
#include <vector>

namespace sumisura::service {

class KeyRing {
 public:
  KeyRing() = default;  ///< no keys: every caller is let in
  /// Reads one key per line; blank lines and lines starting with # are skipped. Throws
  /// sumisura::Error(kind io) when the file cannot be read or holds no key.
  static KeyRing from_file(const std::string& path);
  bool enabled() const { return enabled_; }
  /// Whether `key` is one of the keys (compared in time independent of where they differ).
  bool accepts(const std::string& key) const;

 private:
  bool enabled_ = false;
  std::vector<std::string> keys_;
};

/// The key a request carries: `Authorization: Bearer KEY` or `X-API-Key: KEY`.
std::string request_key(const std::string& authorization, const std::string& x_api_key);

class CorsPolicy {
 public:
  explicit CorsPolicy(std::vector<std::string> origins);
  /// The Access-Control-Allow-Origin value for a request from `origin`, or empty.
  std::string allow(const std::string& origin) const;

 private:
  bool any_ = false;
  std::set<std::string> origins_;
};

}  // namespace sumisura::service
