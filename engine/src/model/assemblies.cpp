#include "model/assemblies.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "model/catalog_index.hpp"
#include "model/expression.hpp"
#include "model/resolve.hpp"

namespace sumisura::detail {

InstanceRef parse_instance(std::string_view scope) {
  if (!scope.empty() && scope.back() == ']') {
    size_t open = scope.rfind('[');
    if (open != std::string_view::npos && open + 2 < scope.size()) {
      std::string_view digits = scope.substr(open + 1, scope.size() - open - 2);
      if (digits.size() <= 6 &&
          std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return {std::string(scope.substr(0, open)), std::stoi(std::string(digits))};
    }
  }
  return {std::string(scope), 1};
}

std::optional<InstanceRef> find_instance(const CatalogIndex& index, std::string_view scope) {
  if (index.slot_index(std::string(scope))) return InstanceRef{std::string(scope), 1};
  InstanceRef ref = parse_instance(scope);
  if (ref.slot.size() < scope.size() && index.slot_index(ref.slot)) return ref;
  return std::nullopt;
}

std::optional<InstanceRef> owner_instance(const CatalogIndex& index, std::string_view id) {
  for (size_t dot = id.rfind('.'); dot != std::string_view::npos && dot > 0;
       dot = id.rfind('.', dot - 1)) {
    if (auto ref = find_instance(index, id.substr(0, dot))) return ref;
  }
  return std::nullopt;
}

namespace {

const Assembly* find_assembly(const Catalog& c, const std::string& id) {
  for (const auto& a : c.assemblies) {
    if (a.id == id) return &a;
  }
  return nullptr;
}

class AssemblyChecker {
 public:
  explicit AssemblyChecker(const Catalog& c) : c_(c) {}

  std::vector<Diagnostic> run() {
    std::set<std::string> ids;
    std::vector<std::string> names;
    for (const auto& a : c_.assemblies) {
      if (!ids.insert(a.id).second)
        error(a.where, "duplicate assembly id " + quote_name(a.id) + "; give each its own id");
      names.push_back(a.id);
    }
    for (const auto& s : c_.slots) slot(s, names);
    for (const auto& a : c_.assemblies) {
      for (const auto& s : a.slots) slot(s, names);
      for (const auto& o : a.options) {
        // An absent instance keeps its options' defaults: they must cost nothing.
        const OptionValue* fixed = o.values.empty() ? nullptr : &o.values.front();
        for (const auto& v : o.values) {
          if (o.default_value && v.value == *o.default_value) fixed = &v;
        }
        if (fixed && fixed->price != Decimal())
          error(o.where, "option " + quote_name(o.id) + " of assembly " + quote_name(a.id) +
                             " costs " + fixed->price.to_string() + " at its default " +
                             fixed->value.to_string() +
                             ", which an instance not in the product would be charged; give it "
                             "a default without a surcharge");
      }
      for (const auto& r : a.rules) {
        if (!r.products.empty())
          error(r.where, "rule " + quote_name(r.id) + " of assembly " + quote_name(a.id) +
                             " names products; a rule inside an assembly holds in every "
                             "instance: move it to the catalog's rules");
        if (!r.scope.empty())
          error(r.where, "rule " + quote_name(r.id) + " of assembly " + quote_name(a.id) +
                             " has a scope; inside an assembly the scope is each instance");
      }
    }
    if (!diagnostics_.empty()) return diagnostics_;
    cycles();
    if (!diagnostics_.empty()) return diagnostics_;
    size_t total = c_.options.size() + c_.rules.size();
    const Slot* largest = nullptr;
    size_t largest_size = 0;
    for (const auto& s : c_.slots) {
      size_t size = instances_size(s);
      total = add(total, 1 + size);
      if (size > largest_size) largest = &s, largest_size = size;
    }
    if (total > kMaxExpandedItems && largest) {
      error(largest->where, "the assemblies' instances expand to more than " +
                                std::to_string(kMaxExpandedItems) +
                                " options, slots and rules (slot " + quote_name(largest->id) +
                                " holds the most); hold fewer instances or make them smaller");
    }
    return diagnostics_;
  }

 private:
  void error(Position pos, std::string message) {
    diagnostics_.push_back({Severity::error, c_.source, pos, std::move(message)});
  }

  void slot(const Slot& s, const std::vector<std::string>& names) {
    if (s.assembly.empty()) return;
    if (!find_assembly(c_, s.assembly)) {
      error(s.where, "slot " + quote_name(s.id) + " holds unknown assembly " +
                         quote_name(s.assembly) + closest_hint(s.assembly, names));
    }
    if (!s.blocks.empty() || s.repeat || s.default_blocks)
      error(s.where, "slot " + quote_name(s.id) +
                         " holds assembly instances, so it lists no blocks, repeat or default; "
                         "put blocks in the assembly's own slots");
  }

  static std::string closest_hint(const std::string& name, const std::vector<std::string>& all) {
    std::string close = closest_name(name, all);
    return close.empty() ? " (no assembly has that id)" : " (did you mean " + close + "?)";
  }

  // An assembly that holds itself, directly or through others, never ends; one nested too deep is
  // refused before anything recurses over it. `height` memoises the longest chain below each
  // assembly, so a chain through assemblies already visited counts in full, and the recursion
  // itself never goes deeper than the limit.
  void cycles() {
    std::map<std::string, int> state;      // 1 on the path, 2 done
    std::map<std::string, size_t> height;  // longest chain of assemblies from here, itself included
    std::vector<std::string> path;
    auto too_deep = [&](const Assembly& a) {
      error(a.where, "assemblies nest more than " + std::to_string(kMaxAssemblyDepth) + " deep (" +
                         quote_name(path.front()) + " holds ... " + quote_name(a.id) +
                         "); flatten the structure");
      return false;
    };
    auto visit = [&](auto&& self, const Assembly& a) -> bool {
      state[a.id] = 1;
      path.push_back(a.id);
      if (path.size() > kMaxAssemblyDepth) return too_deep(a);
      size_t below = 0;
      for (const auto& s : a.slots) {
        const Assembly* b = s.assembly.empty() ? nullptr : find_assembly(c_, s.assembly);
        if (!b) continue;
        if (state[b->id] == 1) {
          std::string cycle;
          auto from = std::find(path.begin(), path.end(), b->id);
          for (auto it = from; it != path.end(); ++it) cycle += quote_name(*it) + " holds ";
          error(s.where, "assemblies hold each other in a cycle: " + cycle + quote_name(b->id) +
                             "; an instance cannot contain itself");
          return false;
        }
        if (state[b->id] == 0 && !self(self, *b)) return false;
        below = std::max(below, height[b->id]);
        if (path.size() + below > kMaxAssemblyDepth) return too_deep(*b);
      }
      height[a.id] = below + 1;
      path.pop_back();
      state[a.id] = 2;
      return true;
    };
    for (const auto& a : c_.assemblies) {
      if (state[a.id] == 0 && !visit(visit, a)) return;
    }
  }

  static size_t add(size_t a, size_t b) { return std::min(a + b, kMaxExpandedItems + 1); }
  static size_t times(size_t a, size_t b) {
    return b != 0 && a > (kMaxExpandedItems + 1) / b ? kMaxExpandedItems + 1 : a * b;
  }

  // What the instances a slot holds expand to (the slot itself aside).
  size_t instances_size(const Slot& s) {
    const Assembly* a = s.assembly.empty() ? nullptr : find_assembly(c_, s.assembly);
    if (!a) return 0;
    auto it = size_.find(a->id);
    size_t one = 0;
    if (it != size_.end()) {
      one = it->second;
    } else {
      // Per instance: its options and slots with a rule each (when it may be absent), its rules,
      // and the order between instances.
      one = a->options.size() * 2 + a->rules.size() + 1;
      for (const auto& t : a->slots) one = add(one, 2 + instances_size(t));
      size_[a->id] = one;
    }
    return times(one, static_cast<size_t>(std::max(s.max, 0)));
  }

  const Catalog& c_;
  std::vector<Diagnostic> diagnostics_;
  std::map<std::string, size_t> size_;
};

/// A number expression of an instance, with the greatest value it takes (the least is 0): a
/// coordinate of the order between identical instances.
struct Coordinate {
  std::string text;
  int64_t range = 1;
};

std::string literal(const Value& v) {
  if (v.is_string()) return quote_string(v.as_string());
  return v.to_string();  // numbers and booleans as written
}

class Expander {
 public:
  explicit Expander(const Catalog& c) : in_(c) {}

  Catalog run() {
    out_ = in_;
    out_.slots.clear();
    out_.assemblies.clear();
    for (const auto& a : in_.assemblies) {
      Block b;
      b.id = a.id;
      b.label = a.label;
      b.description = a.description;
      b.price = a.price;
      b.attributes = a.attributes;
      b.where = a.where;
      out_.blocks.push_back(std::move(b));
    }
    for (const auto& s : in_.slots) {
      size_t slots = out_.slots.size() + 1, options = out_.options.size();
      // A product without the slot holds no instance: then not even the first is always there.
      bool everywhere =
          std::all_of(in_.products.begin(), in_.products.end(), [&](const Product& p) {
            return p.slots.empty() ||
                   std::find(p.slots.begin(), p.slots.end(), s.id) != p.slots.end();
          });
      place(s, everywhere);
      if (s.assembly.empty()) continue;
      // A product that has the slot has its instances' slots and options too.
      for (auto& p : out_.products) {
        bool has =
            p.slots.empty() || std::find(p.slots.begin(), p.slots.end(), s.id) != p.slots.end();
        if (!has) continue;
        if (!p.slots.empty()) {
          for (size_t k = slots; k < out_.slots.size(); ++k) p.slots.push_back(out_.slots[k].id);
        }
        if (!p.options.empty()) {
          for (size_t k = options; k < out_.options.size(); ++k)
            p.options.push_back(out_.options[k].id);
        }
      }
    }
    return std::move(out_);
  }

 private:
  const Assembly& assembly(const std::string& id) const { return *find_assembly(in_, id); }

  /// Adds slot `s` (named for where it sits) and, when it holds assemblies, their instances.
  /// `always`: the slot's owner is in every product (the catalog itself, or an instance that is).
  void place(Slot s, bool always) {
    if (s.assembly.empty()) {
      out_.slots.push_back(std::move(s));
      return;
    }
    const Assembly& a = assembly(s.assembly);
    s.assembly.clear();
    s.blocks = {a.id};
    s.repeat = s.max > 1;
    out_.slots.push_back(s);
    for (int k = 1; k <= s.max; ++k)
      instance(a, instance_name(s, k), s.id, k, always && s.min >= k);
    for (int k = 1; k < s.max; ++k) order(a, s, k);
  }

  static std::string instance_name(const Slot& holder, int k) {
    return holder.max > 1 ? holder.id + "[" + std::to_string(k) + "]" : holder.id;
  }

  static std::string presence(const std::string& holder, int k) {
    return "count(" + quote_name(holder) + ") >= " + std::to_string(k);
  }

  Rule generated_rule(std::string id, std::string message, Position where) {
    Rule r;
    r.id = std::move(id);
    r.message = std::move(message);
    r.generated = true;
    r.where = where;
    r.expression_where = where;
    return r;
  }

  void instance(const Assembly& a, const std::string& name, const std::string& holder, int k,
                bool always) {
    std::string label = a.label.empty() ? a.id : a.label;
    std::string present = presence(holder, k);
    for (const auto& o : a.options) {
      Option copy = o;
      copy.id = name + "." + o.id;
      if (!always) {
        // An absent instance's option keeps its default, as an option a product lacks does.
        Value fixed = o.default_value    ? *o.default_value
                      : o.values.empty() ? Value()
                                         : o.values.front().value;
        Rule r = generated_rule(
            copy.id + " when absent",
            "An absent " + label + " has no " + (o.label.empty() ? o.id : o.label) + " to choose.",
            o.where);
        r.expression = present + " or " + quote_name(copy.id) + " == " + literal(fixed);
        out_.rules.push_back(std::move(r));
      }
      out_.options.push_back(std::move(copy));
    }
    for (const auto& t : a.slots) {
      Slot copy = t;
      copy.id = name + "." + t.id;
      if (!always) {
        // Present: what the slot says; absent: nothing.
        std::string min = std::to_string(t.min);
        Rule r = generated_rule(
            copy.id + " when absent",
            "An absent " + label + " holds nothing in " + (t.label.empty() ? t.id : t.label) + ".",
            t.where);
        std::string count = "count(" + quote_name(copy.id) + ")";
        r.expression = t.min > 0 ? "(" + present + ") iff " + count + " >= " + min
                                 : present + " or " + count + " == 0";
        out_.rules.push_back(std::move(r));
        parse_cardinality("0, " + cardinality_text(t), copy);
      }
      place(std::move(copy), always);
    }
    std::set<std::string> local;
    for (const auto& o : a.options) local.insert(o.id);
    for (const auto& t : a.slots) local.insert(t.id);
    for (const auto& r : a.rules) {
      Rule copy = r;
      copy.id = name + "." + r.id;
      copy.scope = name;
      for (auto& column : copy.columns) {
        if (local.count(column)) column = name + "." + column;
      }
      out_.rules.push_back(std::move(copy));
    }
  }

  /// What tells two instances apart, in a fixed order: each option's value, each block's quantity
  /// in each slot, and the instances each slot holds (in their own order).
  void coordinates(const Assembly& a, const std::string& name, std::vector<Coordinate>& out) {
    for (const auto& o : a.options) {
      std::string id = quote_name(name + "." + o.id);
      if (o.kind == OptionKind::integer && !o.values.empty()) {
        int64_t low = o.values.front().value.as_number().integer_part(), high = low;
        for (const auto& v : o.values) {
          low = std::min(low, v.value.as_number().integer_part());
          high = std::max(high, v.value.as_number().integer_part());
        }
        out.push_back({id + " - (" + std::to_string(low) + ")", high - low});
      } else if (o.kind == OptionKind::boolean) {
        out.push_back({"count(" + id + ")", 1});
      } else {
        for (size_t v = 1; v < o.values.size(); ++v)
          out.push_back({"count(" + id + " == " + literal(o.values[v].value) + ")", 1});
      }
    }
    for (const auto& t : a.slots) {
      std::string id = name + "." + t.id;
      if (!t.assembly.empty()) {
        out.push_back({"count(" + quote_name(id) + ")", t.max});
        Slot holder = t;
        holder.id = id;
        for (int j = 1; j <= t.max; ++j)
          coordinates(assembly(t.assembly), instance_name(holder, j), out);
        continue;
      }
      for (const auto& b : t.blocks)
        out.push_back({"count(" + quote_name(b) + " in " + quote_name(id) + ")", t.max});
    }
  }

  /// Packs [from, to) of `packed` (first: instance k, second: k + 1) compared lexicographically:
  /// greater, or greater or equal with `or_equal`. Balanced (halves), so that the expression nests
  /// as the logarithm of the number of packs, within the parser's depth.
  static std::string lexicographic(const std::vector<std::pair<std::string, std::string>>& packed,
                                   size_t from, size_t to, bool or_equal) {
    if (to - from == 1)
      return packed[from].first + (or_equal ? " >= " : " > ") + packed[from].second;
    size_t mid = from + (to - from) / 2;
    std::string equal;
    for (size_t p = from; p < mid; ++p)
      equal += (equal.empty() ? "" : " and ") + packed[p].first + " == " + packed[p].second;
    return "(" + lexicographic(packed, from, mid, false) + ") or (" + equal + " and (" +
           lexicographic(packed, mid, to, or_equal) + "))";
  }

  /// Instance k of slot s holds at least what instance k + 1 holds (lexicographically), whenever
  /// both are present: of the n! orders of identical instances, one is a product.
  void order(const Assembly& a, const Slot& s, int k) {
    std::vector<Coordinate> first, second;
    coordinates(a, instance_name(s, k), first);
    coordinates(a, instance_name(s, k + 1), second);
    if (first.empty()) return;  // nothing tells instances apart: the count says everything
    // Coordinates are packed into numbers of at most 10^9 (mixed radix), compared in turn.
    constexpr int64_t kPack = 1000000000;
    std::vector<std::pair<std::string, std::string>> packed;  // (instance k, instance k + 1)
    size_t i = 0;
    while (i < first.size()) {
      size_t j = i;
      int64_t span = 1;
      while (j < first.size() && span <= kPack / (first[j].range + 1)) span *= first[j++].range + 1;
      if (j == i) ++j;  // a single coordinate wider than a pack stands alone
      std::string x, y;
      int64_t weight = 1;
      for (size_t c = j; c-- > i;) {
        std::string factor = weight == 1 ? "" : " * " + std::to_string(weight);
        x = "(" + first[c].text + ")" + factor + (x.empty() ? "" : " + " + x);
        y = "(" + second[c].text + ")" + factor + (y.empty() ? "" : " + " + y);
        weight *= first[c].range + 1;
      }
      packed.emplace_back(std::move(x), std::move(y));
      i = j;
    }
    std::string expression = lexicographic(packed, 0, packed.size(), true);
    std::string label = a.label.empty() ? a.id : a.label;
    Rule r = generated_rule(instance_name(s, k) + " before " + instance_name(s, k + 1),
                            "Identical " + label +
                                " instances are listed once, in order: " + instance_name(s, k) +
                                " holds at least what " + instance_name(s, k + 1) + " holds.",
                            s.where);
    r.when = presence(s.id, k + 1);
    r.when_where = s.where;
    r.expression = std::move(expression);
    out_.rules.push_back(std::move(r));
  }

  const Catalog& in_;
  Catalog out_;
};

}  // namespace

std::vector<Diagnostic> check_assemblies(const Catalog& catalog) {
  AssemblyChecker checker(catalog);
  return checker.run();
}

Catalog expand_assemblies(const Catalog& catalog) {
  Expander expander(catalog);
  return expander.run();
}

}  // namespace sumisura::detail
