// Where clauses go: a buffer (the compiled catalog) or a live solver (per request).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace sumisura::detail {

/// A literal in DIMACS convention: variable v >= 1 is `v`, its negation `-v`.
using Lit = int;

/// Variable 1 is the constant true in every model and every solver (a unit clause fixes it).
constexpr Lit kTrue = 1;
constexpr Lit kFalse = -1;

class ClauseSink {
 public:
  virtual ~ClauseSink() = default;
  virtual int new_var() = 0;
  virtual int num_vars() const = 0;
  virtual void add_clause(std::span<const Lit> clause) = 0;
  void add(std::initializer_list<Lit> clause) {
    add_clause(std::span<const Lit>(clause.begin(), clause.size()));
  }
  /// Clauses that only define auxiliary variables (gates, sums) belong to no constraint group:
  /// a gate shared by several rules must not make one rule depend on another. Returns the group
  /// to restore with end_definitions.
  virtual int begin_definitions() { return -1; }
  virtual void end_definitions(int) {}
};

/// Clauses stored flat, each tagged with the constraint group it belongs to (-1: definitional
/// clauses that hold in every explanation). A compiled catalog keeps its CNF in one of these.
class CnfBuffer final : public ClauseSink {
 public:
  CnfBuffer() { add({kTrue}); }
  int new_var() override {
    var_owners_.push_back(owner_);
    return ++vars_;
  }
  int num_vars() const override { return vars_; }
  void add_clause(std::span<const Lit> clause) override {
    starts_.push_back(literals_.size());
    literals_.insert(literals_.end(), clause.begin(), clause.end());
    groups_.push_back(group_);
    owners_.push_back(owner_);
  }
  /// Clauses added from now on belong to `group` (-1: definitional), and so does whatever its
  /// encoding defines.
  void set_group(int group) { group_ = owner_ = group; }
  int begin_definitions() override {
    int saved = group_;
    group_ = -1;
    return saved;
  }
  void end_definitions(int saved) override { group_ = saved; }
  size_t size() const { return starts_.size(); }
  std::span<const Lit> clause(size_t i) const {
    size_t end = i + 1 < starts_.size() ? starts_[i + 1] : literals_.size();
    return {literals_.data() + starts_[i], end - starts_[i]};
  }
  int group(size_t i) const { return groups_[i]; }
  /// The group whose encoding added clause `i`, definitional clauses included (-1: none).
  int owner(size_t i) const { return owners_[i]; }
  /// The group whose encoding made variable `v` (-1: none, e.g. the finite-domain variables).
  int var_owner(int v) const { return v >= 2 ? var_owners_[v - 2] : -1; }
  size_t literal_count() const { return literals_.size(); }

 private:
  int vars_ = 1;  // variable 1 is kTrue
  int group_ = -1;
  int owner_ = -1;
  std::vector<Lit> literals_;
  std::vector<size_t> starts_;
  std::vector<int> groups_;
  std::vector<int> owners_;      // per clause
  std::vector<int> var_owners_;  // per variable from 2
};

}  // namespace sumisura::detail
