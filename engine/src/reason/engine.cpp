// The shared compiled engine.
#include "reason/engine.hpp"

#include <algorithm>

#include "core/dispose.hpp"

#include "compile/checker.hpp"
#include "reason/domains.hpp"
#include "search/unit_propagator.hpp"

namespace sumisura::detail {

Engine::Engine(std::shared_ptr<const Catalog> catalog, CatalogText source)
    : model_(compile_catalog(std::move(catalog))), source_(std::move(source)) {
  // When the time limit runs out, answer now: the model and the solver are freed off the clock.
  DisposeOnThrow<std::shared_ptr<const Model>> model_unless_done(model_);
  DisposeOnThrow<std::unique_ptr<SatSolver>> solver_unless_done(base_);
  base_ = std::make_unique<SatSolver>();
  auto loading = std::chrono::steady_clock::now();
  base_->load(model_->cnf);
  solver_copy_seconds_ =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - loading).count();
  for (size_t i = 0; i < model_->cnf.size(); ++i) cnf_literals_ += model_->cnf.clause(i).size();
  std::unordered_map<std::string, int> ids;
  for (size_t b = 0; b < model_->catalog->blocks.size(); ++b)
    ids.emplace(model_->catalog->blocks[b].id, b);
  for (const auto& id : sumisura::assembly_order(*model_->catalog)) assembly_.push_back(ids.at(id));
}

Engine::~Engine() {
  cancel_compile_ = true;
  if (compiler_.joinable()) compiler_.join();
}

std::shared_ptr<const void> Engine::facade_cache(
    const std::function<std::shared_ptr<const void>()>& build) const {
  std::call_once(facade_once_, [&] { facade_cache_ = build(); });
  return facade_cache_;
}

std::unique_ptr<SatSolver> Engine::solver() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return base_->clone();
}

const std::vector<Lit>& Engine::selectors() const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!explanation_base_) {
    auto s = std::make_unique<SatSolver>();
    while (s->num_vars() < model_->cnf.num_vars()) s->new_var();
    for (size_t g = 0; g < model_->groups.size(); ++g) selectors_.push_back(s->new_var());
    s->load(model_->cnf, &selectors_);
    explanation_base_ = std::move(s);
  }
  return selectors_;
}

std::unique_ptr<SatSolver> Engine::explanation_solver() const {
  selectors();
  std::lock_guard<std::mutex> lock(mutex_);
  return explanation_base_->clone();
}

}  // namespace sumisura::detail

namespace sumisura::detail {

std::shared_ptr<const std::vector<Witness>> Engine::initial_witnesses(
    const SearchLimits& limits) const {
  // Computed once for every caller, but within each caller's limit: a caller whose deadline comes
  // first gets the solutions found so far (all valid, just fewer), and the next caller carries
  // on from them. Only a computation that finished, or spent its own minute, is final. A caller
  // that would wait past its deadline for another's computation goes on with what is published.
  // (A condition variable rather than a timed mutex: ThreadSanitizer cannot see the
  // pthread_mutex_clocklock behind timed_mutex::try_lock_until.)
  std::unique_lock<std::mutex> lock(witnesses_mutex_);
  while (witnesses_computing_) {
    if (limits.deadline == std::chrono::steady_clock::time_point::max())
      witnesses_changed_.wait(lock);
    else if (witnesses_changed_.wait_until(lock, limits.deadline) == std::cv_status::timeout)
      return initial_witnesses_;
  }
  // Copying the solver alone takes a tenth of a second on the largest models.
  if (witnesses_final_ || !time_to_copy_solver(limits)) return initial_witnesses_;
  witnesses_computing_ = true;
  if (witnesses_started_ == std::chrono::steady_clock::time_point{})
    witnesses_started_ = std::chrono::steady_clock::now();
  const auto cap = witnesses_started_ + std::chrono::seconds(60);
  std::shared_ptr<const std::vector<Witness>> before = initial_witnesses_;
  lock.unlock();
  struct Done {  // publishes whatever happens, so that no caller waits for ever
    std::unique_lock<std::mutex>& lock;
    const Engine& self;
    ~Done() {
      if (!lock.owns_lock()) lock.lock();
      self.witnesses_computing_ = false;
      self.witnesses_changed_.notify_all();
    }
  } done{lock, *this};
  auto s = solver();
  DomainSolver domains(*this, *s, /*capacity=*/0, /*use_compiled=*/false);
  SearchLimits own = limits;
  own.deadline = std::min(own.deadline, cap);
  DomainAnswer a = domains.compute({}, own, before.get());
  auto found = std::make_shared<std::vector<Witness>>(*before);
  for (auto& w : domains.witnesses()) found->push_back(w);
  lock.lock();
  if (a.feasible && a.complete) {
    exact_possible_.resize(a.valid.size());
    for (size_t v = 0; v < a.valid.size(); ++v)
      exact_possible_[v].assign(a.valid[v].begin(), a.valid[v].end());
    exact_ready_ = true;
  }
  witnesses_final_ = a.complete || !a.feasible || std::chrono::steady_clock::now() >= cap;
  initial_witnesses_ = std::move(found);
  return initial_witnesses_;
}

}  // namespace sumisura::detail

