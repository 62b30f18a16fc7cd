// Session: a customer's choices over a shared engine, with complete domains after every click.
#include "sumisura/session.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "compile/defaults.hpp"
#include "memory/customer.hpp"
#include "reason/configure.hpp"
#include "reason/domains.hpp"
#include "reason/explain.hpp"

namespace sumisura {
namespace detail {

class SessionImpl {
 public:
  explicit SessionImpl(std::shared_ptr<const Engine> engine) : engine_(std::move(engine)) {}
  SessionImpl(const SessionImpl& other)
      : choices_(other.choices_),
        history_(other.history_),
        owner_(other.owner_),
        customer_(other.customer_),
        tier_(other.tier_),
        engine_(other.engine_) {}

  const Engine& engine() const { return *engine_; }
  const std::shared_ptr<const Engine>& engine_ptr() const { return engine_; }
  std::vector<Choice> choices_;
  std::vector<std::vector<Choice>> history_;
  std::optional<Configurator> owner_;         ///< what made the session: its preference model
  std::shared_ptr<const Customer> customer_;  ///< made on first use: sessions stay cheap
  int tier_ = -1;                             ///< the customer's tier, -1: none

  const Customer& customer() {
    if (!customer_) customer_ = make_customer(*owner_, nullptr);
    return *customer_;
  }

  void serve(const Profile& profile) {
    customer_ = make_customer(*owner_, &profile);
    tier_ = -1;
    const auto& tiers = engine_->catalog().tiers;
    for (size_t t = 0; t < tiers.size(); ++t) {
      if (tiers[t].id == customer_->tier) tier_ = static_cast<int>(t);
    }
    cheapest_.reset();  // the price the minimisers minimise has changed
    dearest_.reset();
    range_cached_ = false;
  }

  /// What this customer pays: the catalog's price terms and their tier's discount.
  std::vector<PriceTerm> price_terms() const { return customer_price(*engine_, tier_); }

  void changed() {
    cached_.reset();
    range_cached_ = false;
    count_cached_ = false;
  }

  void ensure_solver() {
    if (solver_) return;
    solver_ = engine_->solver();
    circuit_ = std::make_unique<Circuit>(*solver_);
    domains_ = std::make_unique<DomainSolver>(*engine_, *solver_);
    // Gates belong to a circuit: literals made without one are values of the model, kept.
  }

  /// The literal of a choice. Values of finite-domain variables need no solver (sessions on the
  /// compiled back end never make one); an empty slot holding several blocks is a gate.
  Lit literal(const Choice& c) {
    auto key = std::make_pair(c.name, c.value);
    auto it = literals_.find(key);
    if (it != literals_.end()) return it->second;
    Assignment a = resolve_assignment(*engine_, c.name, c.value);
    if (needs_circuit(a)) ensure_solver();
    Lit l = assignment_lit(engine_->model(), circuit_.get(), a);
    literals_.emplace(key, l);
    return l;
  }

  std::vector<Lit> literals(const std::vector<Choice>& choices) {
    std::vector<Lit> out;
    for (const auto& c : choices) out.push_back(literal(c));
    return out;
  }

  /// Positions of the choices a conflict over `lits` names: one choice per literal (two choices
  /// can mean the same thing, e.g. a slot's block and that block being included), the first.
  static std::vector<size_t> named(const std::vector<Lit>& lits, const std::vector<Lit>& core) {
    std::vector<size_t> out;
    std::vector<Lit> seen;
    for (size_t i = 0; i < lits.size(); ++i) {
      if (std::find(core.begin(), core.end(), lits[i]) == core.end()) continue;
      if (std::find(seen.begin(), seen.end(), lits[i]) != seen.end()) continue;
      seen.push_back(lits[i]);
      out.push_back(i);
    }
    return out;
  }

  static std::vector<Lit> distinct(const std::vector<Lit>& lits) {
    std::vector<Lit> out;
    for (Lit l : lits) {
      if (std::find(out.begin(), out.end(), l) == out.end()) out.push_back(l);
    }
    return out;
  }

  std::vector<Choice> without(const std::string& name) const {
    std::vector<Choice> out;
    for (const auto& c : choices_) {
      if (c.name != name) out.push_back(c);
    }
    return out;
  }

  /// Whether a new choice keeps the session consistent. When the current domains are known and
  /// the choice only adds to the current choices, they answer without a solver call.
  bool known_valid(const std::string& name, const std::string& value) {
    if (!cached_ || !cached_->feasible) return false;
    for (const auto& c : choices_) {
      if (c.name == name) return false;  // a replacement: the domains do not say
    }
    Lit l = literal({name, value});
    const Model& m = engine_->model();
    int v = std::abs(l) < static_cast<int>(m.fd_of_sat.size()) ? m.fd_of_sat[std::abs(l)] : -1;
    if (v < 0) return false;
    for (int k = 0; k < m.vars[v].size(); ++k) {
      if (m.vars[v].lits[k] == l) return cached_->valid[v][k];
    }
    return false;
  }

