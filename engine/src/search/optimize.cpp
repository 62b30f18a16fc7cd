// Bitwise minimisation (see optimize.hpp).
#include "search/optimize.hpp"

#include <algorithm>
#include <numeric>

namespace sumisura::detail {

Snapshot::Snapshot(const SatSolver& solver) {
  size_ = solver.num_vars() + 1;
  bits_.assign((size_ + 63) / 64, 0);
  for (int v = 1; v <= solver.num_vars(); ++v) {
    if (solver.value(v)) bits_[v >> 6] |= uint64_t{1} << (v & 63);
  }
}

int64_t evaluate(const Linear& linear, const Snapshot& model) {
  int64_t v = linear.constant;
  for (auto [w, l] : linear.terms) {
    if (model.value(l)) v = checked_add(v, w);
  }
  return v;
}

Minimum minimize(SatSolver& solver, Circuit& circuit, const Linear& objective,
                 std::vector<Lit>& assumptions, Snapshot& best, const SearchLimits& limits) {
  // objective = offset + gcd * sum(terms), all weights positive.
  Linear l = objective;
  l.normalize();
  int64_t offset = l.constant;
  std::vector<std::pair<int64_t, Lit>> terms;
  for (auto [w, lit] : l.terms) {
    if (w < 0) {
      offset = checked_add(offset, w);
      terms.push_back({-w, -lit});
    } else {
      terms.push_back({w, lit});
    }
  }
  int64_t gcd = 0;
  for (auto [w, lit] : terms) gcd = std::gcd(gcd, w);
  if (terms.empty()) return {true, offset};
  for (auto& t : terms) t.first /= gcd;
  std::sort(terms.begin(), terms.end(), [](auto a, auto b) { return a.second < b.second; });

  auto sum_in = [&](const Snapshot& s) {
    int64_t v = 0;
    for (auto [w, lit] : terms) {
      if (s.value(lit)) v += w;
    }
    return v;
  };
  int64_t current = sum_in(best);
  const std::vector<Lit> bits = circuit.binary_sum(terms);
  std::vector<Lit> fixed;
  for (int i = static_cast<int>(bits.size()) - 1; i >= 0; --i) {
    if (!((current >> i) & 1)) {
      fixed.push_back(-bits[i]);
      continue;
    }
    std::vector<Lit> trial = assumptions;
    trial.insert(trial.end(), fixed.begin(), fixed.end());
    trial.push_back(-bits[i]);
    SatResult r = solver.solve(trial, limits);
    if (r == SatResult::unknown) return {false, offset + gcd * current};
    if (r == SatResult::sat) {
      best = Snapshot(solver);
      current = sum_in(best);
      fixed.push_back(-bits[i]);
    } else {
      fixed.push_back(bits[i]);
    }
  }
  assumptions.insert(assumptions.end(), fixed.begin(), fixed.end());
  return {true, offset + gcd * current};
}

}  // namespace sumisura::detail
