#include "metrics.hpp"

#include <sstream>
#include <tuple>

namespace sumisura::service {

void Metrics::record(const std::string& method, const std::string& route, int status,
                     const std::string& code, double seconds) {
  std::lock_guard<std::mutex> lock(mutex_);
  Histogram& h = latency_[{method, route}];
  for (size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) {
      ++h.buckets[i];
      break;
    }
  ++h.count;
  h.sum += seconds;
  ++requests_[{method, route, status}];
  if (!code.empty()) ++errors_[{route, code}];
}

std::string Metrics::text(const std::map<std::string, double>& gauges) const {
  std::ostringstream out;
  std::lock_guard<std::mutex> lock(mutex_);
  out << "# HELP sumisura_requests_total Requests answered, by route and HTTP status.\n"
      << "# TYPE sumisura_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    const auto& [method, route, status] = key;
    out << "sumisura_requests_total{method=\"" << method << "\",route=\"" << route << "\",status=\""
        << status << "\"} " << n << "\n";
  }
  out << "# HELP sumisura_errors_total Error answers, by route and error code.\n"
      << "# TYPE sumisura_errors_total counter\n";
  for (const auto& [key, n] : errors_)
    out << "sumisura_errors_total{route=\"" << key.first << "\",code=\"" << key.second << "\"} "
        << n << "\n";
  out << "# HELP sumisura_request_seconds Time from a request's arrival to its answer.\n"
      << "# TYPE sumisura_request_seconds histogram\n";
  for (const auto& [key, h] : latency_) {
    std::string labels = "method=\"" + key.first + "\",route=\"" + key.second + "\"";
    uint64_t cumulative = 0;
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      cumulative += h.buckets[i];
      out << "sumisura_request_seconds_bucket{" << labels << ",le=\"" << kBuckets[i] << "\"} "
          << cumulative << "\n";
    }
    out << "sumisura_request_seconds_bucket{" << labels << ",le=\"+Inf\"} " << h.count << "\n"
        << "sumisura_request_seconds_sum{" << labels << "} " << h.sum << "\n"
        << "sumisura_request_seconds_count{" << labels << "} " << h.count << "\n";
  }
  for (const auto& [name, value] : gauges)
    out << "# TYPE " << name << " gauge\n" << name << " " << value << "\n";
  return out.str();
}

}  // namespace sumisura::service
