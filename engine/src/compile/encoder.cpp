// Encoding of typed expressions into literals and linear sums (see encoder.hpp).
#include "compile/encoder.hpp"

#include <algorithm>
#include <map>

namespace sumisura::detail {
namespace {

constexpr int64_t kOne = Decimal::kScale;  // the number 1 in 10^-6 units
constexpr size_t kMaxProductTerms = 200000;

void require_guarded(ClauseSink& sink, std::vector<Lit> clause, Lit guard) {
  if (guard != kTrue) clause.push_back(-guard);
  sink.add_clause(clause);
}

}  // namespace

const Value& ExprEncoder::block_value(int block, int attribute) const {
  if (block < 0) return m_.index->attributes()[attribute].default_value;
  return m_.index->block_attribute(block, attribute);
}

Lit ExprEncoder::boolean(const TExpr& e) {
  switch (e.op) {
    case TOp::constant:
      return e.value.as_boolean() ? kTrue : kFalse;
    case TOp::option:
      return m_.value_lit(m_.option_var[e.index], 1);  // boolean options: values false, true
    case TOp::block_selected:
      return m_.block_selected[e.index];
    case TOp::block_in_slot:
      return in_scope(e.index, e.index2);
    case TOp::service:
      return m_.service_included[e.index];
    case TOp::product:
      return m_.product_var >= 0 ? m_.value_lit(m_.product_var, e.index) : kTrue;
    case TOp::attribute: {
      int var = m_.slot_var[e.index];
      const Slot& slot = m_.catalog->slots[e.index];
      std::vector<Lit> yes;
      for (int k = 0; k < m_.vars[var].size(); ++k) {
        int block = k == 0 ? -1 : *m_.index->block_index(slot.blocks[k - 1]);
        const Value& v = block_value(block, e.index2);
        if (v.is_boolean() && v.as_boolean()) yes.push_back(m_.value_lit(var, k));
      }
      return c_.or_of(yes);
    }
    case TOp::logical_not:
      return -boolean(*e.args[0]);
    case TOp::logical_and:
    case TOp::logical_or: {
      std::vector<Lit> lits;
      for (const auto& a : e.args) lits.push_back(boolean(*a));
      return e.op == TOp::logical_and ? c_.and_of(lits) : c_.or_of(lits);
    }
    case TOp::implies:
      return c_.or_of({-boolean(*e.args[0]), boolean(*e.args[1])});
    case TOp::iff:
      return c_.iff(boolean(*e.args[0]), boolean(*e.args[1]));
    case TOp::compare:
      return compare(e);
    case TOp::member:
      return member(e);
    default:
      throw EncodeError("internal: not a condition");
  }
}

ExprEncoder::StringChoice ExprEncoder::strings(const TExpr& e) {
  if (e.op == TOp::constant) return {{e.value.as_string(), kTrue}};
  std::map<std::string, std::vector<Lit>> groups;
  if (e.op == TOp::option) {
    const Option& o = m_.catalog->options[e.index];
    int var = m_.option_var[e.index];
    for (size_t k = 0; k < o.values.size(); ++k)
      groups[o.values[k].value.as_string()].push_back(m_.value_lit(var, k));
  } else if (e.op == TOp::attribute) {
    int var = m_.slot_var[e.index];
    const Slot& slot = m_.catalog->slots[e.index];
    for (int k = 0; k < m_.vars[var].size(); ++k) {
      int block = k == 0 ? -1 : *m_.index->block_index(slot.blocks[k - 1]);
      const Value& v = block_value(block, e.index2);
      groups[v.is_string() ? v.as_string() : v.to_string()].push_back(m_.value_lit(var, k));
    }
  } else {
    throw EncodeError("internal: not a text expression");
  }
  StringChoice out;
  for (auto& [value, lits] : groups) out.push_back({value, c_.or_of(lits)});
  return out;
}

ExprEncoder::BlockChoice ExprEncoder::blocks(const TExpr& e) {
  if (e.op == TOp::block_constant) return {{e.index, kTrue}};
  if (e.op != TOp::slot_block) throw EncodeError("internal: not a block expression");
  int var = m_.slot_var[e.index];
  const Slot& slot = m_.catalog->slots[e.index];
  BlockChoice out;
  for (int k = 0; k < m_.vars[var].size(); ++k) {
    out.push_back({k == 0 ? -1 : *m_.index->block_index(slot.blocks[k - 1]), m_.value_lit(var, k)});
  }
  return out;
}

ExprEncoder::SetChoice ExprEncoder::sets(const TExpr& e) {
  if (e.op == TOp::list) {
    std::vector<Value> items;
    for (const auto& a : e.args) {
      items.push_back(a->op == TOp::block_constant ? Value::integer(a->index) : a->value);
    }
    return {{Value::list(items), kTrue}};
  }
  if (e.op != TOp::attribute) throw EncodeError("internal: not a set expression");
  int var = m_.slot_var[e.index];
  const Slot& slot = m_.catalog->slots[e.index];
  std::vector<std::pair<Value, std::vector<Lit>>> groups;
  for (int k = 0; k < m_.vars[var].size(); ++k) {
    int block = k == 0 ? -1 : *m_.index->block_index(slot.blocks[k - 1]);
    const Value& v = block_value(block, e.index2);
    auto it =
        std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == v; });
    if (it == groups.end()) {
      groups.push_back({v, {}});
      it = groups.end() - 1;
    }
    it->second.push_back(m_.value_lit(var, k));
  }
  SetChoice out;
  for (auto& [v, lits] : groups) out.push_back({v, c_.or_of(lits)});
  return out;
}