  bool consistent(const std::vector<Choice>& choices, const SearchLimits& limits,
                  SatResult* result = nullptr) {
    std::vector<Lit> lits = literals(choices);
    if (DomainAnswer compiled; compiled_domains(*engine_, lits, compiled)) {
      if (result) *result = compiled.feasible ? SatResult::sat : SatResult::unsat;
      bool feasible = compiled.feasible;
      // The domains of these choices, should they be accepted: the next state() needs them.
      checked_ = {choices, std::move(compiled)};
      return feasible;
    }
    ensure_solver();
    SatResult r = solver_->solve(lits, limits);
    if (result) *result = r;
    if (r == SatResult::sat) domains_->remember(make_witness(engine_->model(), Snapshot(*solver_)));
    return r == SatResult::sat;
  }

  const DomainAnswer& answer(const SearchLimits& limits) {
    if (!cached_) {
      if (checked_ && checked_->first == choices_) {
        cached_ = std::move(checked_->second);
        checked_.reset();
        return *cached_;
      }
      std::vector<Lit> lits = literals(choices_);
      if (DomainAnswer compiled; compiled_domains(*engine_, lits, compiled)) {
        cached_ = std::move(compiled);
        return *cached_;
      }
      if (limits.expired() || (!solver_ && !engine_->time_to_copy_solver(limits))) {
        partial_ = nothing_known(engine_->model());  // out of time before any search
        return *partial_;
      }
      ensure_solver();
      auto seeds = engine_->initial_witnesses(limits);
      cached_ = domains_->compute(lits, limits, seeds.get());
      if (!cached_->complete) {
        DomainAnswer partial = *cached_;
        cached_.reset();
        partial_ = std::move(partial);
        return *partial_;
      }
    }
    return *cached_;
  }

  Explanation explain(const std::vector<Choice>& context, const Choice& target,
                      const SearchLimits& limits) {
    Explanation out;
    ensure_solver();
    Lit goal = literal(target);
    std::vector<Lit> lits = literals(context);
    std::vector<Lit> all = lits;
    all.push_back(goal);
    SatResult r = solver_->solve(all, limits);
    if (r == SatResult::sat) {
      out.available = true;
      return out;
    }
    bool complete = r == SatResult::unsat;
    std::vector<Lit> core =
        complete ? quickxplain(*solver_, {goal}, distinct(lits), limits, complete) : lits;
    std::vector<Choice> chosen;
    for (size_t i : named(lits, core)) chosen.push_back(context[i]);
    out.choices = chosen;
    // The catalog rules involved: in an explanation solver, with the goal and the chosen subset.
    Spec spec;
    for (const auto& c : chosen)
      spec.requirements.push_back(Requirement::assignment_of(c.name, c.value));
    spec.requirements.push_back(Requirement::assignment_of(target.name, target.value));
    PreparedSpec prepared = prepare_spec(*engine_, spec);
    std::vector<int> all_indices(spec.requirements.size());
    for (size_t i = 0; i < all_indices.size(); ++i) all_indices[i] = i;
    bool rules_complete = true;
    out.rules = explain_rules(*engine_, prepared, all_indices, limits, rules_complete);
    out.minimal = complete && rules_complete;
    return out;
  }

  /// How states show the catalog's variables (names, kinds, values, the texts choices use), the
  /// same for every state: built once per engine and shared by its sessions.
  struct Layout {
    std::vector<VariableState> entries;           // valid all false, nothing chosen
    std::vector<std::vector<std::string>> texts;  // per entry, per value, as a choice writes it
    std::vector<int> var;                         // per entry: its FdVar, or -1 (multi-block slot)
    std::vector<int> slot;                        // per entry: the multi-block slot, or -1
    std::vector<int> default_index;               // per entry: the option default's value, or -1
    std::unordered_map<std::string, int> entry_of;
  };

