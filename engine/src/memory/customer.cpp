// The customer a call serves (see customer.hpp), lifetime value and earned tiers.
#include "memory/customer.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "api/variables.hpp"
#include "reason/condition.hpp"
#include "reason/engine.hpp"
#include "reason/request.hpp"

namespace sumisura {
namespace detail {
namespace {

/// What the customer says now outweighs what they did before: a wish of weight 1 multiplies the
/// odds of the values it allows by e^5 (about 150), more than one past order's lead.
constexpr double kWishStrength = 5;

/// A value as the rule language writes it: numbers and booleans bare, text quoted.
std::string literal_text(const Value& v) {
  if (v.kind() != ValueKind::string) return v.to_string();
  std::string out(1, '"');
  out.append(v.to_string()).push_back('"');
  return out;
}

/// The sum of the orders' totals, an order without one priced on the catalog (unchecked).
Decimal orders_value(const Configurator& configurator, const Profile& profile) {
  Decimal sum;
  for (const auto& o : profile.orders) {
    if (o.total) {
      sum = Decimal::from_units(sum.units() + o.total->units());
      continue;
    }
    Spec spec;
    for (const auto& c : o.choices)
      spec.requirements.push_back(Requirement::assignment_of(c.name, c.value));
    spec.objective = {Objective::cheapest};
    Limits limits;
    limits.explain = false;
    ConfigureResult r = configurator.configure(spec, limits);
    if (r.status == Status::optimal || r.status == Status::feasible)
      sum = Decimal::from_units(sum.units() + r.price.total.units());
  }
  return sum;
}

/// tier_of for a profile already checked.
std::string earned_tier(const Configurator& configurator, const Profile& profile) {
  const Catalog& catalog = configurator.catalog();
  const Tier* best = nullptr;
  auto consider = [&](const Tier& t) {
    if (!best || t.discount_percent > best->discount_percent) best = &t;
  };
  bool named = profile.tier.empty();
  for (const auto& t : catalog.tiers) {
    if (t.id == profile.tier) {
      consider(t);
      named = true;
    }
  }
  if (!named) {
    throw Error(ErrorKind::spec,
                "the profile names tier '" + profile.tier + "', which the catalog does not have",
                profile.source);
  }
  bool earned = std::any_of(catalog.tiers.begin(), catalog.tiers.end(),
                            [](const Tier& t) { return t.lifetime_value.has_value(); });
  if (earned && !profile.orders.empty()) {
    Decimal value = orders_value(configurator, profile);
    for (const auto& t : catalog.tiers) {
      if (t.lifetime_value && value >= *t.lifetime_value) consider(t);
    }
  }
  return best ? best->id : std::string();
}

}  // namespace

bool Customer::knows(const std::string& name) const {
  if (model && model->names(name)) return true;
  if (profile) {
    for (const auto& o : profile->orders) {
      for (const auto& c : o.choices) {
        if (c.name == name) return true;
      }
    }
  }
  return wishes.count(name) > 0;
}

std::vector<ScoredValue> Customer::rank(const VariableState& v,
                                        const std::vector<Choice>& choices) const {
  std::vector<size_t> valid;
  std::vector<Value> candidates;
  for (size_t k = 0; k < v.values.size(); ++k) {
    if (!v.valid[k]) continue;
    valid.push_back(k);
    candidates.push_back(v.values[k]);
  }
  static const std::vector<Order> none;
  const std::vector<Order>& own = profile ? profile->orders : none;
  const PreferenceModel& scorer = model ? *model : *own_only;
  std::vector<double> s = scorer.scores(v.name, choices, candidates, own);
  if (auto it = wishes.find(v.name); it != wishes.end()) {
    for (const auto& wish : it->second) {
      for (size_t i = 0; i < valid.size(); ++i) {
        if (wish.allowed[valid[i]]) s[i] *= std::exp(kWishStrength * wish.weight);
      }
    }
    double sum = std::accumulate(s.begin(), s.end(), 0.0);
    for (auto& x : s) x = sum > 0 ? x / sum : x;
  }
  std::vector<ScoredValue> out;
  for (size_t i = 0; i < valid.size(); ++i) out.push_back({candidates[i], s[i]});
  // Ties: the catalog default first, then catalog order (stable).
  auto is_default = [&](const ScoredValue& x) {
    return v.default_value && x.value == *v.default_value;
  };
  std::stable_sort(out.begin(), out.end(), [&](const ScoredValue& a, const ScoredValue& b) {
    if (a.score != b.score) return a.score > b.score;
    return is_default(a) && !is_default(b);
  });
  return out;
}

std::shared_ptr<const Customer> make_customer(const Configurator& configurator,
                                              const Profile* profile) {
  auto c = std::make_shared<Customer>();
  c->model = configurator.preferences();
  if (!c->model) {
    c->own_only = std::make_shared<const PreferenceModel>(
        PreferenceModel::learn(configurator, {}, LearnOptions{PreferenceMethod::neighbours, 0.05}));
  }
  if (!profile) return c;
  c->profile = *profile;
  // Orders are checked now, so that a wrong one is named by its file and line at once.
  const PreferenceModel& check = c->model ? *c->model : *c->own_only;
  for (const auto& o : profile->orders) check.check(o);
  c->tier = earned_tier(configurator, *profile);
  if (profile->preferences.empty()) return c;
  const Engine& engine = *configurator.engine();
  Spec wishes;
  wishes.preferences = profile->preferences;
  wishes.source = profile->source;
  PreparedSpec prepared = prepare_spec(engine, wishes);
  for (size_t i = 0; i < prepared.preferences.size(); ++i) {
    Condition cond;
    if (!prepared.preferences[i] ||
        !single_variable(engine.model(), *prepared.preferences[i], cond) || cond.var < 0)
      continue;  // a wish over several variables weighs in configure, not in one ranking
    std::string name = describe_variable(engine.model(), cond.var).name;
    c->wishes[name].push_back({cond.allowed, profile->preferences[i].weight.to_double()});
  }
  return c;
}

void check_profile(const Configurator& configurator, const Profile& profile) {
  if (profile.orders.empty()) return;
  PreferenceModel names =
      PreferenceModel::learn(configurator, {}, LearnOptions{PreferenceMethod::neighbours, 0.05});
  for (const auto& o : profile.orders) names.check(o);
}

Spec customer_spec(const Configurator& configurator, Spec spec, const Profile& profile) {
  check_profile(configurator, profile);
  for (const auto& p : profile.preferences) spec.preferences.push_back(p);
  // What the customer chose before, option by option, as a preference as strong as the share of
  // their orders that chose it: a returning customer gets their size and colour again.
  const Catalog& catalog = configurator.catalog();
  if (!profile.orders.empty()) {
    for (const auto& option : catalog.options) {
      for (const auto& value : option.values) {
        size_t had = 0;
        for (const auto& o : profile.orders) {
          for (const auto& ch : o.choices) {
            if (ch.name != option.id) continue;
            bool same = ch.value == value.value.to_string();
            if (!same) {
              auto a = Decimal::parse(ch.value);
              same = a && value.value.kind() == ValueKind::number &&
                     a->to_string() == value.value.to_string();
            }
            had += same;
          }
        }
        if (had == 0) continue;
        Preference p;
        p.text = option.id;
        p.text.append(" == ").append(literal_text(value.value));
        double share = static_cast<double>(had) / static_cast<double>(profile.orders.size());
        p.weight = Decimal::from_units(std::llround(share * Decimal::kScale));
        spec.preferences.push_back(p);
      }
    }
  }
  if (spec.tier.empty()) spec.tier = earned_tier(configurator, profile);
  return spec;
}

}  // namespace detail

Decimal lifetime_value(const Configurator& configurator, const Profile& profile) {
  detail::check_profile(configurator, profile);
  return detail::orders_value(configurator, profile);
}

std::string tier_of(const Configurator& configurator, const Profile& profile) {
  detail::check_profile(configurator, profile);
  return detail::earned_tier(configurator, profile);
}

}  // namespace sumisura
