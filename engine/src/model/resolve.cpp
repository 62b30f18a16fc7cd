// Name resolution and type checking of expressions (docs/catalog-format.md, "Expressions").
#include "model/resolve.hpp"

#include "model/assemblies.hpp"

#include <algorithm>
#include <utility>

namespace sumisura::detail {

const char* type_name(Type t) {
  switch (t) {
    case Type::boolean:
      return "boolean";
    case Type::number:
      return "number";
    case Type::string:
      return "string";
    case Type::block:
      return "block";
    case Type::number_set:
      return "set of numbers";
    case Type::string_set:
      return "set of strings";
    case Type::block_set:
      return "set of blocks";
  }
  return "?";
}

TExprPtr clone(const TExpr& e) {
  auto c = std::make_unique<TExpr>();
  c->op = e.op;
  c->type = e.type;
  c->pos = e.pos;
  c->index = e.index;
  c->index2 = e.index2;
  c->value = e.value;
  c->cmp = e.cmp;
  c->agg = e.agg;
  for (const auto& a : e.args) c->args.push_back(clone(*a));
  return c;
}

TExprPtr make_constant(bool b) {
  auto c = std::make_unique<TExpr>();
  c->op = TOp::constant;
  c->type = Type::boolean;
  c->value = Value::boolean(b);
  return c;
}

namespace {

size_t edit_distance(const std::string& a, const std::string& b, size_t cap) {
  if (a.size() > b.size() + cap || b.size() > a.size() + cap) return cap + 1;
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string lower(std::string s) {
  for (auto& c : s) c = std::tolower(static_cast<unsigned char>(c));
  return s;
}

Type attribute_value_type(AttributeType t) {
  switch (t) {
    case AttributeType::number:
      return Type::number;
    case AttributeType::string:
      return Type::string;
    case AttributeType::boolean:
      return Type::boolean;
    case AttributeType::number_set:
      return Type::number_set;
    case AttributeType::string_set:
      return Type::string_set;
  }
  return Type::number;
}

Type element_type(Type set) {
  switch (set) {
    case Type::number_set:
      return Type::number;
    case Type::string_set:
      return Type::string;
    case Type::block_set:
      return Type::block;
    default:
      return set;
  }
}

Type set_of(Type element) {
  switch (element) {
    case Type::number:
      return Type::number_set;
    case Type::string:
      return Type::string_set;
    case Type::block:
      return Type::block_set;
    default:
      return Type::string_set;
  }
}

Type option_type(const Option& o) {
  switch (o.kind) {
    case OptionKind::enumeration:
      return Type::string;
    case OptionKind::integer:
      return Type::number;
    case OptionKind::boolean:
      return Type::boolean;
  }
  return Type::string;
}

std::string show(const Expr& e) {
  switch (e.op) {
    case Op::name:
      return quote_name(e.text);
    case Op::number:
      return e.number.to_string();
    case Op::string:
      return quote_string(e.text);
    case Op::boolean:
      return e.boolean ? "true" : "false";
    case Op::none:
      return "none";
    case Op::member:
      if (e.args[0]->op == Op::name) return quote_name(e.args[0]->text) + "." + quote_name(e.text);
      return "." + quote_name(e.text);
    case Op::call:
      return e.text + "(...)";
    case Op::list:
      return "the list";
    default:
      return "the '" + std::string(op_symbol(e.op)) + "' expression";
  }
}

}  // namespace

std::string closest_name(const std::string& name, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = 3;
  std::string lowered = lower(name);
  for (const auto& c : candidates) {
    if (c == name) continue;
    size_t d = lower(c) == lowered ? 0 : edit_distance(name, c, 2);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

// What a bare name next to an operator may mean besides a catalog id.
struct Hint {
  int enum_option = -1;  // a value of this enumeration option
  int slot = -1;         // a block of this slot
  bool any_block = false;
};

class ResolveVisitor {
 public:
  explicit ResolveVisitor(Resolver& r) : r_(r), ix_(r.index_), cat_(r.index_.catalog()) {}

  TExprPtr visit(const Expr& e) { return visit(e, Hint()); }
  TExprPtr visit(const Expr& e, Hint hint) {
    switch (e.op) {
      case Op::number:
        return constant(e, Value::number(e.number), Type::number);
      case Op::string:
        return constant(e, Value::string(e.text), Type::string);
      case Op::boolean:
        return constant(e, Value::boolean(e.boolean), Type::boolean);
      case Op::none: {
        auto t = node(TOp::block_constant, Type::block, e.pos);
        t->index = -1;
        return t;
      }
      case Op::name:
        return name(e, hint);
      case Op::member:
        return member(e);
      case Op::list:
        return list(e, hint);
      case Op::call:
        return call(e);
      case Op::logical_not: {
        auto a = expect(visit(*e.args[0]), Type::boolean, *e.args[0], "'not' needs a condition");
        if (!a) return nullptr;
        auto t = node(TOp::logical_not, Type::boolean, e.pos);
        t->args.push_back(std::move(a));
        return t;
      }
      case Op::logical_and:
      case Op::logical_or:
      case Op::implies:
      case Op::iff: {
        TOp op = e.op == Op::logical_and  ? TOp::logical_and
                 : e.op == Op::logical_or ? TOp::logical_or
                 : e.op == Op::implies    ? TOp::implies
                                          : TOp::iff;
        auto t = node(op, Type::boolean, e.pos);
        bool ok = true;
        for (const auto& a : e.args) {
          auto r = expect(visit(*a), Type::boolean, *a,
                          std::string("'") + op_symbol(e.op) + "' joins conditions");
          if (!r) ok = false;
          t->args.push_back(std::move(r));
        }
        return ok ? std::move(t) : nullptr;
      }
      case Op::eq:
      case Op::ne:
      case Op::lt:
      case Op::le:
      case Op::gt:
      case Op::ge:
        return compare(e);
      case Op::in:
      case Op::not_in:
        return membership(e);
      case Op::add:
      case Op::sub:
      case Op::mul: {
        TOp op = e.op == Op::add ? TOp::add : e.op == Op::sub ? TOp::sub : TOp::mul;
        auto t = node(op, Type::number, e.pos);
        bool ok = true;
        for (const auto& a : e.args) {
          auto r = expect(visit(*a), Type::number, *a,
                          std::string("'") + op_symbol(e.op) + "' needs numbers");
          if (!r) ok = false;
          t->args.push_back(std::move(r));
        }
        return ok ? std::move(t) : nullptr;
      }
      case Op::negate: {
        auto a = expect(visit(*e.args[0]), Type::number, *e.args[0], "'-' needs a number");
        if (!a) return nullptr;
        auto t = node(TOp::negate, Type::number, e.pos);
        t->args.push_back(std::move(a));
        return t;
      }
    }
    r_.error(e.pos, "unsupported expression");
    return nullptr;
  }

  TExprPtr expect(TExprPtr t, Type type, const Expr& e, const std::string& why) {
    if (!t) return nullptr;
    if (t->type != type) {
      r_.error(e.pos,
               why + ", but " + show(e) + " is a " + type_name(t->type) + hint_for(*t, type));
      return nullptr;
    }
    return t;
  }

 private:
  static TExprPtr node(TOp op, Type type, Position pos) {
    auto t = std::make_unique<TExpr>();
    t->op = op;
    t->type = type;
    t->pos = pos;
    return t;
  }
  static TExprPtr constant(const Expr& e, Value v, Type type) {
    auto t = node(TOp::constant, type, e.pos);
    t->value = std::move(v);
    return t;
  }

  std::string hint_for(const TExpr& t, Type wanted) const {
    if (wanted == Type::boolean && t.op == TOp::option && t.type == Type::string) {
      return " (compare it: " + quote_name(cat_.options[t.index].id) + " == value)";
    }
    if (wanted == Type::boolean && t.op == TOp::slot_block) {
      return " (write " + quote_name(cat_.slots[t.index].id) +
             " != none to ask whether it is filled)";
    }
    return "";
  }

  std::vector<std::string> symbol_ids() const {
    std::vector<std::string> ids;
    for (const auto& o : cat_.options) ids.push_back(o.id);
    for (const auto& b : cat_.blocks) ids.push_back(b.id);
    for (const auto& s : cat_.slots) ids.push_back(s.id);
    for (const auto& s : cat_.services) ids.push_back(s.id);
    for (const auto& p : cat_.products) ids.push_back(p.id);
    for (const auto& m : cat_.measures) ids.push_back(m.id);
    // In an assembly instance, its own names as its rules write them (`disks`).
    const std::string prefix = r_.scope_ + ".";
    if (!r_.scope_.empty()) {
      for (size_t i = 0, n = ids.size(); i < n; ++i) {
        if (ids[i].size() > prefix.size() && ids[i].compare(0, prefix.size(), prefix) == 0)
          ids.push_back(ids[i].substr(prefix.size()));
      }
    }
    return ids;
  }

  std::string did_you_mean(const std::string& name, const std::vector<std::string>& candidates) {
    // Suggestions cost a scan of every id; large imported models get them for a few errors only.
    if (++suggestions_ > 20 && candidates.size() > 2000) return "";
    std::string best = closest_name(name, candidates);
    return best.empty() ? "" : " (did you mean " + quote_name(best) + "?)";
  }

  TExprPtr name(const Expr& e, Hint hint) {
    if (!e.quoted && e.text == "price") return node(TOp::price, Type::number, e.pos);
    if (hint.enum_option >= 0) {
      if (auto v = ix_.option_value_index(hint.enum_option, e.text)) {
        return constant(e, cat_.options[hint.enum_option].values[*v].value, Type::string);
      }
    }
    if (hint.slot >= 0 || hint.any_block) {
      if (auto b = ix_.block_index(e.text)) {
        if (hint.slot >= 0 && ix_.block_position_in_slot(hint.slot, *b) < 0) {
          r_.error(e.pos, "block " + quote_name(e.text) + " cannot fill slot " +
                              quote_name(cat_.slots[hint.slot].id) +
                              " (add it to the slot's blocks, or compare with one of them)");
          return nullptr;
        }
        auto t = node(TOp::block_constant, Type::block, e.pos);
        t->index = *b;
        return t;
      }
    }
    auto sym = ix_.find(e.text);
    if (!sym) {
      std::string message = "unknown name " + quote_name(e.text);
      if (hint.enum_option >= 0) {
        message += ": option " + quote_name(cat_.options[hint.enum_option].id) + " has no value " +
                   quote_string(e.text);
        std::vector<std::string> values;
        for (const auto& v : cat_.options[hint.enum_option].values)
          values.push_back(v.value.to_string());
        message += did_you_mean(e.text, values);
      } else {
        message += did_you_mean(e.text, symbol_ids());
        if (!is_plain_identifier(e.text) || ix_.attribute(e.text)) {
          // fallthrough: nothing more to suggest
        } else {
          message += "; a text value is written in double quotes";
        }
      }
      r_.error(e.pos, message);
      return nullptr;
    }
    switch (sym->kind) {
      case SymbolKind::option: {
        r_.options_mentioned_[sym->index] = true;
        auto t = node(TOp::option, option_type(cat_.options[sym->index]), e.pos);
        t->index = sym->index;
        return t;
      }
      case SymbolKind::block: {
        auto t = node(TOp::block_selected, Type::boolean, e.pos);
        t->index = sym->index;
        return t;
      }
      case SymbolKind::slot: {
        const Slot& s = cat_.slots[sym->index];
        if (s.max > 1) {
          r_.error(e.pos, "slot " + quote_name(s.id) + " can hold several blocks; use count(" +
                              quote_name(s.id) + "), 'BLOCK in " + quote_name(s.id) +
                              "' or sum/min/max(" + quote_name(s.id) + ".ATTRIBUTE)");
          return nullptr;
        }
        auto t = node(TOp::slot_block, Type::block, e.pos);
        t->index = sym->index;
        return t;
      }
      case SymbolKind::service: {
        auto t = node(TOp::service, Type::boolean, e.pos);
        t->index = sym->index;
        return t;
      }
      case SymbolKind::product: {
        auto t = node(TOp::product, Type::boolean, e.pos);
        t->index = sym->index;
        return t;
      }
      case SymbolKind::measure: {
        const TExpr* m = r_.measure(sym->index);
        if (!m) return nullptr;
        auto t = clone(*m);
        return t;
      }
    }
    return nullptr;
  }

  std::optional<int> attribute_of(const Expr& e, const std::string& attr) {
    auto a = ix_.attribute(attr);
    if (!a) {
      std::vector<std::string> names;
      for (const auto& info : ix_.attributes()) names.push_back(info.id);
      r_.error(e.pos, "unknown attribute " + quote_name(attr) +
                          " (no block has it and it is not declared)" + did_you_mean(attr, names));
      return std::nullopt;
    }
    return a;
  }

  TExprPtr member(const Expr& e) {
    const Expr& base = *e.args[0];
    if (base.op != Op::name) {
      r_.error(e.pos, "only a slot or a block has attributes: write SLOT." + quote_name(e.text));
      return nullptr;
    }
    auto sym = ix_.find(base.text);
    if (!sym || (sym->kind != SymbolKind::slot && sym->kind != SymbolKind::block)) {
      r_.error(base.pos, quote_name(base.text) +
                             (sym ? " is " + a_kind(sym->kind)
                                  : std::string(" is not a name in this catalog")) +
                             "; only a slot or a block has attributes");
      return nullptr;
    }
    auto a = attribute_of(e, e.text);
    if (!a) return nullptr;
    Type type = attribute_value_type(ix_.attributes()[*a].type);
    if (sym->kind == SymbolKind::block) {
      auto t = node(TOp::constant, type, e.pos);
      t->value = ix_.block_attribute(sym->index, *a);
      if (t->value.is_list()) {
        auto l = node(TOp::list, type, e.pos);
        for (const auto& item : t->value.as_list()) {
          auto c = node(TOp::constant, element_type(type), e.pos);
          c->value = item;
          l->args.push_back(std::move(c));
        }
        return l;
      }
      return t;
    }
    const Slot& s = cat_.slots[sym->index];
    if (s.max > 1) {
      r_.error(e.pos, "slot " + quote_name(s.id) + " can hold several blocks, so " +
                          quote_name(s.id) + "." + quote_name(e.text) +
                          " has several values; use sum(), min() or max() of it");
      return nullptr;
    }
    auto t = node(TOp::attribute, type, e.pos);
    t->index = sym->index;
    t->index2 = *a;
    return t;
  }

  TExprPtr list(const Expr& e, Hint hint) {
    auto t = node(TOp::list, Type::string_set, e.pos);
    std::optional<Type> element;
    for (const auto& item : e.args) {
      auto r = visit(*item, hint);
      if (!r) return nullptr;
      if (r->op != TOp::constant && r->op != TOp::block_constant) {
        r_.error(item->pos, "list items must be values, not expressions (" + show(*item) + ")");
        return nullptr;
      }
      if (element && *element != r->type) {
        r_.error(item->pos, std::string("a list holds values of one type: ") + show(*item) +
                                " is a " + type_name(r->type) + ", the first item a " +
                                type_name(*element));
        return nullptr;
      }
      element = r->type;
      t->args.push_back(std::move(r));
    }
    if (element == Type::boolean) {
      r_.error(e.pos, "a list of booleans is not supported");
      return nullptr;
    }
    t->type = set_of(element.value_or(Type::string));
    return t;
  }

  TExprPtr call(const Expr& e) {
    const std::string& f = e.text;
    if (f == "sum" || f == "min" || f == "max") {
      if (e.args.size() != 1) {
        r_.error(e.pos, f + "() takes one attribute: " + f + "(ATTRIBUTE) over every block, or " +
                            f + "(SLOT.ATTRIBUTE)");
        return nullptr;
      }
      const Expr& arg = *e.args[0];
      int slot = -1;
      std::string attr;
      if (arg.op == Op::name) {
        attr = arg.text;
      } else if (arg.op == Op::member && arg.args[0]->op == Op::name) {
        auto s = ix_.slot_index(arg.args[0]->text);
        if (!s) {
          r_.error(arg.args[0]->pos, quote_name(arg.args[0]->text) + " is not a slot" +
                                         did_you_mean(arg.args[0]->text, slot_ids()));
          return nullptr;
        }
        slot = *s;
        attr = arg.text;
      } else {
        r_.error(arg.pos, f + "() takes an attribute name or SLOT.ATTRIBUTE");
        return nullptr;
      }
      auto a = attribute_of(arg, attr);
      if (!a) return nullptr;
      if (ix_.attributes()[*a].type != AttributeType::number) {
        r_.error(arg.pos, f + "() needs a number attribute, but " + quote_name(attr) + " is a " +
                              attribute_type_name(ix_.attributes()[*a].type));
        return nullptr;
      }
      auto t = node(TOp::aggregate, Type::number, e.pos);
      t->agg = f == "sum" ? Agg::sum : f == "min" ? Agg::min : Agg::max;
      t->index = slot;
      t->index2 = *a;
      return t;
    }
    if (f == "count") {
      if (e.args.empty()) {
        auto t = node(TOp::count_slot, Type::number, e.pos);
        t->index = -1;
        return t;
      }
      auto t = node(TOp::count, Type::number, e.pos);
      for (const auto& arg : e.args) {
        if (arg->op == Op::name && !arg->quoted && arg->text == "price") {
          r_.error(arg->pos, "count() counts conditions or the blocks of slots, not prices");
          return nullptr;
        }
        if (arg->op == Op::name) {
          if (auto s = ix_.slot_index(arg->text)) {
            auto c = node(TOp::count_slot, Type::number, arg->pos);
            c->index = *s;
            t->args.push_back(std::move(c));
            continue;
          }
        }
        auto r = expect(visit(*arg), Type::boolean, *arg, "count() counts conditions and slots");
        if (!r) return nullptr;
        t->args.push_back(std::move(r));
      }
      return t;
    }
    r_.error(e.pos,
             "unknown function " + quote_name(f) + "(); the functions are sum, min, max and count");
    return nullptr;
  }

  std::vector<std::string> slot_ids() const {
    std::vector<std::string> ids;
    for (const auto& s : cat_.slots) ids.push_back(s.id);
    return ids;
  }

  Hint hint_from(const TExpr& t) const {
    Hint h;
    if (t.op == TOp::option && t.type == Type::string) h.enum_option = t.index;
    if (t.type == Type::block) {
      h.any_block = true;
      if (t.op == TOp::slot_block) h.slot = t.index;
    }
    return h;
  }

  static bool is_bare_name(const Expr& e) {
    return e.op == Op::name && !(e.text == "price" && !e.quoted);
  }

  std::pair<TExprPtr, TExprPtr> left_first(const Expr& a, const Expr& b) {
    auto ra = visit(a);
    if (!ra) return {};
    auto rb = visit(b, hint_from(*ra));
    return {std::move(ra), std::move(rb)};
  }

  // Resolves both sides of a binary operator, letting the side that is not a bare name give the
  // bare name its meaning (an option's value, a slot's block).
  std::pair<TExprPtr, TExprPtr> pair(const Expr& a, const Expr& b) {
    if (is_bare_name(a) && !is_bare_name(b)) {
      auto rb = visit(b);
      if (!rb) return {};
      auto ra = visit(a, hint_from(*rb));
      return {std::move(ra), std::move(rb)};
    }
    auto ra = visit(a);
    if (!ra) return {};
    auto rb = visit(b, hint_from(*ra));
    return {std::move(ra), std::move(rb)};
  }

  void check_enum_value(const TExpr& option_side, const TExpr& value_side, const Expr& value_expr) {
    if (option_side.op != TOp::option || option_side.type != Type::string) return;
    if (value_side.op != TOp::constant) return;
    if (!ix_.option_value_index(option_side.index, value_side.value)) {
      std::vector<std::string> values;
      for (const auto& v : cat_.options[option_side.index].values)
        values.push_back(v.value.to_string());
      r_.error(value_expr.pos, "option " + quote_name(cat_.options[option_side.index].id) +
                                   " has no value " + quote_string(value_side.value.as_string()) +
                                   did_you_mean(value_side.value.as_string(), values));
      bad_value_ = true;
    }
  }

  TExprPtr compare(const Expr& e) {
    auto [a, b] = pair(*e.args[0], *e.args[1]);
    if (!a || !b) return nullptr;
    Cmp cmp = e.op == Op::eq   ? Cmp::eq
              : e.op == Op::ne ? Cmp::ne
              : e.op == Op::lt ? Cmp::lt
              : e.op == Op::le ? Cmp::le
              : e.op == Op::gt ? Cmp::gt
                               : Cmp::ge;
    bool ordering = cmp != Cmp::eq && cmp != Cmp::ne;
    if (ordering && (a->type != Type::number || b->type != Type::number)) {
      const Expr& culprit = a->type != Type::number ? *e.args[0] : *e.args[1];
      Type t = a->type != Type::number ? a->type : b->type;
      r_.error(culprit.pos, std::string("'") + op_symbol(e.op) + "' compares numbers, but " +
                                show(culprit) + " is a " + type_name(t));
      return nullptr;
    }
    if (a->type != b->type || is_set(a->type)) {
      r_.error(e.pos, "cannot compare " + show(*e.args[0]) + " (" + type_name(a->type) + ") with " +
                          show(*e.args[1]) + " (" + type_name(b->type) + ")" +
                          (is_set(b->type) ? "; to test membership write 'x in SET'" : ""));
      return nullptr;
    }
    bad_value_ = false;
    check_enum_value(*a, *b, *e.args[1]);
    check_enum_value(*b, *a, *e.args[0]);
    if (bad_value_) return nullptr;
    auto t = node(TOp::compare, Type::boolean, e.pos);
    t->cmp = cmp;
    t->args.push_back(std::move(a));
    t->args.push_back(std::move(b));
    return t;
  }

  static bool is_set(Type t) {
    return t == Type::number_set || t == Type::string_set || t == Type::block_set;
  }

  TExprPtr membership(const Expr& e) {
    const Expr& left = *e.args[0];
    const Expr& right = *e.args[1];
    TExprPtr result;
    if (right.op == Op::name && ix_.slot_index(right.text)) {
      // BLOCK in SLOT
      int slot = *ix_.slot_index(right.text);
      auto b = left.op == Op::name ? ix_.block_index(left.text) : std::nullopt;
      if (!b) {
        r_.error(left.pos, "'x in " + quote_name(right.text) +
                               "' asks whether a block fills slot " + quote_name(right.text) +
                               ", so x must be a block id");
        return nullptr;
      }
      if (ix_.block_position_in_slot(slot, *b) < 0) {
        r_.error(left.pos,
                 "block " + quote_name(left.text) + " cannot fill slot " + quote_name(right.text));
        return nullptr;
      }
      result = node(TOp::block_in_slot, Type::boolean, e.pos);
      result->index = *b;
      result->index2 = slot;
    } else {
      // `x in [a, b]`: the left side gives bare names in the list their meaning.
      auto [a, b] = right.op == Op::list ? left_first(left, right) : pair(left, right);
      if (!a || !b) return nullptr;
      if (!is_set(b->type)) {
        r_.error(right.pos, "'in' needs a list or a set on its right, but " + show(right) +
                                " is a " + type_name(b->type));
        return nullptr;
      }
      if (b->args.empty() && b->op == TOp::list) {
        b->type = set_of(a->type);  // [] fits any element type
      }
      if (element_type(b->type) != a->type) {
        r_.error(e.pos, "cannot look for " + show(left) + " (" + type_name(a->type) + ") in " +
                            show(right) + " (" + type_name(b->type) + ")");
        return nullptr;
      }
      if (b->op == TOp::list) {
        bad_value_ = false;
        for (size_t i = 0; i < b->args.size(); ++i)
          check_enum_value(*a, *b->args[i], *right.args[i]);
        if (bad_value_) return nullptr;
      }
      result = node(TOp::member, Type::boolean, e.pos);
      result->args.push_back(std::move(a));
      result->args.push_back(std::move(b));
    }
    if (e.op == Op::not_in) {
      auto n = node(TOp::logical_not, Type::boolean, e.pos);
      n->args.push_back(std::move(result));
      return n;
    }
    return result;
  }

  Resolver& r_;
  const CatalogIndex& ix_;
  const Catalog& cat_;
  bool bad_value_ = false;
  int suggestions_ = 0;
};

Resolver::Resolver(const CatalogIndex& index, std::vector<Diagnostic>& diagnostics)
    : index_(index),
      diagnostics_(diagnostics),
      file_(index.catalog().source),
      measures_(index.catalog().measures.size()),
      measure_state_(index.catalog().measures.size(), 0),
      options_mentioned_(index.catalog().options.size(), false) {}

void Resolver::error(Position pos, std::string message) {
  diagnostics_.push_back({Severity::error, file_, pos, std::move(message)});
}

void Resolver::warning(Position pos, std::string message) {
  diagnostics_.push_back({Severity::warning, file_, pos, std::move(message)});
}

TExprPtr Resolver::parse_and_resolve(const std::string& text, Position where, Type expected,
                                     const char* expectation) {
  ParseFailure failure;
  ExprPtr ast = parse_expression(text, where, failure);
  if (!ast) {
    error(failure.pos, failure.message);
    return nullptr;
  }
  qualify(*ast);
  ResolveVisitor visitor(*this);
  return visitor.expect(visitor.visit(*ast), expected, *ast, expectation);
}

void Resolver::qualify(Expr& e) const {
  for (auto& a : e.args) qualify(*a);
  // In a rule of an assembly instance, a name the instance has (`disks` in `hd_units[2]`) is the
  // instance's (`hd_units[2].disks`). Member fields and function names are not names here.
  if (e.op == Op::name && !scope_.empty()) {
    std::string local = scope_ + "." + e.text;
    if (index_.find(local)) {
      e.text = std::move(local);
      e.quoted = true;  // a name now, never the keyword `price`
    }
  }
  // A path into an instance (`front_wheel.rim`, `hd_units[1].cages[2].fans`, in an instance's rule
  // `cages[2].fans`) names what it reaches when there is such a thing; otherwise it is an
  // attribute (`sole.weight`).
  std::string path;
  const Expr* first = &e;
  if (e.op == Op::member && path_of(e, path, first)) {
    std::string found;
    if (!scope_.empty() && index_.find(scope_ + "." + path))
      found = scope_ + "." + path;
    else if (index_.find(path))
      found = std::move(path);
    if (!found.empty()) {
      Position pos = first->pos;
      e.args.clear();
      e.op = Op::name;
      e.text = std::move(found);
      e.quoted = true;
      e.pos = pos;
    }
  }
}

bool Resolver::path_of(const Expr& e, std::string& path, const Expr*& first) {
  if (e.op == Op::name) {
    path = e.text;
    first = &e;
    return true;
  }
  if (e.op != Op::member || e.args.empty() || !path_of(*e.args[0], path, first)) return false;
  path += "." + e.text;
  return true;
}

TExprPtr Resolver::rule_when(const Rule& rule) {
  TExprPtr when;
  if (!rule.when.empty()) {
    scope_ = rule.scope;
    when = boolean(rule.when, rule.when_where);
    scope_.clear();
    if (!when) return nullptr;
  }
  if (rule.scope.empty()) return when;
  std::optional<InstanceRef> found = find_instance(index_, rule.scope);
  if (!found) {
    error(rule.where, "rule " + quote_name(rule.id) + " has scope " + quote_name(rule.scope) +
                          ", which is no instance of an assembly: name a slot, and an instance "
                          "number in brackets when it holds several");
    return nullptr;
  }
  TExprPtr present = boolean(
      "count(" + quote_name(found->slot) + ") >= " + std::to_string(found->number), rule.where);
  if (!present || !when) return present;
  auto both = std::make_unique<TExpr>();
  both->op = TOp::logical_and;
  both->type = Type::boolean;
  both->pos = rule.where;
  both->args.push_back(std::move(present));
  both->args.push_back(std::move(when));
  return both;
}

TExprPtr Resolver::rule_expression(const Rule& rule) {
  scope_ = rule.scope;
  TExprPtr e = boolean(rule.expression, rule.expression_where);
  scope_.clear();
  return e;
}

TExprPtr Resolver::boolean(const std::string& text, Position where) {
  return parse_and_resolve(text, where, Type::boolean, "a condition must be true or false");
}

TExprPtr Resolver::number(const std::string& text, Position where) {
  return parse_and_resolve(text, where, Type::number, "a quantity must be a number");
}

const TExpr* Resolver::measure(int m) {
  if (measure_state_[m] == 2) return measures_[m].get();
  const Measure& measure = index_.catalog().measures[m];
  if (measure_state_[m] == 1) {
    error(measure.expression_where,
          "measure " + quote_name(measure.id) + " refers to itself through other measures");
    measures_[m] = nullptr;
    return nullptr;
  }
  measure_state_[m] = 1;
  std::string scope = std::exchange(scope_, {});  // a measure means the same in every rule
  auto t = number(measure.expression, measure.expression_where);
  scope_ = std::move(scope);
  if (measure_state_[m] == 1) {
    measures_[m] = std::move(t);
    measure_state_[m] = 2;
  }
  return measures_[m].get();
}

}  // namespace sumisura::detail
