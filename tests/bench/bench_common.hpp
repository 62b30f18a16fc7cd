// Small helpers shared by the benchmark programs: arguments, a portable seeded random generator,
// wall-clock timing and latency statistics.
#pragma once

#include <sys/resource.h>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace bench {

/// The process's peak resident memory so far, in MiB.
inline double peak_mib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024.0;  // kilobytes on Linux
}

/// --key value arguments (and --flag for booleans), with defaults.
class Args {
 public:
  Args(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
      std::string a = argv[i];
      if (a.rfind("--", 0) != 0) throw std::runtime_error("unexpected argument '" + a + "'");
      a = a.substr(2);
      auto eq = a.find('=');
      if (eq != std::string::npos) {
        values_[a.substr(0, eq)] = a.substr(eq + 1);
      } else if (i + 1 < argc && std::string(argv[i + 1]).rfind("--", 0) != 0) {
        values_[a] = argv[++i];
      } else {
        values_[a] = "1";
      }
    }
  }
  std::string str(const std::string& key, const std::string& fallback = {}) const {
    auto it = values_.find(key);
    return it == values_.end() ? fallback : it->second;
  }
  long num(const std::string& key, long fallback) const {
    auto it = values_.find(key);
    return it == values_.end() ? fallback : std::stol(it->second);
  }
  bool has(const std::string& key) const { return values_.count(key) > 0; }

 private:
  std::map<std::string, std::string> values_;
};

/// splitmix64: the same sequence on every platform and standard library
/// (std::uniform_*_distribution is not), so a seed names the same benchmark everywhere.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, n).
  size_t below(size_t n) { return n == 0 ? 0 : static_cast<size_t>(next() % n); }
  double unit() { return (next() >> 11) * (1.0 / 9007199254740992.0); }
  template <class T>
  void shuffle(std::vector<T>& v) {
    for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[below(i)]);
  }

 private:
  uint64_t state_;
};

using Clock = std::chrono::steady_clock;
inline double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

/// CPU time of the calling thread in milliseconds: unlike wall time, it does not count the time
/// other processes of a shared machine take the core away.
inline double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/// Latencies in milliseconds.
struct Stats {
  std::vector<double> samples;
  void add(double ms) { samples.push_back(ms); }
  size_t n() const { return samples.size(); }
  /// Nearest-rank percentile (p in 0..100) of the samples.
  double percentile(double p) const {
    if (samples.empty()) return NAN;
    std::vector<double> s = samples;
    std::sort(s.begin(), s.end());
    size_t rank = static_cast<size_t>(std::ceil(p / 100.0 * s.size()));
    rank = std::clamp<size_t>(rank, 1, s.size());
    return s[rank - 1];
  }
  double median() const {
    if (samples.empty()) return NAN;
    std::vector<double> s = samples;
    std::sort(s.begin(), s.end());
    size_t n = s.size();
    return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  }
  double max() const {
    return samples.empty() ? NAN : *std::max_element(samples.begin(), samples.end());
  }
  double mean() const {
    if (samples.empty()) return NAN;
    double t = 0;
    for (double x : samples) t += x;
    return t / samples.size();
  }
};

/// One machine-readable result line:
/// RESULT<TAB>label<TAB>method<TAB>n<TAB>median<TAB>p99<TAB>max<TAB>mean.
inline void print_result(const std::string& label, const std::string& method, const Stats& s) {
  std::printf("RESULT\t%s\t%s\t%zu\t%.3f\t%.3f\t%.3f\t%.3f\n", label.c_str(), method.c_str(), s.n(),
              s.median(), s.percentile(99), s.max(), s.mean());
}

/// Whitespace-separated tokens of a line.
inline std::vector<std::string> split(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  std::string t;
  while (in >> t) out.push_back(t);
  return out;
}

/// Wall and thread-CPU latency of one method, measured around the same calls.
struct Timed {
  Stats wall, cpu;
  Clock::time_point t0;
  double c0 = 0;
  void start() {
    c0 = thread_cpu_ms();
    t0 = Clock::now();
  }
  double stop() {
    double ms = ms_since(t0);
    wall.add(ms);
    cpu.add(thread_cpu_ms() - c0);
    return ms;
  }
  void print(const std::string& label, const std::string& method) const {
    if (wall.n() == 0) return;
    print_result(label, method, wall);
    print_result(label, method + "-cpu", cpu);
  }
};

inline bool file_exists(const std::string& path) {
  return std::ifstream(path).good();
}

}  // namespace bench