namespace sumisura::detail {

const std::vector<std::vector<char>>& Engine::initial_possible() const {
  if (exact_ready_) return exact_possible_;
  std::call_once(possible_once_, [this] {
    const Model& m = model();
    propagated_possible_.resize(m.vars.size());
    for (size_t v = 0; v < m.vars.size(); ++v) propagated_possible_[v].assign(m.vars[v].size(), 1);
    // A wiped-out domain means the catalog has no product; the solver says so in its own time.
    if (m.checker && !m.checker->propagate_tables(propagated_possible_)) {
      for (auto& d : propagated_possible_) std::fill(d.begin(), d.end(), 1);
    }
  });
  return propagated_possible_;
}

}  // namespace sumisura::detail

namespace sumisura::detail {

uint64_t Engine::fingerprint() const {
  std::call_once(fingerprint_once_, [&] { fingerprint_ = model_fingerprint(*model_); });
  return fingerprint_;
}

CompileBudget default_compile_budget() {
  CompileBudget b;
  b.max_work = 1'000'000'000;
  b.max_memory = size_t{256} << 20;
  b.max_nodes = 20'000'000;
  return b;
}

BuildCost Engine::compile_cost() const {
  std::lock_guard<std::mutex> lock(compile_mutex_);
  return compile_cost_;
}

void Engine::publish(std::unique_ptr<CompiledCatalog> built, std::string why,
                     BuildCost cost) const {
  std::lock_guard<std::mutex> lock(compile_mutex_);
  compile_cost_ = cost;
  // A relaxed form is kept apart: every other caller sees a catalog that did not compile.
  if (built && !built->left_out().empty()) {
    if (why.empty()) why = built->describe_left_out(*model_);  // loaded from a file
    relaxed_owner_ = std::move(built);
  }
  compiled_owner_ = std::move(built);
  compile_failure_ = std::move(why);
  compiled_ = compiled_owner_.get();
  compile_done_ = true;
  compile_finished_.notify_all();
}

void Engine::settle_compiled(std::unique_ptr<CompiledCatalog> compiled, std::string why_not) {
  std::call_once(compile_once_, [&] {
    compiled_from_file_ = true;
    publish(std::move(compiled), std::move(why_not));
  });
  asked_for_compiled_.store(true, std::memory_order_release);
}

void Engine::start_compiling() const {
  std::call_once(compile_once_, [this] {
    compiler_ = std::thread([this] {
      CompileBudget budget = default_compile_budget();
      budget.cancel = &cancel_compile_;
      std::string why;
      BuildCost cost;
      // Where a rule is large enough to keep the exact form from compiling (bicycle's summed
      // weight: the d-DNNF runs out of memory after several seconds), its relaxed form first:
      // 0.1 s, each of its two compilations (the form, the priced form) within a thirty-second of
      // the budget's work. Callers that wait for the outcome (counts, samples) wait for it too.
      CompileBudget quick = budget;
      quick.max_work = std::max<uint64_t>(1, budget.max_work / 32);
      BuildCost early_cost;
      if (auto early = CompiledCatalog::build(*model_, quick, &why, CompileChoice::relaxed_large,
                                              &early_cost)) {
        std::lock_guard<std::mutex> lock(compile_mutex_);
        early_relaxed_owner_ = std::move(early);
        early_relaxed_.store(early_relaxed_owner_.get(), std::memory_order_release);
      }
      why.clear();
      auto built = CompiledCatalog::build(*model_, budget, &why, CompileChoice::automatic, &cost);
      cost.seconds += early_cost.seconds;
      cost.work += early_cost.work;
      publish(std::move(built), std::move(why), cost);
    });
  });
}

const CompiledCatalog* Engine::settled_compiled(std::string* why_not) const {
  if (!compile_done_.load(std::memory_order_acquire)) return nullptr;
  std::lock_guard<std::mutex> lock(compile_mutex_);
  if (why_not) *why_not = compile_failure_;
  return compiled_owner_.get();
}

const CompiledCatalog* Engine::compile_now(const CompileBudget& budget, std::string* why_not,
                                           CompileChoice choice) const {
  std::call_once(compile_once_, [&] {
    CompileBudget b = budget;
    // An engine shutting down stops its compilation, whoever asked for it.
    if (!b.cancel) b.cancel = &cancel_compile_;
    std::string why;
    BuildCost cost;
    auto built = CompiledCatalog::build(*model_, b, &why, choice, &cost);
    publish(std::move(built), std::move(why), cost);
  });
  return wait_compiled(why_not);
}

const CompiledCatalog* Engine::compiled() const {
  if (!compile_done_.load(std::memory_order_acquire)) start_compiling();
  return compiled_.load(std::memory_order_acquire);
}

const CompiledCatalog* Engine::wait_compiled(std::string* why_not) const {
  start_compiling();
  std::unique_lock<std::mutex> lock(compile_mutex_);
  compile_finished_.wait(lock, [this] { return compile_done_.load(); });
  if (why_not) *why_not = compile_failure_;
  asked_for_compiled_.store(true, std::memory_order_release);
  return compiled_owner_.get();
}

const CompiledCatalog* Engine::compiled_for_configure() const {
  if (!asked_for_compiled_.load(std::memory_order_acquire)) return nullptr;
  return settled_compiled();
}

const CompiledCatalog* Engine::relaxed_for_configure() const {
  if (!asked_for_compiled_.load(std::memory_order_acquire)) return nullptr;
  return relaxed();
}

const CompiledCatalog* Engine::relaxed_now() const {
  if (compile_done_.load(std::memory_order_acquire)) return relaxed();
  return early_relaxed_.load(std::memory_order_acquire);
}

const CompiledCatalog* Engine::relaxed() const {
  if (!compile_done_.load(std::memory_order_acquire)) return nullptr;
  std::lock_guard<std::mutex> lock(compile_mutex_);
  return relaxed_owner_.get();
}

/// Propagators an engine keeps for reuse; more are made when more threads need one at once.
constexpr size_t kPooledPropagators = 8;

std::unique_ptr<UnitPropagator> Engine::take_propagator(const CnfBuffer& cnf) const {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (size_t i = propagators_.size(); i-- > 0;) {
      if (propagators_[i].first != &cnf) continue;
      auto p = std::move(propagators_[i].second);
      propagators_.erase(propagators_.begin() + static_cast<std::ptrdiff_t>(i));
      return p;
    }
  }
  return std::make_unique<UnitPropagator>(cnf);
}

void Engine::give_back_propagator(const CnfBuffer& cnf,
                                  std::unique_ptr<UnitPropagator> propagator) const {
  if (!propagator || propagator->level() != 0) return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (propagators_.size() < kPooledPropagators)
    propagators_.push_back({&cnf, std::move(propagator)});
}

}  // namespace sumisura::detail