  static std::shared_ptr<const Layout> build_layout(const Engine& engine) {
    const Model& m = engine.model();
    const Catalog& c = engine.catalog();
    auto l = std::make_shared<Layout>();
    auto add = [&](VariableState e, std::vector<std::string> texts, int var, int slot, int def) {
      e.valid.assign(e.values.size(), false);
      l->entry_of.emplace(e.name, static_cast<int>(l->entries.size()));
      l->entries.push_back(std::move(e));
      l->texts.push_back(std::move(texts));
      l->var.push_back(var);
      l->slot.push_back(slot);
      l->default_index.push_back(def);
    };
    // Shown for options and single-block slots (a slot holding several has no single value).
    std::vector<int> defaults = default_values(m);
    for (size_t v = 0; v < m.vars.size(); ++v) {
      const FdVar& fd = m.vars[v];
      if (fd.kind == VarKind::quantity) continue;  // shown per slot below
      VariableState e;
      std::vector<std::string> texts;
      int def = defaults[v];
      switch (fd.kind) {
        case VarKind::option: {
          const Option& o = c.options[fd.owner];
          e.name = o.id;
          e.kind = "option";
          for (int k = 0; k < fd.size(); ++k) e.values.push_back(o.values[k].value);
          break;
        }
        case VarKind::slot: {
          const Slot& slot = c.slots[fd.owner];
          e.name = slot.id;
          e.kind = "slot";
          for (int k = 0; k < fd.size(); ++k)
            e.values.push_back(Value::string(k == 0 ? "none" : slot.blocks[k - 1]));
          break;
        }
        case VarKind::service:
        case VarKind::product: {
          bool service = fd.kind == VarKind::service;
          e.name = service ? c.services[fd.owner].id : "product";
          e.kind = service ? "service" : "product";
          for (int k = 0; k < fd.size(); ++k)
            e.values.push_back(service ? Value::boolean(k == 1) : Value::string(c.products[k].id));
          break;
        }
        case VarKind::quantity:
          break;
      }
      for (const auto& val : e.values) texts.push_back(val.to_string());
      add(std::move(e), std::move(texts), static_cast<int>(v), -1, def);
    }
    // Slots holding several blocks: a block is valid when some valid product has it in the slot.
    for (size_t slot = 0; slot < c.slots.size(); ++slot) {
      if (m.slot_var[slot] >= 0) continue;
      VariableState e;
      e.name = c.slots[slot].id;
      e.kind = "slot";
      for (size_t pos = 0; pos < m.quantity_vars[slot].size(); ++pos)
        e.values.push_back(Value::string(c.slots[slot].blocks[pos]));
      std::vector<std::string> texts;
      for (const auto& val : e.values) texts.push_back(val.to_string());
      add(std::move(e), std::move(texts), -1, static_cast<int>(slot), -1);
    }
    return l;
  }

  /// For SLOT.BLOCK (a block's quantity in a slot holding several): the layout entry of the slot,
  /// or -1. Ids may hold dots: every split is tried, from the right.
  static int quantity_entry(const Layout& l, const std::string& name) {
    size_t length = block_length(l, name);
    if (length == 0) return -1;
    return l.entry_of.at(name.substr(0, name.size() - length - 1));
  }
  /// The length of BLOCK in SLOT.BLOCK, or 0 when `name` is no such pair.
  static size_t block_length(const Layout& l, const std::string& name) {
    for (size_t dot = name.rfind('.'); dot != std::string::npos && dot > 0;
         dot = name.rfind('.', dot - 1)) {
      auto it = l.entry_of.find(name.substr(0, dot));
      if (it == l.entry_of.end() || l.var[it->second] >= 0) continue;
      const auto& texts = l.texts[it->second];
      if (std::find(texts.begin(), texts.end(), name.substr(dot + 1)) != texts.end())
        return name.size() - dot - 1;
    }
    return 0;
  }

  /// The layout entry of the one slot that can hold `block`, or -1 (none, or several).
  static int slot_of_block(const Layout& l, const std::string& block) {
    int found = -1;
    for (size_t i = 0; i < l.entries.size(); ++i) {
      if (l.entries[i].kind != "slot") continue;
      for (const auto& text : l.texts[i]) {
        if (text != block) continue;
        if (found >= 0) return -1;
        found = static_cast<int>(i);
      }
    }
    return found;
  }

  const Layout& layout() {
    if (!layout_) {
      layout_ = std::static_pointer_cast<const Layout>(
          engine_->facade_cache([this] { return build_layout(*engine_); }));
    }
    return *layout_;
  }

