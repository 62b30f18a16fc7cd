// The Configurator façade.
#include "sumisura/configurator.hpp"

#include <algorithm>

#include "reason/configure.hpp"
#include "reason/domains.hpp"
#include "reason/explain.hpp"

namespace sumisura {

const char* to_string(Status status) {
  switch (status) {
    case Status::optimal: return "optimal";
    case Status::feasible: return "feasible";
    case Status::infeasible: return "infeasible";
    case Status::unknown: return "unknown";
  }
  return "unknown";
}

Configurator::Configurator(Catalog catalog)
    : engine_(std::make_shared<detail::Engine>(std::make_shared<const Catalog>(std::move(catalog)))) {}

Configurator::Configurator(std::shared_ptr<const detail::Engine> engine) : engine_(std::move(engine)) {}

Configurator Configurator::from_file(const std::string& path, ModelFormat format) {
  return Configurator(load_catalog(path, format));
}

const Catalog& Configurator::catalog() const { return engine_->catalog(); }

ConfigureResult Configurator::configure(const Spec& spec, const Limits& limits) const {
  detail::PreparedSpec prepared = detail::prepare_spec(*engine_, spec);
  return detail::configure(*engine_, prepared, limits, detail::search_limits(limits));
}

Domains Configurator::domains(const std::vector<Requirement>& choices, const Limits& limits) const {
  Spec spec;
  spec.requirements = choices;
  detail::PreparedSpec prepared = detail::prepare_spec(*engine_, spec);
  detail::Request request = detail::open_request(*engine_, prepared);
  detail::SearchLimits search = detail::search_limits(limits);
  detail::DomainSolver solver(*engine_, *request.solver);
  detail::DomainAnswer answer = solver.compute(request.selectors, search);
  Domains out;
  out.feasible = answer.feasible;
  const detail::Model& m = engine_->model();
  const Catalog& c = engine_->catalog();
  if (!answer.feasible) {
    bool complete = true;
    std::vector<detail::Lit> core = detail::quickxplain(*request.solver, {}, request.selectors, search, complete);
    for (size_t i = 0; i < request.selectors.size(); ++i) {
      if (std::find(core.begin(), core.end(), request.selectors[i]) != core.end()) {
        out.conflict.requirements.push_back(choices[i].label());
        out.conflict.requirement_indices.push_back(i);
      }
    }
    out.conflict.minimal = complete;
    return out;
  }
  out.complete = answer.complete;
  for (size_t v = 0; v < m.vars.size(); ++v) {
    const detail::FdVar& fd = m.vars[v];
    Domains::Entry e;
    switch (fd.kind) {
      case detail::VarKind::option: {
        e.name = c.options[fd.owner].id;
        e.kind = "option";
        for (int k = 0; k < fd.size(); ++k) {
          if (answer.valid[v][k]) e.values.push_back(c.options[fd.owner].values[k].value);
        }
        break;
      }
      case detail::VarKind::slot: {
        e.name = c.slots[fd.owner].id;
        e.kind = "slot";
        for (int k = 0; k < fd.size(); ++k) {
          if (answer.valid[v][k]) e.values.push_back(Value::string(k == 0 ? "none" : c.slots[fd.owner].blocks[k - 1]));
        }
        break;
      }
      case detail::VarKind::quantity: {
        e.name = c.slots[fd.owner].id + "." + c.blocks[fd.block].id;
        e.kind = "quantity";
        for (int k = 0; k < fd.size(); ++k) {
          if (answer.valid[v][k]) e.values.push_back(Value::integer(k));
        }
        break;
      }
      case detail::VarKind::service: {
        e.name = c.services[fd.owner].id;
        e.kind = "service";
        for (int k = 0; k < fd.size(); ++k) {
          if (answer.valid[v][k]) e.values.push_back(Value::boolean(k == 1));
        }
        break;
      }
      case detail::VarKind::product: {
        e.name = "product";
        e.kind = "product";
        for (int k = 0; k < fd.size(); ++k) {
          if (answer.valid[v][k]) e.values.push_back(Value::string(c.products[k].id));
        }
        break;
      }
    }
    out.entries.push_back(std::move(e));
  }
  return out;
}

}  // namespace sumisura
