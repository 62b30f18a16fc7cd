// Unit propagation with two watched literals per long clause (see unit_propagator.hpp).
#include "search/unit_propagator.hpp"

#include <algorithm>

namespace sumisura::detail {

UnitPropagator::UnitPropagator(const CnfBuffer& cnf) {
  const size_t n = static_cast<size_t>(cnf.num_vars()) + 1;
  values_.assign(n, 0);
  occurs_.assign(n, 0);
  watches_.resize(2 * n);
  implied_.resize(2 * n);
  std::vector<Lit> units;
  std::vector<Lit> c;
  for (size_t i = 0; i < cnf.size(); ++i) {
    auto clause = cnf.clause(i);
    for (Lit l : clause) occurs_[static_cast<size_t>(std::abs(l))] = 1;
    c.assign(clause.begin(), clause.end());
    std::sort(c.begin(), c.end());
    c.erase(std::unique(c.begin(), c.end()), c.end());
    bool tautology = false;
    for (Lit l : c) tautology |= std::binary_search(c.begin(), c.end(), -l);
    if (tautology) continue;
    if (c.empty()) {
      inconsistent_ = true;
    } else if (c.size() == 1) {
      units.push_back(c[0]);
    } else if (c.size() == 2) {
      implied_[index(-c[0])].push_back(c[1]);
      implied_[index(-c[1])].push_back(c[0]);
    } else {
      uint32_t id = static_cast<uint32_t>(starts_.size());
      starts_.push_back(static_cast<uint32_t>(arena_.size()));
      arena_.insert(arena_.end(), c.begin(), c.end());
      watches_[index(c[0])].push_back(id);
      watches_[index(c[1])].push_back(id);
    }
  }
  starts_.push_back(static_cast<uint32_t>(arena_.size()));
  // Units hold at level 0, for good.
  for (Lit u : units) {
    if (value(u) < 0) inconsistent_ = true;
    if (value(u) == 0) assign(u);
  }
  if (!propagate()) inconsistent_ = true;
}

void UnitPropagator::pop() {
  size_t keep = level_start_.back();
  level_start_.pop_back();
  while (trail_.size() > keep) {
    values_[static_cast<size_t>(std::abs(trail_.back()))] = 0;
    trail_.pop_back();
  }
  head_ = std::min(head_, trail_.size());
}

bool UnitPropagator::assume(Lit l) {
  if (value(l) > 0) return true;
  if (value(l) < 0) return false;
  assign(l);
  return propagate();
}

bool UnitPropagator::propagate() {
  while (head_ < trail_.size()) {
    Lit p = trail_[head_++];  // true
    for (Lit q : implied_[index(p)]) {
      if (value(q) > 0) continue;
      if (value(q) < 0) {
        head_ = trail_.size();
        return false;
      }
      assign(q);
    }
    // Clauses watching -p lost a watch.
    std::vector<uint32_t>& ws = watches_[index(-p)];
    size_t j = 0;
    for (size_t i = 0; i < ws.size(); ++i) {
      uint32_t c = ws[i];
      Lit* lits = arena_.data() + starts_[c];
      const size_t size = starts_[c + 1] - starts_[c];
      if (lits[0] == -p) std::swap(lits[0], lits[1]);
      if (value(lits[0]) > 0) {
        ws[j++] = c;
        continue;
      }
      bool moved = false;
      for (size_t k = 2; k < size; ++k) {
        if (value(lits[k]) >= 0) {
          std::swap(lits[1], lits[k]);
          watches_[index(lits[1])].push_back(c);
          moved = true;
          break;
        }
      }
      if (moved) continue;
      ws[j++] = c;
      if (value(lits[0]) < 0) {
        for (++i; i < ws.size(); ++i) ws[j++] = ws[i];
        ws.resize(j);
        head_ = trail_.size();
        return false;
      }
      assign(lits[0]);
    }
    ws.resize(j);
  }
  return true;
}

}  // namespace sumisura::detail