  /// `price_limits`: for the price range (default: `limits`). The state is the session's own,
  /// updated in place (a catalog with thousands of variables is not rebuilt at every click).
  const SessionState& state(const SearchLimits& limits, bool with_price = true,
                            const SearchLimits* price_limits = nullptr) {
    const Model& m = engine_->model();
    const Catalog& c = engine_->catalog();
    SessionState& s = state_;
    const DomainAnswer& a = answer(limits);
    s.currency = c.currency;
    s.consistent = a.feasible;
    s.complete = a.complete;
    s.count = completions();
    s.price_min.reset();
    s.price_max.reset();
    s.price_limited = false;
    if (!a.feasible) {
      s.variables.clear();
      return s;
    }
    const Layout& l = layout();
    if (s.variables.size() != l.entries.size()) s.variables = l.entries;
    for (size_t i = 0; i < l.entries.size(); ++i) {
      VariableState& e = s.variables[i];
      e.chosen.reset();
      e.implied.reset();
      e.default_value.reset();
      int count = 0, last = -1;
      for (size_t k = 0; k < e.values.size(); ++k) {
        bool valid;
        if (l.var[i] >= 0) {
          valid = a.valid[l.var[i]][k];
        } else {
          int q = m.quantity_vars[l.slot[i]][k];
          valid = false;
          for (int j = 1; j < m.vars[q].size(); ++j) valid = valid || a.valid[q][j];
        }
        e.valid[k] = valid;
        if (valid) {
          ++count;
          last = static_cast<int>(k);
        }
      }
      if (l.var[i] >= 0 && count == 1) e.implied = e.values[last];
    }
    for (const auto& ch : choices_) {
      auto it = l.entry_of.find(ch.name);
      if (it == l.entry_of.end()) {
        // A quantity (`accessories.shoe_trees=2`, `hd_units.hd_unit=2`) shows as the choice of
        // that block in its slot.
        if (int entry = quantity_entry(l, ch.name); entry >= 0) {
          if (ch.value != "0")
            s.variables[entry].chosen =
                Value::string(ch.name.substr(ch.name.size() - block_length(l, ch.name)));
          continue;
        }
        // A block chosen by name (`insole_cork=true`) shows as the choice of the one slot that
        // can hold it.
        if (ch.value != "true") continue;
        int slot = slot_of_block(l, ch.name);
        if (slot < 0) continue;
        s.variables[slot].chosen = Value::string(ch.name);
        s.variables[slot].implied.reset();
        continue;
      }
      VariableState& e = s.variables[it->second];
      if (l.var[it->second] < 0) {
        // A choice on a slot holding several blocks names one block (or none) to have in it.
        e.chosen = Value::string(ch.value);
        continue;
      }
      const auto& texts = l.texts[it->second];
      for (size_t k = 0; k < texts.size(); ++k) {
        if (texts[k] == ch.value) e.chosen = e.values[k];
      }
      if (e.chosen) e.implied.reset();
    }
    for (size_t i = 0; i < l.entries.size(); ++i) {
      VariableState& e = s.variables[i];
      int def = l.default_index[i];
      if (def >= 0 && !e.chosen && !e.implied && e.valid[def]) e.default_value = e.values[def];
    }
    if (with_price && a.feasible && !m.price.empty())
      price_range(s, price_limits ? *price_limits : limits);
    return s;
  }

  /// The number of valid products extending the choices, from the compiled form when it answers
  /// (every choice a value of a variable); empty otherwise. One pass, cached per choices.
  std::string completions() {
    if (count_cached_) return count_;
    if (cached_ && !cached_->count.empty()) return cached_->count;  // counted with the domains
    const CompiledCatalog* compiled = engine_->compiled();
    if (!compiled) return {};
    std::vector<std::pair<int, uint32_t>> fixed;
    if (!value_assumptions(engine_->model(), literals(choices_), fixed)) return {};
    count_ = compiled->count(fixed).str();
    count_cached_ = true;
    return count_;
  }

  /// The price range from the priced compiled form, in two passes, when it has one and every
  /// choice is a value of a variable. On a relaxed form (the catalog did not compile with all its
  /// rules), each end from a product that meets the rule it left out: the weighted pass's when it
  /// does, else the pass bounded by the rule's sum; search otherwise.
  bool compiled_price_range() {
    const CompiledCatalog* compiled = engine_->compiled();
    if (!compiled) compiled = engine_->relaxed_now();
    if (!compiled || !compiled->has_prices()) return false;
    const Model& m = engine_->model();
    FixedValues fixed;
    if (!value_assumptions(m, literals(choices_), fixed)) return false;
    PriceTerms terms;
    for (const auto& t : price_terms()) terms.push_back({t.lit, t.amount});
    std::optional<std::pair<int64_t, int64_t>> range;
    if (compiled->left_out().empty()) {
      range = compiled->price_range(fixed, terms);
    } else {
      std::pair<std::vector<uint32_t>, std::vector<uint32_t>> products;
      const auto defaults = default_costs(m);
      range = compiled->price_range_tied(fixed, terms, defaults, products);
      // An end whose product breaks the rule left out: that end again, by the pass bounded by the
      // rule's sum (Pareto frontiers: slower, still exact), where the rule is linear. Mostly the
      // dearest (a frame that carries less); the other end keeps its one weighted pass.
      auto settle = [&](bool dearest, std::vector<uint32_t>& product, int64_t& end) {
        if (compiled->meets_left_out(m, product)) return true;
        if (!compiled->bounds_left_out()) return false;
        auto bounded = compiled->price_end_tied(fixed, terms, defaults, dearest, product, true);
        if (!bounded || !compiled->meets_left_out(m, product)) return false;
        end = *bounded;
        return true;
      };
      if (range && !(settle(false, products.first, range->first) &&
                     settle(true, products.second, range->second)))
        return false;
    }
    if (!range) return false;
    range_ = {Decimal::from_units(range->first), Decimal::from_units(range->second)};
    return true;
  }