Lit ExprEncoder::compare(const TExpr& e) {
  const TExpr& a = *e.args[0];
  const TExpr& b = *e.args[1];
  bool equal = e.cmp == Cmp::eq;
  switch (a.type) {
    case Type::number:
      return compare_numbers(e.cmp, number(a), number(b));
    case Type::boolean: {
      Lit r = c_.iff(boolean(a), boolean(b));
      return equal ? r : -r;
    }
    case Type::string: {
      StringChoice x = strings(a), y = strings(b);
      std::vector<Lit> any;
      for (const auto& [vx, lx] : x) {
        for (const auto& [vy, ly] : y) {
          if (vx == vy) any.push_back(c_.and_of({lx, ly}));
        }
      }
      Lit r = c_.or_of(any);
      return equal ? r : -r;
    }
    case Type::block: {
      BlockChoice x = blocks(a), y = blocks(b);
      std::vector<Lit> any;
      for (const auto& [bx, lx] : x) {
        for (const auto& [by, ly] : y) {
          if (bx == by) any.push_back(c_.and_of({lx, ly}));
        }
      }
      Lit r = c_.or_of(any);
      return equal ? r : -r;
    }
    default:
      throw EncodeError("internal: cannot compare sets");
  }
}

bool ExprEncoder::single_variable(const Linear& x, int& var, std::vector<int64_t>& values) const {
  var = -1;
  for (auto [w, l] : x.terms) {
    int v = std::abs(l) < static_cast<int>(m_.fd_of_sat.size()) ? m_.fd_of_sat[std::abs(l)] : -1;
    if (v < 0 || (var >= 0 && v != var)) return false;
    var = v;
  }
  if (var < 0) return false;
  const FdVar& fd = m_.vars[var];
  bool two_valued = fd.size() == 2 && fd.lits[0] == -fd.lits[1];
  values.assign(fd.size(), x.constant);
  for (int k = 0; k < fd.size(); ++k) {
    for (auto [w, l] : x.terms) {
      int sat = std::abs(l);
      // A two-valued FdVar is {-x, x}: x holds exactly at value 1.
      bool value = two_valued ? k == 1 : fd.lits[k] == sat;
      bool truth = l > 0 ? value : !value;
      if (truth) values[k] = checked_add(values[k], w);
    }
  }
  return true;
}

