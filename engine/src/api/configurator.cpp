// The Configurator façade.
#include "sumisura/configurator.hpp"

#include <algorithm>

#include "reason/configure.hpp"

namespace sumisura {

const char* to_string(Status status) {
  switch (status) {
    case Status::optimal:
      return "optimal";
    case Status::feasible:
      return "feasible";
    case Status::infeasible:
      return "infeasible";
    case Status::unknown:
      return "unknown";
  }
  return "unknown";
}

Configurator::Configurator(Catalog catalog)
    : engine_(
          std::make_shared<detail::Engine>(std::make_shared<const Catalog>(std::move(catalog)))) {}

Configurator::Configurator(std::shared_ptr<const detail::Engine> engine)
    : engine_(std::move(engine)) {}

const Catalog& Configurator::catalog() const {
  return engine_->catalog();
}

ConfigureResult Configurator::configure(const Spec& spec, const Limits& limits) const {
  detail::PreparedSpec prepared = detail::prepare_spec(*engine_, spec);
  return detail::configure(*engine_, prepared, limits, detail::search_limits(limits));
}

}  // namespace sumisura
