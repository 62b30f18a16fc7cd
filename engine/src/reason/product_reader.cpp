// Reading a product by propagation (see product_reader.hpp). A solver copy per answer cost more
// than the compiled pass that found the product (bicycle: 7 ms to copy, 2 ms to solve).
#include "reason/product_reader.hpp"

#include "compile/encoder.hpp"
#include "reason/extract.hpp"
#include "search/unit_propagator.hpp"

namespace sumisura::detail {
namespace {

/// A propagator borrowed from the engine's pool, given back at level 0.
class Borrowed {
 public:
  Borrowed(const Engine& engine, const CnfBuffer& cnf)
      : engine_(engine), cnf_(cnf), up_(engine.take_propagator(cnf)) {
    up_->push();
  }
  ~Borrowed() {
    up_->pop();
    engine_.give_back_propagator(cnf_, std::move(up_));
  }
  Borrowed(const Borrowed&) = delete;
  Borrowed& operator=(const Borrowed&) = delete;
  UnitPropagator& operator*() { return *up_; }

 private:
  const Engine& engine_;
  const CnfBuffer& cnf_;
  std::unique_ptr<UnitPropagator> up_;
};

}  // namespace

bool read_product(const Engine& engine, const PreparedSpec& spec,
                  const std::vector<uint32_t>& values, const CnfBuffer& cnf, ConfigureResult& out) {
  const Model& m = engine.model();
  if (values.size() != m.vars.size()) return false;
  Borrowed borrowed(engine, cnf);
  UnitPropagator& up = *borrowed;
  if (up.inconsistent()) return false;
  for (size_t v = 0; v < m.vars.size(); ++v) {
    if (!up.assume(m.vars[v].lits[values[v]])) return false;
  }
  // Every variable of the clauses must be settled; one that occurs in none (a gate of a rule a
  // relaxed form left out) is read by nothing below.
  const int catalog_vars = m.cnf.num_vars();
  for (int v = 1; v <= catalog_vars; ++v) {
    if (up.value(v) == 0 && up.occurs(v)) return false;  // left open (a bundle packing): a solver
  }
  // The spec's gates, as open_request encodes them, in clauses of their own over the catalog's
  // variables (now known) and new ones.
  CnfBuffer gates;
  while (gates.num_vars() < catalog_vars) gates.new_var();
  Request request;
  Circuit circuit(gates);
  request.terms = customer_price(engine, spec.tier);
  for (const auto& t : request.terms) request.total.add(t.amount, t.lit);
  ExprEncoder encoder(m, circuit, &request.total);
  try {
    for (const auto& pref : spec.preferences) request.preferences.push_back(encoder.boolean(*pref));
    for (const auto& measure : m.measures)
      request.measures.push_back(measure ? encoder.number(*measure) : Linear{});
  } catch (const EncodeError&) {
    return false;  // the solver path reports it
  }
  std::vector<int8_t> truth(static_cast<size_t>(gates.num_vars()) + 1, 0);
  for (int v = 1; v <= catalog_vars; ++v) truth[v] = static_cast<int8_t>(up.value(v));
  // What the answer reads must be known: the price terms, the measures, the preferences.
  auto known = [&](Lit l) { return std::abs(l) > catalog_vars || truth[std::abs(l)] != 0; };
  for (const auto& t : request.terms) {
    if (!known(t.lit)) return false;
  }
  for (const Linear& measure : request.measures) {
    for (auto [w, l] : measure.terms) {
      if (!known(l)) return false;
    }
  }
  if (gates.num_vars() > catalog_vars || gates.size() > 1) {
    UnitPropagator spec_up(gates);
    if (spec_up.inconsistent()) return false;
    for (int v = 1; v <= catalog_vars; ++v) {
      if (!spec_up.occurs(v)) continue;
      if (truth[v] == 0 || !spec_up.assume(truth[v] > 0 ? v : -v)) return false;
    }
    for (int v = catalog_vars + 1; v <= gates.num_vars(); ++v) {
      truth[v] = static_cast<int8_t>(spec_up.value(v));
      if (truth[v] == 0) return false;
    }
  }
  for (Lit l : request.preferences) {
    if (truth[std::abs(l)] == 0) return false;
  }
  Snapshot model = Snapshot::of(gates.num_vars(), [&](int v) { return truth[v] > 0; });
  extract_product(engine, spec, request, model, out);
  return true;
}

}  // namespace sumisura::detail
