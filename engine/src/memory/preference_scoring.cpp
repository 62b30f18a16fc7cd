// How a preference model scores the values of a variable (see preference_data.hpp): the kernel
// over past orders, and the two baselines it is measured against.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <numeric>
#include <random>
#include <thread>

#include "memory/preference_data.hpp"

namespace sumisura::detail {
namespace {

constexpr double kLaplace = 1.0;  // baselines: add-one smoothing of every count

/// Per known choice, the factor a row's weight takes when it agrees, disagrees, or does not name
/// the variable (Aitchison and Aitken's kernel for unordered categories).
struct KernelFactors {
  double agree, disagree, unknown;
};

KernelFactors kernel(double bandwidth, size_t values) {
  double d = static_cast<double>(std::max<size_t>(values, 1));
  if (values <= 1) return {1, 1, 1};
  return {1 - bandwidth, bandwidth / (d - 1), 1 / d};
}

/// Row weights of the kernel estimate: count times the product of the factors of the known
/// choices, scaled so that the largest is 1 (orders that disagree on 40 choices stay finite).
std::vector<double> kernel_weights(const PreferenceData& data, double bandwidth, double sharpness,
                                   double threshold, const std::vector<OrderRow>& rows,
                                   const std::vector<uint32_t>& counts,
                                   const std::vector<KnownValue>& known, int column, long skip) {
  std::vector<double> log_w(rows.size(), 0);
  size_t n = data.columns.names.size();
  for (const auto& kv : known) {
    double relevance = data.relevance.empty() ? 1 : data.relevance[column * n + kv.column];
    if (relevance < threshold) continue;
    KernelFactors k = kernel(bandwidth, data.columns.values[kv.column].size());
    double la = std::log(k.agree), ld = std::log(k.disagree), lu = std::log(k.unknown);
    if (sharpness > 0) la = 0, ld = -sharpness * relevance, lu = ld / 2;
    for (size_t r = 0; r < rows.size(); ++r) {
      int16_t rv = rows[r][kv.column];
      log_w[r] += rv < 0 ? lu : (rv == kv.value ? la : ld);
    }
  }
  double top = -INFINITY;
  for (double lw : log_w) top = std::max(top, lw);
  std::vector<double> w(rows.size());
  for (size_t r = 0; r < rows.size(); ++r)
    w[r] = static_cast<long>(r) == skip ? 0 : counts[r] * std::exp(log_w[r] - top);
  return w;
}

/// Scores of each value of `column` from row weights: every row votes through the kernel.
std::vector<double> kernel_vote(const PreferenceData& data, double bandwidth,
                                const std::vector<OrderRow>& rows, const std::vector<double>& w,
                                int column) {
  size_t d = data.columns.values[column].size();
  KernelFactors k = kernel(bandwidth, d);
  std::vector<double> hist(d, 0);
  double named = 0, unnamed = 0;
  for (size_t r = 0; r < rows.size(); ++r) {
    int16_t rv = rows[r][column];
    if (rv < 0) {
      unnamed += w[r];
    } else {
      hist[rv] += w[r];
      named += w[r];
    }
  }
  std::vector<double> s(d);
  for (size_t v = 0; v < d; ++v)
    s[v] = hist[v] * k.agree + (named - hist[v]) * k.disagree + unnamed * k.unknown;
  return s;
}

std::vector<double> naive_bayes(const PreferenceData& data, const std::vector<OrderRow>& rows,
                                const std::vector<uint32_t>& counts,
                                const std::vector<KnownValue>& known, int column, long skip) {
  size_t d = data.columns.values[column].size();
  std::vector<double> n(d, 0);
  std::vector<std::vector<double>> joint(d, std::vector<double>(known.size(), 0));
  for (size_t r = 0; r < rows.size(); ++r) {
    int16_t v = rows[r][column];
    if (v < 0 || static_cast<long>(r) == skip) continue;
    n[v] += counts[r];
    for (size_t i = 0; i < known.size(); ++i) {
      if (rows[r][known[i].column] == known[i].value) joint[v][i] += counts[r];
    }
  }
  std::vector<double> log_s(d);
  for (size_t v = 0; v < d; ++v) {
    log_s[v] = std::log(n[v] + kLaplace);
    for (size_t i = 0; i < known.size(); ++i) {
      double dc = static_cast<double>(data.columns.values[known[i].column].size());
      log_s[v] += std::log((joint[v][i] + kLaplace) / (n[v] + kLaplace * dc));
    }
  }
  double top = *std::max_element(log_s.begin(), log_s.end());
  for (auto& x : log_s) x = std::exp(x - top);
  return log_s;
}

std::vector<double> frequency(const PreferenceData& data, const std::vector<OrderRow>& rows,
                              const std::vector<uint32_t>& counts, int column, long skip) {
  std::vector<double> n(data.columns.values[column].size(), kLaplace);
  for (size_t r = 0; r < rows.size(); ++r) {
    int16_t v = rows[r][column];
    if (v >= 0 && static_cast<long>(r) != skip) n[v] += counts[r];
  }
  return n;
}

}  // namespace

std::vector<double> value_scores(const PreferenceData& data, PreferenceMethod method,
                                 double bandwidth, const std::vector<OrderRow>& rows,
                                 const std::vector<uint32_t>& counts,
                                 const std::vector<KnownValue>& known, int column, long skip) {
  switch (method) {
    case PreferenceMethod::neighbours: {
      std::vector<double> w = kernel_weights(data, bandwidth, data.sharpness,
                                             data.thresholds.empty() ? 0 : data.thresholds[column],
                                             rows, counts, known, column, skip);
      return kernel_vote(data, bandwidth, rows, w, column);
    }
    case PreferenceMethod::tree:
      return tree_scores(data.tree, data, known, column);
    case PreferenceMethod::naive_bayes:
      return naive_bayes(data, rows, counts, known, column, skip);
    case PreferenceMethod::frequency:
      return frequency(data, rows, counts, column, skip);
  }
  return {};
}

std::vector<double> joint_counts(const PreferenceData& data, int a, int b) {
  size_t db = data.columns.values[b].size();
  std::vector<double> joint(data.columns.values[a].size() * db, 0);
  for (size_t r = 0; r < data.rows.size(); ++r) {
    int16_t x = data.rows[r][a], y = data.rows[r][b];
    if (x >= 0 && y >= 0) joint[x * db + y] += data.counts[r];
  }
  return joint;
}

PairInformation pair_information(const PreferenceData& data, int a, int b) {
  size_t da = data.columns.values[a].size(), db = data.columns.values[b].size();
  std::vector<double> joint = joint_counts(data, a, b), pa(da, 0), pb(db, 0);
  double total = 0;
  for (size_t x = 0; x < da; ++x) {
    for (size_t y = 0; y < db; ++y) {
      double c = joint[x * db + y];
      pa[x] += c, pb[y] += c, total += c;
    }
  }
  PairInformation out;
  if (total <= 0) return out;
  auto entropy = [&](const std::vector<double>& p) {
    double h = 0;
    for (double x : p) h -= x > 0 ? (x / total) * std::log(x / total) : 0;
    return h;
  };
  out.entropy_a = entropy(pa);
  out.entropy_b = entropy(pb);
  for (size_t x = 0; x < da; ++x) {
    for (size_t y = 0; y < db; ++y) {
      double c = joint[x * db + y];
      if (c > 0) out.info += c / total * std::log(c * total / (pa[x] * pb[y]));
    }
  }
  out.info = std::max(0.0, out.info);
  return out;
}

void compute_relevance(PreferenceData& data) {
  size_t n = data.columns.names.size();
  data.relevance.assign(n * n, 0);
  std::vector<int> named;
  for (size_t c = 0; c < n; ++c) {
    if (data.named[c]) named.push_back(static_cast<int>(c));
  }
  // Each pair once: I(a; b) is symmetric, only the share of each one's uncertainty differs.
  for (size_t i = 0; i < named.size(); ++i) {
    for (size_t j = i + 1; j < named.size(); ++j) {
      int a = named[i], b = named[j];
      PairInformation p = pair_information(data, a, b);
      if (p.entropy_a > 0) data.relevance[a * n + b] = static_cast<float>(p.info / p.entropy_a);
      if (p.entropy_b > 0) data.relevance[b * n + a] = static_cast<float>(p.info / p.entropy_b);
    }
  }
}

std::vector<Episode> held_out_orders(const PreferenceData& data, uint64_t seed) {
  constexpr size_t kHeldOut = 400;
  std::vector<Episode> out;
  if (data.rows.size() < 2) return out;
  std::mt19937_64 rng(seed);
  std::discrete_distribution<size_t> pick(data.counts.begin(), data.counts.end());
  for (size_t i = 0; i < std::min(kHeldOut, data.total); ++i) {
    Episode e;
    e.row = pick(rng);
    for (size_t c = 0; c < data.columns.names.size(); ++c) {
      if (data.named[c] && data.rows[e.row][c] >= 0) e.columns.push_back(static_cast<int>(c));
    }
    std::shuffle(e.columns.begin(), e.columns.end(), rng);
    out.push_back(std::move(e));
  }
  return out;
}

void tune(PreferenceData& data, const std::vector<Episode>& episodes) {
  // Kernels from sharp to broad, reading every choice alike (a bandwidth) or each by how much it
  // tells (a sharpness), and thresholds from reading every known choice to reading none (plain
  // frequencies among the valid values).
  struct Candidate {
    double bandwidth, sharpness, threshold;
    long hits = 0;
  };
  static const std::pair<double, double> kKernels[] = {
      {0.003, 0}, {0.03, 0}, {0.1, 0}, {0.01, 5}, {0.01, 15}, {0.01, 40}, {0.01, 120}};
  static const double kThresholds[] = {0, 0.05, 0.1, 0.2, 0.35, 2};
  if (episodes.empty()) return;
  std::vector<Candidate> candidates;
  for (auto [bandwidth, sharpness] : kKernels) {
    for (double threshold : kThresholds) candidates.push_back({bandwidth, sharpness, threshold});
  }
  auto evaluate = [&](Candidate& k) {
    for (const auto& e : episodes) {
      const OrderRow& truth = data.rows[e.row];
      std::vector<KnownValue> known;
      for (size_t step = 0; step < e.columns.size(); ++step) {
        int c = e.columns[step];
        const std::vector<char>& valid = e.valid[step];
        // A step with one valid value is a hit whatever the kernel: nothing to learn from it.
        if (std::count(valid.begin(), valid.end(), 1) > 1) {
          std::vector<double> w =
              kernel_weights(data, k.bandwidth, k.sharpness, k.threshold, data.rows, data.counts,
                             known, c, static_cast<long>(e.row));
          std::vector<double> s = kernel_vote(data, k.bandwidth, data.rows, w, c);
          int guess = -1;
          for (size_t v = 0; v < s.size(); ++v) {
            if (valid[v] && (guess < 0 || s[v] > s[guess])) guess = static_cast<int>(v);
          }
          k.hits += guess == truth[c];
        }
        known.push_back({c, truth[c]});
      }
    }
  };
  // The candidates are independent: spread over the machine's cores.
  size_t threads = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 8);
  std::atomic<size_t> next{0};
  std::vector<std::thread> pool;
  for (size_t t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (size_t i; (i = next++) < candidates.size();) evaluate(candidates[i]);
    });
  }
  for (auto& t : pool) t.join();
  const Candidate* best = &candidates[0];
  for (const auto& k : candidates) {
    if (k.hits > best->hits) best = &k;  // ties: the earlier, sharper candidate
  }
  data.bandwidth = best->bandwidth;
  data.sharpness = best->sharpness;
  data.thresholds.assign(data.columns.names.size(), best->threshold);
}

}  // namespace sumisura::detail
