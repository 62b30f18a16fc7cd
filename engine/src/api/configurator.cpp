// The Configurator façade.
#include "sumisura/configurator.hpp"

#include <algorithm>

#include "memory/customer.hpp"
#include "reason/configure.hpp"
#include "sumisura/session.hpp"

namespace sumisura {

std::vector<RuleRef> shopper_rules(const std::vector<RuleRef>& rules) {
  std::vector<RuleRef> out;
  for (const auto& r : rules) {
    if (r.kind != "slot" && r.kind != "product" && r.kind != "assembly") out.push_back(r);
  }
  return out.empty() ? rules : out;
}

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

namespace {

bool most_likely(const Spec& spec) {
  return std::find(spec.objective.begin(), spec.objective.end(), Objective::most_likely) !=
         spec.objective.end();
}

/// configure with Objective::most_likely: the choices made one by one in a session, which then
/// completes them as a customer accepting every recommendation would.
ConfigureResult configure_most_likely(const Configurator& configurator, const Spec& spec,
                                      const Profile* profile, const Limits& limits) {
  Session session = profile ? configurator.session(*profile) : configurator.session();
  Spec plain = spec;
  plain.objective.erase(
      std::remove(plain.objective.begin(), plain.objective.end(), Objective::most_likely),
      plain.objective.end());
  for (const auto& r : spec.requirements) {
    bool choice = r.kind == Requirement::Kind::assignment || r.kind == Requirement::Kind::product;
    if (!choice || !spec.preferences.empty() || !spec.tier.empty()) {
      throw Error(ErrorKind::spec,
                  "the objective most_likely takes choices NAME=VALUE only (no expressions, "
                  "bounds, preferences or tier): use it on a session, or drop it",
                  spec.source);
    }
    std::string name = r.kind == Requirement::Kind::product ? "product" : r.name;
    std::string value = r.kind == Requirement::Kind::product ? r.name : r.value;
    // A choice that contradicts the others: the plain answer explains the conflict.
    if (!session.choose(name, value, limits).accepted) {
      return profile ? configurator.configure(plain, *profile, limits)
                     : configurator.configure(plain, limits);
    }
  }
  std::vector<Objective> objective = spec.objective;
  return session.complete(objective, limits);
}

}  // namespace

ConfigureResult Configurator::configure(const Spec& spec, const Limits& limits) const {
  if (most_likely(spec)) return configure_most_likely(*this, spec, nullptr, limits);
  detail::PreparedSpec prepared = detail::prepare_spec(*engine_, spec);
  return detail::configure(*engine_, prepared, limits, detail::search_limits(limits));
}

ConfigureResult Configurator::configure(const Spec& spec, const Profile& profile,
                                        const Limits& limits) const {
  if (most_likely(spec)) return configure_most_likely(*this, spec, &profile, limits);
  return configure(detail::customer_spec(*this, spec, profile), limits);
}

Configurator Configurator::with_preferences(PreferenceModel model) const {
  Configurator out = *this;
  out.preferences_ = std::make_shared<const PreferenceModel>(std::move(model));
  return out;
}

}  // namespace sumisura