  /// The range by two minimisations, or from a state some session of this catalog has priced
  /// already. Only choices that are literals of the model itself make a key: a session's own
  /// gates mean nothing to another session. False when a limit left no range.
  bool search_price_range(SessionState& s, const SearchLimits& limits) {
    const std::vector<Lit> choices = literals(choices_);
    const int model_vars = engine_->model().cnf.num_vars();
    const bool shareable = std::all_of(choices.begin(), choices.end(),
                                       [&](Lit l) { return std::abs(l) <= model_vars; });
    if (auto known = shareable ? engine_->price_ranges().find(tier_, choices) : std::nullopt) {
      range_ = {Decimal::from_units(known->first), Decimal::from_units(known->second)};
      range_cached_ = true;
      return true;
    }
    ensure_solver();
    if (!cheapest_) {
      Linear total;
      for (const auto& t : price_terms()) total.add(t.amount, t.lit);
      Linear negated;
      negated.add(total, -1);
      cheapest_ = std::make_unique<Minimizer>(total);
      dearest_ = std::make_unique<Minimizer>(negated);
    }
    range_ = {};
    for (int pass = 0; pass < 2; ++pass) {
      std::vector<Lit> assumptions = choices;  // run() extends them
      Minimizer& m = pass == 0 ? *cheapest_ : *dearest_;
      int64_t known = 0;
      Minimum found;
      if (m.still_optimal(assumptions, known)) {
        found = {true, known};
      } else {
        SatResult first = solver_->solve(assumptions, limits);
        if (first == SatResult::unknown) s.price_limited = true;
        if (first != SatResult::sat) return false;
        Snapshot best(*solver_);
        found = m.run(*solver_, *circuit_, assumptions, best, limits);
      }
      if (!found.optimal) {  // a limit: no range rather than a wrong one
        s.price_limited = true;
        return false;
      }
      if (pass == 0)
        range_.first = Decimal::from_units(found.value);
      else
        range_.second = Decimal::from_units(-found.value);
    }
    range_cached_ = true;
    if (shareable)
      engine_->price_ranges().remember(tier_, choices,
                                       {range_.first->units(), range_.second->units()});
    return true;
  }

  /// A minimal subset of the choices that contradict each other (empty when they do not).
  std::vector<size_t> conflict(const SearchLimits& limits, bool& complete) {
    ensure_solver();
    std::vector<Lit> lits = literals(choices_);
    std::vector<Lit> core = quickxplain(*solver_, {}, distinct(lits), limits, complete);
    return named(lits, core);
  }

  // The range of the total price over all valid completions: two passes over the priced form, or
  // two minimisations that resume between clicks (what they learnt stays true while choices are
  // only added), cached per choices.
  void price_range(SessionState& s, const SearchLimits& limits) {
    if (!range_cached_ && compiled_price_range()) range_cached_ = true;
    if (!range_cached_ && !search_price_range(s, limits)) return;
    s.price_min = range_.first;
    s.price_max = range_.second;
  }

