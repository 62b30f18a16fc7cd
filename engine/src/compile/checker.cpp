// Constraint checks on finite-domain assignments (see checker.hpp). The semantics follow
// docs/catalog-format.md exactly as the encoder does; the property tests compare both with an
// independent brute-force enumerator.
#include "compile/checker.hpp"

#include "compile/model.hpp"

#include <algorithm>

namespace sumisura::detail {
namespace {

constexpr int64_t kOne = Decimal::kScale;

class Evaluator {
 public:
  Evaluator(const Model& m, const uint32_t* values) : m_(m), c_(*m.catalog), x_(values) {}

  bool boolean(const TExpr& e) const {
    switch (e.op) {
      case TOp::constant:
        return e.value.as_boolean();
      case TOp::option:
        return x_[m_.option_var[e.index]] == 1;
      case TOp::block_selected:
        return quantity(e.index, -1) > 0;
      case TOp::block_in_slot:
        return quantity(e.index, e.index2) > 0;
      case TOp::service:
        return x_[m_.service_var[e.index]] == 1;
      case TOp::product:
        return m_.product_var < 0 || static_cast<int>(x_[m_.product_var]) == e.index;
      case TOp::attribute: {
        const Value& v = attribute(e.index, e.index2);
        return v.is_boolean() && v.as_boolean();
      }
      case TOp::logical_not:
        return !boolean(*e.args[0]);
      case TOp::logical_and:
        for (const auto& a : e.args) {
          if (!boolean(*a)) return false;
        }
        return true;
      case TOp::logical_or:
        for (const auto& a : e.args) {
          if (boolean(*a)) return true;
        }
        return false;
      case TOp::implies:
        return !boolean(*e.args[0]) || boolean(*e.args[1]);
      case TOp::iff:
        return boolean(*e.args[0]) == boolean(*e.args[1]);
      case TOp::compare:
        return compare(e);
      case TOp::member:
        return member(e);
      default:
        return false;
    }
  }

 private:
  int block_in(int slot) const {  // single-block slot: the block in it, or -1
    uint32_t k = x_[m_.slot_var[slot]];
    return k == 0 ? -1 : *m_.index->block_index(c_.slots[slot].blocks[k - 1]);
  }

  // Quantity of `block` in `slot` (-1: in every slot).
  int64_t quantity(int block, int slot) const {
    int64_t q = 0;
    for (int s : m_.index->slots_of_block(block)) {
      if (slot >= 0 && s != slot) continue;
      int pos = m_.index->block_position_in_slot(s, block);
      if (m_.slot_var[s] >= 0)
        q += x_[m_.slot_var[s]] == static_cast<uint32_t>(pos + 1) ? 1 : 0;
      else
        q += x_[m_.quantity_vars[s][pos]];
    }
    return q;
  }

  const Value& attribute(int slot, int attr) const {
    int b = block_in(slot);
    return b < 0 ? m_.index->attributes()[attr].default_value : m_.index->block_attribute(b, attr);
  }

  static int64_t units(const Value& v) { return v.is_number() ? v.as_number().units() : 0; }

