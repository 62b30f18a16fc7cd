// Request counters and latency histograms per route, in Prometheus' text format (/v1/metrics).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace sumisura::service {

class Metrics {
 public:
  /// One answered request: `route` is the route's pattern (never the raw path, so that ids do
  /// not make new series), `code` the error code or empty.
  void record(const std::string& method, const std::string& route, int status,
              const std::string& code, double seconds);
  /// The text format, with the gauges the caller adds (live sessions and such).
  std::string text(const std::map<std::string, double>& gauges) const;

  static constexpr std::array<double, 14> kBuckets = {
      0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

 private:
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> buckets{};  ///< cumulative when printed
    uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mutex_;
  /// (method, route) -> latencies; (method, route, status) -> count; (route, code) -> count.
  std::map<std::pair<std::string, std::string>, Histogram> latency_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;
  std::map<std::pair<std::string, std::string>, uint64_t> errors_;
};

}  // namespace sumisura::service