 private:
  std::shared_ptr<const Engine> engine_;
  std::unique_ptr<SatSolver> solver_;
  std::unique_ptr<Circuit> circuit_;
  std::unique_ptr<Minimizer> cheapest_, dearest_;  // tied to solver_
  std::pair<std::optional<Decimal>, std::optional<Decimal>> range_;
  bool range_cached_ = false;
  std::string count_;
  bool count_cached_ = false;
  std::shared_ptr<const Layout> layout_;
  SessionState state_;
  std::unique_ptr<DomainSolver> domains_;
  std::map<std::pair<std::string, std::string>, Lit> literals_;
  std::optional<DomainAnswer> cached_;
  /// The diagram's answer for the choices consistent() last checked (a replaced choice).
  std::optional<std::pair<std::vector<Choice>, DomainAnswer>> checked_;
  std::optional<DomainAnswer> partial_;
};

}  // namespace detail

std::vector<Value> VariableState::valid_values() const {
  std::vector<Value> out;
  for (size_t k = 0; k < values.size(); ++k) {
    if (valid[k]) out.push_back(values[k]);
  }
  return out;
}

const VariableState* SessionState::find(const std::string& name) const {
  for (const auto& v : variables) {
    if (v.name == name) return &v;
  }
  return nullptr;
}

Session Configurator::session() const {
  return Session(*this);
}

Session Configurator::session(const Profile& profile) const {
  Session s(*this);
  s.set_profile(profile);
  return s;
}

Domains Configurator::domains(const std::vector<Requirement>& choices, const Limits& limits) const {
  Session session(*this);
  auto& impl = *session.impl_;
  for (const auto& c : choices) {
    if (c.kind != Requirement::Kind::assignment) {
      throw Error(ErrorKind::spec, "domains takes choices NAME=VALUE, not '" + c.label() + "'");
    }
    detail::resolve_assignment(*engine_, c.name, c.value);
    impl.choices_.push_back({c.name, c.value});
  }
  detail::SearchLimits search = detail::search_limits(limits);
  const SessionState& state = impl.state(search, /*with_price=*/false);
  Domains out;
  out.feasible = state.consistent;
  out.complete = state.complete;
  if (!state.consistent) {
    bool complete = true;
    for (size_t i : impl.conflict(search, complete)) {
      out.conflict.requirements.push_back(choices[i].label());
      out.conflict.requirement_indices.push_back(i);
    }
    out.conflict.minimal = complete;
    return out;
  }
  for (const auto& v : state.variables) out.entries.push_back({v.name, v.kind, v.valid_values()});
  return out;
}

Session::Session(const Configurator& configurator)
    : impl_(std::make_unique<detail::SessionImpl>(configurator.engine())) {
  impl_->owner_ = configurator;
}
Session::~Session() = default;
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&&) noexcept = default;
Session::Session(const Session& other)
    : impl_(std::make_unique<detail::SessionImpl>(*other.impl_)) {}
Session& Session::operator=(const Session& other) {
  if (this != &other) impl_ = std::make_unique<detail::SessionImpl>(*other.impl_);
  return *this;
}

const std::vector<Choice>& Session::choices() const {
  return impl_->choices_;
}

ChooseResult Session::choose(const std::string& name, const std::string& value,
                             const Limits& limits) {
  detail::resolve_assignment(impl_->engine(), name, value);  // throws for unknown names and values
  ChooseResult out;
  std::vector<Choice> next = impl_->without(name);
  next.push_back({name, value});
  detail::SearchLimits search = detail::search_limits(limits);
  detail::SatResult r = detail::SatResult::sat;
  if (impl_->known_valid(name, value) || impl_->consistent(next, search, &r)) {
    impl_->history_.push_back(impl_->choices_);
    impl_->choices_ = std::move(next);
    impl_->changed();
    out.accepted = true;
    return out;
  }
  if (r == detail::SatResult::unknown) {
    out.limit_reached = true;  // a limit stopped the check: refused, without an explanation
    out.explanation.minimal = false;
    return out;
  }
  out.explanation = impl_->explain(impl_->without(name), {name, value}, search);
  return out;
}

void Session::unchoose(const std::string& name) {
  std::vector<Choice> next = impl_->without(name);
  if (next.size() == impl_->choices_.size()) return;
  impl_->history_.push_back(impl_->choices_);
  impl_->choices_ = std::move(next);
  impl_->changed();
}

void Session::undo() {
  if (impl_->history_.empty()) throw Error(ErrorKind::usage, "nothing to undo");
  impl_->choices_ = std::move(impl_->history_.back());
  impl_->history_.pop_back();
  impl_->changed();
}

void Session::reset() {
  if (impl_->choices_.empty()) return;
  impl_->history_.push_back(impl_->choices_);
  impl_->choices_.clear();
  impl_->changed();
}

const SessionState& Session::state(const Limits& limits) {
  detail::SearchLimits search = detail::search_limits(limits);
  detail::SearchLimits price = search.within(limits.price_seconds);
  return impl_->state(search, true, &price);
}

Explanation Session::explain(const std::string& name, const std::string& value,
                             const Limits& limits) {
  detail::resolve_assignment(impl_->engine(), name, value);
  return impl_->explain(impl_->without(name), {name, value}, detail::search_limits(limits));
}