  int64_t number(const TExpr& e) const {
    switch (e.op) {
      case TOp::constant:
        return units(e.value);
      case TOp::option:
        return units(c_.options[e.index].values[x_[m_.option_var[e.index]]].value);
      case TOp::attribute:
        return units(attribute(e.index, e.index2));
      case TOp::aggregate: {
        int64_t sum = 0;
        bool any = false;
        int64_t best = 0;
        for (size_t b = 0; b < c_.blocks.size(); ++b) {
          int64_t q = quantity(b, e.index);
          if (q == 0) continue;
          int64_t v = units(m_.index->block_attribute(b, e.index2));
          sum += v * q;
          if (!any || (e.agg == Agg::max ? v > best : v < best)) best = v;
          any = true;
        }
        if (e.agg == Agg::sum) return sum;
        return any ? best : units(m_.index->attributes()[e.index2].default_value);
      }
      case TOp::count_slot:
        return count_slot(e.index) * kOne;
      case TOp::count: {
        int64_t n = 0;
        for (const auto& a : e.args) {
          if (a->op == TOp::count_slot)
            n += count_slot(a->index);
          else if (a->op == TOp::block_selected)  // a block counts as many times as it is held
            n += quantity(a->index, -1);
          else if (a->op == TOp::block_in_slot)
            n += quantity(a->index, a->index2);
          else
            n += boolean(*a) ? 1 : 0;
        }
        return n * kOne;
      }
      case TOp::add: {
        int64_t s = 0;
        for (const auto& a : e.args) s += number(*a);
        return s;
      }
      case TOp::sub:
        return number(*e.args[0]) - number(*e.args[1]);
      case TOp::negate:
        return -number(*e.args[0]);
      case TOp::mul: {
        __int128 p = number(*e.args[0]);
        for (size_t i = 1; i < e.args.size(); ++i) p = p * number(*e.args[i]) / kOne;
        return static_cast<int64_t>(p);
      }
      default:
        return 0;
    }
  }

  int64_t count_slot(int slot) const {
    if (slot < 0) {
      int64_t n = 0;
      for (size_t s = 0; s < c_.slots.size(); ++s) n += count_slot(s);
      return n;
    }
    if (m_.slot_var[slot] >= 0) return x_[m_.slot_var[slot]] != 0 ? 1 : 0;
    int64_t n = 0;
    for (int var : m_.quantity_vars[slot]) n += x_[var];
    return n;
  }

  std::string text(const TExpr& e) const {
    switch (e.op) {
      case TOp::constant:
        return e.value.as_string();
      case TOp::option:
        return c_.options[e.index].values[x_[m_.option_var[e.index]]].value.as_string();
      case TOp::attribute: {
        const Value& v = attribute(e.index, e.index2);
        return v.is_string() ? v.as_string() : v.to_string();
      }
      default:
        return {};
    }
  }

  int block(const TExpr& e) const {
    return e.op == TOp::block_constant ? e.index : block_in(e.index);
  }

  bool compare(const TExpr& e) const {
    const TExpr& a = *e.args[0];
    const TExpr& b = *e.args[1];
    int order = 0;  // sign of a - b, or equality for non-numbers
    switch (a.type) {
      case Type::number: {
        int64_t x = number(a), y = number(b);
        order = x < y ? -1 : x > y ? 1 : 0;
        break;
      }
      case Type::boolean:
        order = boolean(a) == boolean(b) ? 0 : 1;
        break;
      case Type::string:
        order = text(a) == text(b) ? 0 : 1;
        break;
      case Type::block:
        order = block(a) == block(b) ? 0 : 1;
        break;
      default:
        return false;
    }
    switch (e.cmp) {
      case Cmp::eq:
        return order == 0;
      case Cmp::ne:
        return order != 0;
      case Cmp::lt:
        return order < 0;
      case Cmp::le:
        return order <= 0;
      case Cmp::gt:
        return order > 0;
      case Cmp::ge:
        return order >= 0;
    }
    return false;
  }

  bool member(const TExpr& e) const {
    const TExpr& x = *e.args[0];
    const TExpr& set = *e.args[1];
    std::vector<Value> items;
    const std::vector<Value>* list = &items;
    if (set.op == TOp::list) {
      for (const auto& a : set.args)
        items.push_back(a->op == TOp::block_constant ? Value::integer(a->index) : a->value);
    } else {
      list = &attribute(set.index, set.index2).as_list();
    }
    switch (x.type) {
      case Type::number: {
        int64_t n = number(x);
        return std::any_of(list->begin(), list->end(),
                           [&](const Value& v) { return units(v) == n; });
      }
      case Type::string: {
        std::string t = text(x);
        return std::any_of(list->begin(), list->end(),
                           [&](const Value& v) { return v.is_string() && v.as_string() == t; });
      }
      case Type::block: {
        int b = block(x);
        return std::any_of(list->begin(), list->end(),
                           [&](const Value& v) { return v.as_number().integer_part() == b; });
      }
      default:
        return false;
    }
  }

