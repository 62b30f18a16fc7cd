// CaDiCaL behind sat_solver.hpp.
#include "search/sat_solver.hpp"

#include "core/deadline.hpp"

#include <cadical.hpp>

namespace sumisura::detail {
namespace {

class DeadlineTerminator : public CaDiCaL::Terminator {
 public:
  explicit DeadlineTerminator(std::chrono::steady_clock::time_point deadline)
      : deadline_(deadline) {}
  bool terminate() override {
    // Reading the clock on every call is measurable; every 64th call is plenty.
    if ((++calls_ & 63) != 0) return false;
    return std::chrono::steady_clock::now() >= deadline_;
  }

 private:
  std::chrono::steady_clock::time_point deadline_;
  uint64_t calls_ = 0;
};

}  // namespace

SatSolver::SatSolver() : solver_(std::make_unique<CaDiCaL::Solver>()) {
  solver_->set("quiet", 1);  // CaDiCaL reports e.g. "found falsified original clause" on stdout
  // CaDiCaL times its phases for profiling with getrusage(RUSAGE_SELF), whose cost in the kernel
  // grows with the process's threads: in the service (thousands of pool threads) it was most of a
  // click. We never read those profiles; where time is still taken, take the wall clock.
  solver_->set("profile", 0);
  solver_->set("realtime", 1);
  solver_->add(kTrue);
  solver_->add(0);
}

SatSolver::~SatSolver() = default;

std::unique_ptr<SatSolver> SatSolver::clone() const {
  auto copy = std::make_unique<SatSolver>();
  // CaDiCaL copies only into an untouched solver (the unit clause for kTrue comes with the copy).
  copy->solver_ = std::make_unique<CaDiCaL::Solver>();
  solver_->copy(*copy->solver_);  // options (quiet) are copied too
  copy->vars_ = vars_;
  copy->reserve();
  return copy;
}

void SatSolver::load(const CnfBuffer& cnf, const std::vector<Lit>* selectors) {
  while (vars_ < cnf.num_vars()) new_var();
  for (size_t i = 0; i < cnf.size(); ++i) {
    check_deadline();
    for (Lit l : cnf.clause(i)) solver_->add(l);
    int g = cnf.group(i);
    if (selectors && g >= 0) solver_->add(-(*selectors)[g]);
    solver_->add(0);
  }
}

int SatSolver::new_var() {
  return ++vars_;
}

void SatSolver::add_clause(std::span<const Lit> clause) {
  for (Lit l : clause) solver_->add(l);
  solver_->add(0);
}

void SatSolver::reserve() {
  // Every variable handed out must be known to CaDiCaL before it is assumed or read.
  if (reserved_ < vars_) {
    solver_->reserve(vars_);
    reserved_ = vars_;
  }
}

void SatSolver::defer(Lit selector, std::function<void()> encode) {
  deferred_.emplace_back(selector, std::move(encode));
}

void SatSolver::encode_deferred() {
  auto pending = std::move(deferred_);  // encode() adds clauses to this very solver
  deferred_.clear();
  for (auto& [selector, encode] : pending) encode();
}

SatResult SatSolver::solve(const std::vector<Lit>& assumptions, const SearchLimits& limits) {
  for (size_t i = 0; i < deferred_.size();) {
    if (std::find(assumptions.begin(), assumptions.end(), deferred_[i].first) ==
        assumptions.end()) {
      ++i;
      continue;
    }
    auto encode = std::move(deferred_[i].second);
    deferred_.erase(deferred_.begin() + i);
    encode();
  }
  reserve();
  if (limits.expired()) return SatResult::unknown;
  for (Lit a : assumptions) solver_->assume(a);
  if (limits.conflicts_per_call >= 0)
    solver_->limit("conflicts",
                   static_cast<int>(std::min<int64_t>(limits.conflicts_per_call, INT32_MAX)));
  DeadlineTerminator terminator(limits.deadline);
  bool timed = limits.deadline != std::chrono::steady_clock::time_point::max();
  if (timed) solver_->connect_terminator(&terminator);
  int result = solver_->solve();
  if (timed) solver_->disconnect_terminator();
  ++calls_;
  if (result == 10) return SatResult::sat;
  if (result == 20) return SatResult::unsat;
  return SatResult::unknown;
}

void SatSolver::constrain(const std::vector<Lit>& clause) {
  reserve();
  for (Lit l : clause) solver_->constrain(l);
  solver_->constrain(0);
}

void SatSolver::phase(Lit lit) {
  reserve();
  solver_->phase(lit);
}

void SatSolver::unphase(Lit lit) {
  reserve();
  solver_->unphase(lit);
}

bool SatSolver::value(Lit lit) const {
  if (lit == kTrue) return true;
  if (lit == kFalse) return false;
  return solver_->val(lit) > 0;
}

std::vector<Lit> SatSolver::failed(const std::vector<Lit>& assumptions) const {
  std::vector<Lit> out;
  for (Lit a : assumptions) {
    if (a != kTrue && solver_->failed(a)) out.push_back(a);
  }
  return out;
}

}  // namespace sumisura::detail