std::vector<ChoiceRepair> Session::repairs(const std::string& name, const std::string& value,
                                           const Limits& limits) {
  detail::resolve_assignment(impl_->engine(), name, value);
  std::vector<Choice> context = impl_->without(name);
  Spec spec;
  for (const auto& c : context)
    spec.requirements.push_back(Requirement::assignment_of(c.name, c.value));
  spec.requirements.push_back(Requirement::assignment_of(name, value));
  std::vector<bool> hard(spec.requirements.size(), false);
  hard.back() = true;
  detail::PreparedSpec prepared = detail::prepare_spec(impl_->engine(), spec);
  Limits inner = limits;
  inner.max_repairs = limits.max_repairs;
  std::vector<Repair> found =
      detail::find_repairs(impl_->engine(), prepared, inner, detail::search_limits(limits), hard);
  std::vector<ChoiceRepair> out;
  for (const auto& r : found) {
    ChoiceRepair cr;
    for (int i : r.drop_indices) cr.drop.push_back(context[i]);
    out.push_back(std::move(cr));
  }
  return out;
}

ConfigureResult Session::complete(const std::vector<Objective>& objective, const Limits& limits) {
  std::vector<Objective> rest;
  for (auto o : objective) {
    if (o != Objective::most_likely) rest.push_back(o);
  }
  if (rest.size() != objective.size()) {
    // Accept the best recommendation, most certain first, while any variable is left to guess.
    Session guess(*this);
    for (;;) {
      const SessionState& s = guess.state(limits);
      if (!s.consistent || !s.complete) break;
      std::optional<std::pair<std::string, ScoredValue>> best;
      for (const auto& v : s.variables) {
        if (v.chosen || v.implied || !guess.impl_->customer().knows(v.name)) continue;
        std::vector<ScoredValue> ranked = guess.impl_->customer().rank(v, guess.impl_->choices_);
        if (ranked.size() < 2) continue;
        if (!best || ranked[0].score > best->second.score) best = {{v.name, ranked[0]}};
      }
      if (!best || !guess.choose(best->first, best->second.value.to_string(), limits).accepted)
        break;
    }
    return guess.complete(rest, limits);
  }
  Spec spec;
  for (const auto& c : impl_->choices_)
    spec.requirements.push_back(Requirement::assignment_of(c.name, c.value));
  spec.objective = objective;
  if (impl_->customer_) spec.tier = impl_->customer_->tier;
  detail::PreparedSpec prepared = detail::prepare_spec(impl_->engine(), spec);
  return detail::configure(impl_->engine(), prepared, limits, detail::search_limits(limits));
}

std::vector<ScoredValue> Session::recommend(const std::string& name, const Limits& limits) {
  const SessionState& s = state(limits);
  const VariableState* v = s.find(name);
  if (!v) {
    if (!s.consistent) return {};
    throw Error(ErrorKind::spec, "the catalog has no option, slot, service or product '" + name +
                                     "' to recommend values for");
  }
  return impl_->customer().rank(*v, impl_->choices_);
}

std::optional<Recommendation> Session::recommend_next(const Limits& limits) {
  const SessionState& s = state(limits);
  const detail::Customer& customer = impl_->customer();
  std::optional<Recommendation> best, first;
  double best_entropy = -1;
  for (const auto& v : s.variables) {
    if (v.chosen || v.implied) continue;
    std::vector<ScoredValue> ranked = customer.rank(v, impl_->choices_);
    if (ranked.size() < 2) continue;
    if (!first) first = Recommendation{v.name, ranked};
    if (!customer.knows(v.name)) continue;
    double entropy = 0;
    for (const auto& x : ranked) entropy -= x.score > 0 ? x.score * std::log(x.score) : 0;
    if (entropy > best_entropy) {
      best_entropy = entropy;
      best = Recommendation{v.name, std::move(ranked)};
    }
  }
  return best ? best : first;
}

void Session::set_profile(const Profile& profile) {
  impl_->serve(profile);
}

const Profile* Session::profile() const {
  const auto& c = impl_->customer_;
  return c && c->profile ? &*c->profile : nullptr;
}

namespace {

/// The catalog's content as saved sessions record it (hex of the model fingerprint).
std::string catalog_fingerprint(const detail::Engine& engine) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx",
                static_cast<unsigned long long>(engine.fingerprint()));
  return text;
}

}  // namespace

std::string Session::to_json() const {
  nlohmann::ordered_json j;
  const Catalog& c = impl_->engine().catalog();
  j["format"] = "sumisura-session/1";
  // The fingerprint tells a changed catalog even when its version string was not changed.
  j["catalog"] = {{"name", c.name},
                  {"version", c.version},
                  {"fingerprint", catalog_fingerprint(impl_->engine())}};
  auto list = [](const std::vector<Choice>& choices) {
    nlohmann::ordered_json a = nlohmann::ordered_json::array();
    for (const auto& ch : choices) a.push_back({{"name", ch.name}, {"value", ch.value}});
    return a;
  };
  j["choices"] = list(impl_->choices_);
  nlohmann::ordered_json history = nlohmann::ordered_json::array();
  for (const auto& h : impl_->history_) history.push_back(list(h));
  j["history"] = history;
  return j.dump();
}