Lit ExprEncoder::compare_numbers(Cmp cmp, const Linear& a, const Linear& b) {
  Linear d = a;
  d.add(b, -1);
  d.normalize();
  auto holds = [cmp](int64_t v) {
    switch (cmp) {
      case Cmp::eq:
        return v == 0;
      case Cmp::ne:
        return v != 0;
      case Cmp::lt:
        return v < 0;
      case Cmp::le:
        return v <= 0;
      case Cmp::gt:
        return v > 0;
      case Cmp::ge:
        return v >= 0;
    }
    return false;
  };
  if (d.is_constant()) return holds(d.constant) ? kTrue : kFalse;
  int var;
  std::vector<int64_t> values;
  if (single_variable(d, var, values)) {
    std::vector<Lit> yes;
    for (size_t k = 0; k < values.size(); ++k) {
      if (holds(values[k])) yes.push_back(m_.value_lit(var, k));
    }
    return c_.or_of(yes);
  }
  switch (cmp) {
    case Cmp::le:
      return c_.at_most(d, 0);
    case Cmp::lt:
      return c_.at_most(d, -1);
    case Cmp::ge:
      return c_.at_least(d, 0);
    case Cmp::gt:
      return c_.at_least(d, 1);
    case Cmp::eq:
      return c_.equals(d, 0);
    case Cmp::ne:
      return -c_.equals(d, 0);
  }
  return kFalse;
}

Lit ExprEncoder::number_in(const Linear& x, const std::vector<int64_t>& wanted) {
  Linear n = x;
  n.normalize();
  if (n.is_constant()) {
    return std::find(wanted.begin(), wanted.end(), n.constant) != wanted.end() ? kTrue : kFalse;
  }
  int var;
  std::vector<int64_t> values;
  if (single_variable(n, var, values)) {
    std::vector<Lit> yes;
    for (size_t k = 0; k < values.size(); ++k) {
      if (std::find(wanted.begin(), wanted.end(), values[k]) != wanted.end())
        yes.push_back(m_.value_lit(var, k));
    }
    return c_.or_of(yes);
  }
  std::vector<Lit> any;
  for (int64_t w : wanted) any.push_back(c_.equals(n, w));
  return c_.or_of(any);
}

Lit ExprEncoder::member(const TExpr& e) {
  const TExpr& x = *e.args[0];
  SetChoice sets_of = sets(*e.args[1]);
  std::vector<Lit> any;
  switch (x.type) {
    case Type::string: {
      StringChoice values = strings(x);
      for (const auto& [set, ls] : sets_of) {
        std::vector<Lit> in;
        for (const auto& [v, lv] : values) {
          for (const auto& item : set.as_list()) {
            if (item.is_string() && item.as_string() == v) in.push_back(lv);
          }
        }
        any.push_back(c_.and_of({ls, c_.or_of(in)}));
      }
      break;
    }
    case Type::number: {
      Linear n = number(x);
      for (const auto& [set, ls] : sets_of) {
        std::vector<int64_t> wanted;
        for (const auto& item : set.as_list()) wanted.push_back(units(item));
        any.push_back(c_.and_of({ls, number_in(n, wanted)}));
      }
      break;
    }
    case Type::block: {
      BlockChoice values = blocks(x);
      for (const auto& [set, ls] : sets_of) {
        std::vector<Lit> in;
        for (const auto& [b, lb] : values) {
          for (const auto& item : set.as_list()) {
            if (item.as_number().integer_part() == b) in.push_back(lb);
          }
        }
        any.push_back(c_.and_of({ls, c_.or_of(in)}));
      }
      break;
    }
    default:
      throw EncodeError("internal: bad membership test");
  }
  return c_.or_of(any);
}

Linear ExprEncoder::count_slot(int slot) {
  Linear out;
  if (slot < 0) {
    for (size_t s = 0; s < m_.catalog->slots.size(); ++s) out.add(count_slot(s));
    return out;
  }
  if (m_.slot_var[slot] >= 0) {
    out.add(kOne, -m_.value_lit(m_.slot_var[slot], 0));  // one block unless empty
    return out;
  }
  for (int var : m_.quantity_vars[slot]) {
    for (int k = 1; k < m_.vars[var].size(); ++k)
      out.add(checked_mul(k, kOne), m_.value_lit(var, k));
  }
  return out;
}

Linear ExprEncoder::block_quantity(int block, int slot) {
  Linear out;
  for (int s : m_.index->slots_of_block(block)) {
    if (slot >= 0 && s != slot) continue;
    int pos = m_.index->block_position_in_slot(s, block);
    if (m_.slot_var[s] >= 0) {
      out.add(kOne, m_.value_lit(m_.slot_var[s], pos + 1));
      continue;
    }
    int var = m_.quantity_vars[s][pos];
    for (int k = 1; k < m_.vars[var].size(); ++k)
      out.add(checked_mul(k, kOne), m_.value_lit(var, k));
  }
  return out;
}