  const Model& m_;
  const Catalog& c_;
  const uint32_t* x_;
};

bool uses_price(const TExpr& e) {
  if (e.op == TOp::price) return true;
  return std::any_of(e.args.begin(), e.args.end(), [](const auto& a) { return uses_price(*a); });
}

void slot_vars(const Model& m, int slot, std::vector<int>& out) {
  if (m.slot_var[slot] >= 0) out.push_back(m.slot_var[slot]);
  for (int v : m.quantity_vars[slot]) out.push_back(v);
}

void collect_vars(const Model& m, const TExpr& e, std::vector<int>& out) {
  switch (e.op) {
    case TOp::option:
      out.push_back(m.option_var[e.index]);
      break;
    case TOp::slot_block:
    case TOp::attribute:
      slot_vars(m, e.index, out);
      break;
    case TOp::block_selected:
      for (int s : m.index->slots_of_block(e.index)) slot_vars(m, s, out);
      break;
    case TOp::block_in_slot:
      slot_vars(m, e.index2, out);
      break;
    case TOp::service:
      out.push_back(m.service_var[e.index]);
      break;
    case TOp::product:
      if (m.product_var >= 0) out.push_back(m.product_var);
      break;
    case TOp::aggregate:
    case TOp::count_slot:
      if (e.index >= 0) {
        slot_vars(m, e.index, out);
      } else {
        for (size_t s = 0; s < m.catalog->slots.size(); ++s) slot_vars(m, s, out);
      }
      break;
    default:
      break;
  }
  for (const auto& a : e.args) collect_vars(m, *a, out);
}

bool in_mdd(const Mdd& mdd, const std::vector<int>& columns, const uint32_t* x) {
  if (mdd.root < 0) return false;
  int node = mdd.root;
  while (node != Mdd::kTerminal) {
    const auto& n = mdd.nodes[node];
    uint32_t value = x[columns[n.level]];
    auto it = std::lower_bound(n.edges.begin(), n.edges.end(),
                               std::make_pair(static_cast<int>(value), -1));
    if (it == n.edges.end() || it->first != static_cast<int>(value)) return false;
    node = it->second;
  }
  return true;
}

// A literal "var == value" (or !=) read off a condition on a single variable, if it is one.
bool literal_of(const Model& m, const TExpr& e, bool positive,
                std::tuple<int, uint32_t, bool>& out) {
  switch (e.op) {
    case TOp::logical_not:
      return literal_of(m, *e.args[0], !positive, out);
    case TOp::option:
      if (e.type != Type::boolean) return false;
      out = {m.option_var[e.index], 1, positive};
      return true;
    case TOp::service:
      out = {m.service_var[e.index], 1, positive};
      return true;
    case TOp::compare: {
      if (e.cmp != Cmp::eq && e.cmp != Cmp::ne) return false;
      const TExpr* var = e.args[0].get();
      const TExpr* constant = e.args[1].get();
      if (var->op != TOp::option) std::swap(var, constant);
      if (var->op != TOp::option || constant->op != TOp::constant) return false;
      auto k = m.index->option_value_index(var->index, constant->value);
      if (!k) return false;
      out = {m.option_var[var->index], static_cast<uint32_t>(*k), positive == (e.cmp == Cmp::eq)};
      return true;
    }
    default:
      return false;
  }
}

// The literals of a condition that is a disjunction of single-variable literals (under the given
// polarity): `a or not b`, `a implies b`, `not (a and b)`.
bool clause_of(const Model& m, const TExpr& e, bool positive,
               std::vector<std::tuple<int, uint32_t, bool>>& out) {
  if ((positive && e.op == TOp::logical_or) || (!positive && e.op == TOp::logical_and)) {
    for (const auto& a : e.args) {
      if (!clause_of(m, *a, positive, out)) return false;
    }
    return true;
  }
  if (positive && e.op == TOp::implies)
    return clause_of(m, *e.args[0], false, out) && clause_of(m, *e.args[1], true, out);
  if (e.op == TOp::logical_not) return clause_of(m, *e.args[0], !positive, out);
  std::tuple<int, uint32_t, bool> lit;
  if (!literal_of(m, e, positive, lit)) return false;
  out.push_back(lit);
  return true;
}

}  // namespace

void expression_vars(const Model& model, const TExpr& e, std::vector<int>& out) {
  collect_vars(model, e, out);
}

bool reads_price(const TExpr& e) {
  return uses_price(e);
}

bool evaluate_boolean(const Model& model, const TExpr& e, const uint32_t* values) {
  return Evaluator(model, values).boolean(e);
}

void Checker::build(const Model& model, std::vector<GroupCheck> checks) {
  model_ = &model;
  checks_ = std::move(checks);
  groups_of_var_.assign(model.vars.size(), {});
  flippable_.assign(model.vars.size(), true);
  bool reads_price = false;  // `price` depends on nearly every variable, through bundles too
  for (size_t g = 0; g < checks_.size(); ++g) {
    GroupCheck& c = checks_[g];
    if (c.when) collect_vars(model, *c.when, c.vars);
    if (c.expression) collect_vars(model, *c.expression, c.vars);
    if ((c.when && uses_price(*c.when)) || (c.expression && uses_price(*c.expression))) {
      c.kind = GroupCheck::Kind::unsupported;
      reads_price = true;
    }
    for (int col : c.columns) c.vars.push_back(col);
    if (!c.products.empty() && model.product_var >= 0) c.vars.push_back(model.product_var);
    std::sort(c.vars.begin(), c.vars.end());
    c.vars.erase(std::unique(c.vars.begin(), c.vars.end()), c.vars.end());
    for (int v : c.vars) {
      groups_of_var_[v].push_back(g);
      if (c.kind == GroupCheck::Kind::unsupported) flippable_[v] = false;
    }
    if (c.kind == GroupCheck::Kind::rule && !c.when && c.products.empty() && c.expression) {
      std::vector<std::tuple<int, uint32_t, bool>> lits;
      if (clause_of(model, *c.expression, c.positive, lits) && !lits.empty()) {
        c.clause = std::move(lits);
        c.is_clause = true;
      }
    }
    bool table =
        c.kind == GroupCheck::Kind::table && c.rows_allowed && c.products.empty() && !c.when;
    if (table || c.is_clause) propagators_.push_back(g);
  }
  is_propagator_.assign(checks_.size(), 0);
  for (int g : propagators_) is_propagator_[g] = 1;
  // A constraint on the price can break when any priced variable changes: no flips then.
  if (reads_price) flippable_.assign(model.vars.size(), false);
}

bool Checker::propagate_tables(std::vector<std::vector<char>>& domains,
                               const std::vector<int>* changed) const {
  std::vector<char> queued(checks_.size(), 0);
  std::vector<int> queue;
  auto enqueue_readers = [&](int v, int except) {
    for (int g : groups_of_var_[v]) {
      if (g != except && propagates(g) && !queued[g]) {
        queued[g] = 1;
        queue.push_back(g);
      }
    }
  };
  if (!changed) {
    for (int g : propagators_) {
      queued[g] = 1;
      queue.push_back(g);
    }
  } else {
    for (int v : *changed) enqueue_readers(v, -1);
  }
  std::vector<int> shrunk;
  while (!queue.empty()) {
    int g = queue.back();
    queue.pop_back();
    queued[g] = 0;
    shrunk.clear();
    bool ok =
        checks_[g].is_clause ? revise_clause(g, domains, shrunk) : revise_table(g, domains, shrunk);
    if (!ok) return false;
    for (int v : shrunk) enqueue_readers(v, g);
  }
  return true;
}

bool Checker::revise_clause(int g, std::vector<std::vector<char>>& domains,
                            std::vector<int>& shrunk) const {
  // Unit propagation: a clause with no literal that can hold fails; with one, that one must hold.
  const auto& clause = checks_[g].clause;
  int can_hold = 0;
  const std::tuple<int, uint32_t, bool>* last = nullptr;
  for (const auto& lit : clause) {
    auto [v, value, positive] = lit;
    const auto& d = domains[v];
    bool possible = positive ? d[value] != 0 : (std::count(d.begin(), d.end(), 1) > 1 || !d[value]);
    if (!possible) continue;
    // A literal that already holds for every remaining value satisfies the clause.
    bool holds = positive ? std::count(d.begin(), d.end(), 1) == 1 && d[value] : !d[value];
    if (holds) return true;
    ++can_hold;
    last = &lit;
  }
  if (can_hold == 0) return false;
  if (can_hold > 1) return true;
  auto [v, value, positive] = *last;
  auto& d = domains[v];
  if (positive) {
    std::fill(d.begin(), d.end(), 0);
    d[value] = 1;
  } else {
    d[value] = 0;
  }
  shrunk.push_back(v);
  return std::count(d.begin(), d.end(), 1) > 0;
}

bool Checker::revise_table(int g, std::vector<std::vector<char>>& domains,
                           std::vector<int>& shrunk) const {
  // Generalised arc consistency on the MDD: a value stays when an edge carrying it lies on a path
  // from the root to the terminal through values still in their domains.
  const GroupCheck& c = checks_[g];
  const Mdd& mdd = c.mdd;
  if (mdd.root < 0) return false;
  size_t n = mdd.nodes.size();
  std::vector<char> up(n, 0), down(n, 0);
  up[Mdd::kTerminal] = 1;
  for (size_t i = 1; i < n; ++i) {  // children come first: this loop goes bottom-up
    const auto& node = mdd.nodes[i];
    const auto& dom = domains[c.columns[node.level]];
    for (auto [value, child] : node.edges) {
      if (dom[value] && up[child]) {
        up[i] = 1;
        break;
      }
    }
  }
  if (!up[mdd.root]) return false;
  down[mdd.root] = 1;
  std::vector<std::vector<char>> supported(c.columns.size());
  for (size_t k = 0; k < c.columns.size(); ++k)
    supported[k].assign(domains[c.columns[k]].size(), 0);
  for (size_t i = n; i-- > 1;) {
    if (!down[i] || !up[i]) continue;
    const auto& node = mdd.nodes[i];
    const auto& dom = domains[c.columns[node.level]];
    for (auto [value, child] : node.edges) {
      if (!dom[value] || !up[child]) continue;
      supported[node.level][value] = 1;
      down[child] = 1;
    }
  }
  for (size_t k = 0; k < c.columns.size(); ++k) {
    auto& dom = domains[c.columns[k]];
    bool changed = false;
    for (size_t value = 0; value < dom.size(); ++value) {
      if (dom[value] && !supported[k][value]) {
        dom[value] = 0;
        changed = true;
      }
    }
    if (changed) shrunk.push_back(c.columns[k]);
  }
  return true;
}

bool Checker::holds(int g, const uint32_t* x) const {
  const GroupCheck& c = checks_[g];
  const Model& m = *model_;
  if (!c.products.empty() && m.product_var >= 0 &&
      std::find(c.products.begin(), c.products.end(), static_cast<int>(x[m.product_var])) ==
          c.products.end()) {
    return true;  // the constraint does not apply to this product
  }
  if (c.is_clause) {
    for (const auto& [v, value, positive] : c.clause) {
      if ((x[v] == value) == positive) return true;
    }
    return false;
  }
  switch (c.kind) {
    case GroupCheck::Kind::rule: {
      Evaluator eval(m, x);
      if (c.when && !eval.boolean(*c.when)) return true;
      return eval.boolean(*c.expression) == c.positive;
    }
    case GroupCheck::Kind::table:
      if (c.when && !Evaluator(m, x).boolean(*c.when)) return true;
      return in_mdd(c.mdd, c.columns, x) == c.rows_allowed;
    case GroupCheck::Kind::unsupported:
      break;
  }
  return false;  // never used to prove anything
}

}  // namespace sumisura::detail