Session Session::from_json(const Configurator& configurator, const std::string& text,
                           ResumeReport* report, const Limits& limits) {
  auto bad = [](const std::string& why) {
    return Error(ErrorKind::spec, "malformed session: " + why);
  };
  // A saved session is four levels deep: deeper input is refused before it exhausts the stack.
  constexpr int kMaxDepth = 16;
  auto bounded = [&](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
    if (depth > kMaxDepth) throw bad("nested deeper than " + std::to_string(kMaxDepth) + " levels");
    return true;
  };
  nlohmann::json j = nlohmann::json::parse(text, bounded, false);
  if (j.is_discarded() || !j.is_object()) throw bad("not a JSON object");
  auto text_field = [&](const nlohmann::json& o, const char* key) -> std::string {
    auto it = o.find(key);
    if (it == o.end()) return {};
    if (!it->is_string()) throw bad(std::string("\"") + key + "\" must be text");
    return it->get<std::string>();
  };
  if (text_field(j, "format") != "sumisura-session/1")
    throw bad("missing \"format\": \"sumisura-session/1\"");
  // A session belongs to its catalog: in another one its choices mean something else. Under
  // another version of the same catalog, what still holds is kept.
  const Catalog& catalog = configurator.catalog();
  ResumeReport local;
  ResumeReport& rep = report ? *report : local;
  rep = ResumeReport{};
  if (j.contains("catalog")) {
    if (!j["catalog"].is_object())
      throw bad("\"catalog\" must be {\"name\": ..., \"version\": ...}");
    std::string name = text_field(j["catalog"], "name");
    std::string version = text_field(j["catalog"], "version");
    if (name != catalog.name) {
      throw Error(ErrorKind::spec, "this session was saved under catalog '" + name + "' version '" +
                                       version + "', not '" + catalog.name + "' version '" +
                                       catalog.version +
                                       "': resume it with that catalog, or start a new session");
    }
    rep.saved_version = version;
    std::string fingerprint = text_field(j["catalog"], "fingerprint");
    rep.catalog_changed =
        version != catalog.version ||
        (!fingerprint.empty() && fingerprint != catalog_fingerprint(*configurator.engine()));
  }
  auto read = [&](const nlohmann::json& a) {
    std::vector<Choice> out;
    if (!a.is_array()) throw bad("choices must be a list");
    for (const auto& item : a) {
      if (!item.is_object() || !item.contains("name") || !item.contains("value") ||
          !item["name"].is_string() || !item["value"].is_string()) {
        throw bad("each choice is {\"name\": ..., \"value\": ...} with text values");
      }
      out.push_back({item["name"].get<std::string>(), item["value"].get<std::string>()});
    }
    return out;
  };
  Session s(configurator);
  std::vector<Choice> saved = read(j.value("choices", nlohmann::json::array()));
  std::vector<std::vector<Choice>> history;
  for (const auto& h : j.value("history", nlohmann::json::array())) history.push_back(read(h));
  if (!rep.catalog_changed) {
    // Every name and value must exist in the catalog it was saved under.
    for (const auto& c : saved) detail::resolve_assignment(s.impl_->engine(), c.name, c.value);
    s.impl_->choices_ = std::move(saved);
    s.impl_->history_ = std::move(history);
    rep.kept = s.impl_->choices_;
    return s;
  }
  // Another version: replay the choices in their order, keeping each that still exists and
  // still leaves a valid product with those kept before it, all within `limits`.
  auto start = std::chrono::steady_clock::now();
  for (const auto& c : saved) {
    Limits left = limits;
    if (limits.seconds > 0) {
      left.seconds =
          limits.seconds -
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (left.seconds <= 0) {
        rep.dropped.push_back({c, "a limit stopped the check; choose it again", {}});
        continue;
      }
    }
    try {
      detail::resolve_assignment(s.impl_->engine(), c.name, c.value);
    } catch (const Error& e) {
      rep.dropped.push_back({c, std::string("no longer in the catalog: ") + e.what(), {}});
      continue;
    }
    ChooseResult r = s.choose(c.name, c.value, left);
    if (r.accepted) continue;
    std::string why = r.limit_reached ? "a limit stopped the check; choose it again"
                                      : "no longer possible with the choices kept before it";
    rep.dropped.push_back({c, why, r.explanation});
  }
  rep.kept = s.impl_->choices_;  // a name chosen twice was replaced: kept once
  s.impl_->history_.clear();
  return s;
}

}  // namespace sumisura