Lit ExprEncoder::in_scope(int block, int slot) {
  if (slot < 0) return m_.block_selected[block];
  int pos = m_.index->block_position_in_slot(slot, block);
  if (pos < 0) return kFalse;
  if (m_.slot_var[slot] >= 0) return m_.value_lit(m_.slot_var[slot], pos + 1);
  return -m_.value_lit(m_.quantity_vars[slot][pos], 0);
}

void ExprEncoder::scope_quantities(int slot, std::vector<std::pair<int, Linear>>& out) {
  auto quantity_in = [&](int b, int s) {
    Linear q;
    int pos = m_.index->block_position_in_slot(s, b);
    if (pos < 0) return q;
    if (m_.slot_var[s] >= 0) {
      q.add(1, m_.value_lit(m_.slot_var[s], pos + 1));
    } else {
      int var = m_.quantity_vars[s][pos];
      for (int k = 1; k < m_.vars[var].size(); ++k) q.add(k, m_.value_lit(var, k));
    }
    return q;
  };
  for (size_t b = 0; b < m_.catalog->blocks.size(); ++b) {
    Linear q;
    if (slot < 0) {
      for (int s : m_.index->slots_of_block(b)) q.add(quantity_in(b, s));
    } else {
      q = quantity_in(b, slot);
    }
    if (!q.terms.empty()) out.push_back({static_cast<int>(b), std::move(q)});
  }
}

Linear ExprEncoder::aggregate(const TExpr& e) {
  std::vector<std::pair<int, Linear>> scope;
  scope_quantities(e.index, scope);
  if (e.agg == Agg::sum) {
    Linear out;
    for (const auto& [b, q] : scope) out.add(q, units(block_value(b, e.index2)));
    return out;
  }
  // max / min: order literals over the distinct candidate values (the default counts when the
  // scope is empty), then the value as a telescoping sum of those literals.
  int64_t fallback = units(block_value(-1, e.index2));
  std::vector<std::pair<int64_t, Lit>> candidates;
  std::vector<Lit> any;
  for (const auto& [b, q] : scope) {
    Lit l = in_scope(b, e.index);
    candidates.push_back({units(block_value(b, e.index2)), l});
    any.push_back(l);
  }
  Lit empty = -c_.or_of(any);
  std::vector<int64_t> values{fallback};
  for (auto [v, l] : candidates) values.push_back(v);
  bool is_max = e.agg == Agg::max;
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  if (!is_max) std::reverse(values.begin(), values.end());
  Linear out = Linear::of(values[0]);
  for (size_t k = 1; k < values.size(); ++k) {
    std::vector<Lit> reach;  // the aggregate is at least (max) / at most (min) values[k]
    for (auto [v, l] : candidates) {
      if (is_max ? v >= values[k] : v <= values[k]) reach.push_back(l);
    }
    if (is_max ? fallback >= values[k] : fallback <= values[k]) reach.push_back(empty);
    out.add(checked_add(values[k], -values[k - 1]), c_.or_of(reach));
  }
  return out;
}

Linear ExprEncoder::product(const Linear& a, const Linear& b) {
  auto scaled = [](int64_t x, int64_t y) {
    __int128 p = static_cast<__int128>(x) * y;
    if (p % kOne != 0) throw EncodeError("a product has more than 6 decimals");
    p /= kOne;
    if (p > (int64_t{1} << 62) || p < -(int64_t{1} << 62))
      throw EncodeError("a product exceeds 2^62 units of 10^-6");
    return static_cast<int64_t>(p);
  };
  Linear out = Linear::of(scaled(a.constant, b.constant));
  for (auto [w, l] : b.terms) out.add(scaled(a.constant, w), l);
  for (auto [w, l] : a.terms) out.add(scaled(b.constant, w), l);
  if (a.terms.size() * b.terms.size() > kMaxProductTerms) {
    throw EncodeError("a product of two sums has too many terms; simplify the arithmetic");
  }
  for (auto [wa, la] : a.terms) {
    for (auto [wb, lb] : b.terms) out.add(scaled(wa, wb), c_.and_of({la, lb}));
  }
  return out;
}

Linear ExprEncoder::number(const TExpr& e) {
  switch (e.op) {
    case TOp::constant:
      return Linear::of(units(e.value));
    case TOp::option: {
      const Option& o = m_.catalog->options[e.index];
      Linear out;
      for (size_t k = 0; k < o.values.size(); ++k)
        out.add(units(o.values[k].value), m_.value_lit(m_.option_var[e.index], k));
      return out;
    }
    case TOp::attribute: {
      int var = m_.slot_var[e.index];
      const Slot& slot = m_.catalog->slots[e.index];
      Linear out;
      for (int k = 0; k < m_.vars[var].size(); ++k) {
        int block = k == 0 ? -1 : *m_.index->block_index(slot.blocks[k - 1]);
        out.add(units(block_value(block, e.index2)), m_.value_lit(var, k));
      }
      return out;
    }
    case TOp::aggregate:
      return aggregate(e);
    case TOp::count_slot:
      return count_slot(e.index);
    case TOp::count: {
      Linear out;
      for (const auto& a : e.args) {
        if (a->op == TOp::count_slot)
          out.add(count_slot(a->index));
        else if (a->op == TOp::block_selected)  // a block counts as many times as it is held
          out.add(block_quantity(a->index, -1));
        else if (a->op == TOp::block_in_slot)
          out.add(block_quantity(a->index, a->index2));
        else
          out.add(kOne, boolean(*a));
      }
      return out;
    }
    case TOp::price:
      if (!price_) throw EncodeError("price cannot be used here");
      return *price_;
    case TOp::add: {
      Linear out;
      for (const auto& a : e.args) out.add(number(*a));
      return out;
    }
    case TOp::sub: {
      Linear out = number(*e.args[0]);
      out.add(number(*e.args[1]), -1);
      return out;
    }
    case TOp::negate: {
      Linear out;
      out.add(number(*e.args[0]), -1);
      return out;
    }
    case TOp::mul: {
      Linear out = number(*e.args[0]);
      for (size_t i = 1; i < e.args.size(); ++i) {
        out.normalize();
        Linear next = number(*e.args[i]);
        next.normalize();
        out = product(out, next);
      }
      return out;
    }
    default:
      throw EncodeError("internal: not a number");
  }
}

void ExprEncoder::disjuncts(const TExpr& e, bool negated, std::vector<Lit>& out) {
  if (!negated && e.op == TOp::logical_or) {
    for (const auto& a : e.args) disjuncts(*a, false, out);
  } else if (!negated && e.op == TOp::implies) {
    disjuncts(*e.args[0], true, out);
    disjuncts(*e.args[1], false, out);
  } else if (negated && e.op == TOp::logical_and) {
    for (const auto& a : e.args) disjuncts(*a, true, out);
  } else if (e.op == TOp::logical_not) {
    disjuncts(*e.args[0], !negated, out);
  } else {
    Lit l = boolean(e);
    out.push_back(negated ? -l : l);
  }
}

void ExprEncoder::require(const TExpr& e, Lit guard, bool positive_root) {
  // Walk the conjunctive structure; each conjunct becomes one clause.
  struct Item {
    const TExpr* e;
    bool positive;
  };
  std::vector<Item> stack{{&e, positive_root}};
  while (!stack.empty()) {
    auto [x, positive] = stack.back();
    stack.pop_back();
    if (x->op == TOp::logical_not) {
      stack.push_back({x->args[0].get(), !positive});
    } else if ((positive && x->op == TOp::logical_and) || (!positive && x->op == TOp::logical_or)) {
      for (const auto& a : x->args) stack.push_back({a.get(), positive});
    } else if (!positive && x->op == TOp::implies) {
      stack.push_back({x->args[0].get(), true});
      stack.push_back({x->args[1].get(), false});
    } else {
      std::vector<Lit> clause;
      disjuncts(*x, !positive, clause);
      if (std::find(clause.begin(), clause.end(), kTrue) != clause.end()) continue;
      clause.erase(std::remove(clause.begin(), clause.end(), kFalse), clause.end());
      if (clause.empty()) clause.push_back(kFalse);
      require_guarded(c_.sink(), std::move(clause), guard);
    }
  }
}

}  // namespace sumisura::detail
