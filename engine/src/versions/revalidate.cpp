// revalidate(): saved orders checked against a (new) catalog version, each still valid, repriced,
// or broken with the rules it breaks and the repairs that keep most of its choices.
//
// Each distinct set of choices is one configure call: the choices as requirements of equal
// weight, the cheapest product first. A complete order has exactly one product, so its price is
// the new price; a partial one (a saved session) is priced at its cheapest completion. When the
// choices cannot hold together, configure's minimal conflict names the choices and the catalog
// rules, and its repairs are the minimal sets of choices to give up, fewest (least weight) first,
// then the oldest — the ranking sessions use — each with the product it yields.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <map>
#include <mutex>
#include <system_error>
#include <thread>

#include "io/readers.hpp"
#include "memory/preference_data.hpp"
#include "reason/engine.hpp"
#include "sumisura/versions.hpp"

namespace sumisura {

const char* to_string(Verdict v) {
  switch (v) {
    case Verdict::valid:
      return "valid";
    case Verdict::repriced:
      return "repriced";
    case Verdict::broken:
      return "broken";
    case Verdict::undecided:
      return "undecided";
  }
  return "undecided";
}

std::vector<Order> parse_saved_orders(const Configurator& configurator, const std::string& text,
                                      const std::string& source) {
  detail::OrderColumns columns = detail::OrderColumns::of(*configurator.engine());
  return detail::read_orders(configurator, columns, text, source, true);
}

std::vector<Order> load_saved_orders(const Configurator& configurator, const std::string& path) {
  return parse_saved_orders(configurator, detail::read_file(path, detail::kMaxModelFileBytes),
                            path);
}

namespace {

/// A variable the catalog lacks, chosen at the value a catalog without it means: still holds.
bool empty_choice(const std::string& value) {
  return value == "false" || value == "none" || value == "0" || value == "null";
}

/// Every variable of a configure result's product, as choices (SLOT.BLOCK quantities for slots
/// that hold several blocks). Options and slots outside the product's scope take what the
/// catalog fixes them to (the default or first value; empty).
std::vector<Choice> product_choices(const Catalog& catalog, const ConfigureResult& r) {
  std::vector<Choice> out;
  if (!r.product.empty()) out.push_back({"product", r.product});
  for (const auto& option : catalog.options) {
    auto it = std::find_if(r.options.begin(), r.options.end(),
                           [&](const OptionChoice& o) { return o.option == option.id; });
    if (it != r.options.end()) {
      out.push_back({option.id, it->value.to_string()});
    } else if (!option.values.empty()) {
      Value fixed = option.default_value ? *option.default_value : option.values.front().value;
      out.push_back({option.id, fixed.to_string()});
    }
  }
  for (const auto& slot : catalog.slots) {
    auto it = std::find_if(r.slots.begin(), r.slots.end(),
                           [&](const SlotFill& f) { return f.slot == slot.id; });
    auto quantity = [&](const std::string& block) {
      int q = 0;
      if (it != r.slots.end())
        for (const auto& item : it->blocks)
          if (item.block == block) q += item.quantity;
      return q;
    };
    if (slot.max <= 1) {
      std::string held = "none";
      for (const auto& b : slot.blocks)
        if (quantity(b) > 0) held = b;
      out.push_back({slot.id, held});
      continue;
    }
    for (const auto& b : slot.blocks)
      out.push_back({slot.id + "." + b, std::to_string(quantity(b))});
  }
  for (const auto& sv : catalog.services) {
    bool in = std::find(r.services.begin(), r.services.end(), sv.id) != r.services.end();
    out.push_back({sv.id, in ? "true" : "false"});
  }
  return out;
}

/// What one distinct set of choices comes to under the catalog.
struct Outcome {
  std::vector<Choice> unknown;
  std::vector<std::string> problems;
  std::vector<Choice> kept;
  bool complete = true;
  Verdict verdict = Verdict::undecided;  // valid stands for "has a product" until priced
  std::optional<Decimal> total;
  Conflict conflict;
  std::vector<OrderRepair> repairs;
};

class Checker {
 public:
  Checker(const Configurator& c, const RevalidateOptions& options)
      : c_(c), options_(options), columns_(detail::OrderColumns::of(*c.engine())) {
    // A catalog without prices that compiled: an order that still holds is one counting pass
    // (configure would also build the product, which a verdict does not need).
    const detail::Model& m = c.engine()->model();
    if (m.price.empty() && m.price_constant == 0 && options.limits.use_compiled)
      unpriced_ = c.engine()->compiled_for_configure();
  }

  Outcome check(const std::vector<Choice>& choices, const std::string& tier) const {
    Outcome out;
    std::vector<char> set(columns_.names.size(), 0);
    detail::FixedValues fixed;
    for (const auto& ch : choices) {
      int col = columns_.column(ch.name);
      if (col < 0) {
        if (empty_choice(ch.value)) continue;
        out.unknown.push_back(ch);
        out.problems.push_back("'" + ch.name + "' is no longer in the catalog (the order has " +
                               ch.name + "=" + ch.value + ")");
        continue;
      }
      int k = columns_.value_index(col, ch.value);
      if (k < 0) {
        out.unknown.push_back(ch);
        out.problems.push_back("'" + ch.name + "' no longer has the value '" + ch.value + "'");
        continue;
      }
      fixed.push_back({col, static_cast<uint32_t>(k)});
      set[col] = 1;
      // The catalog's own text of the value: `1.0` in a sales export is the quantity 1.
      out.kept.push_back({ch.name, columns_.values[col][k]});
    }
    out.complete = std::all_of(set.begin(), set.end(), [](char x) { return x != 0; });
    if (unpriced_ && out.unknown.empty() && tier.empty() && !unpriced_->count(fixed).is_zero()) {
      out.verdict = Verdict::valid;
      out.total = Decimal();
      return out;
    }
    Spec spec;
    for (const auto& ch : out.kept)
      spec.requirements.push_back(Requirement::assignment_of(ch.name, ch.value));
    spec.objective = {Objective::cheapest};
    bool tier_known = std::any_of(c_.catalog().tiers.begin(), c_.catalog().tiers.end(),
                                  [&](const Tier& t) { return t.id == tier; });
    if (!tier.empty() && !tier_known) {
      out.problems.push_back("the tier '" + tier + "' is no longer in the catalog");
    } else {
      spec.tier = tier;
    }
    Limits limits = options_.limits;
    limits.max_repairs = options_.max_repairs;
    limits.explain = true;
    ConfigureResult r = c_.configure(spec, limits);
    bool lost = !out.unknown.empty() || (!tier.empty() && !tier_known);
    if (r.status == Status::unknown) {
      if (lost) out.verdict = Verdict::broken;  // certainly, though no repair was found in time
      return out;
    }
    if (r.has_product()) {
      out.total = r.price.total;
      out.verdict = lost ? Verdict::broken : Verdict::valid;
      if (lost)
        out.repairs.push_back({out.unknown, r.price.total, product_choices(c_.catalog(), r)});
      return out;
    }
    out.verdict = Verdict::broken;
    out.conflict = r.conflict;
    for (const auto& rep : r.repairs) {
      OrderRepair x;
      x.drop = out.unknown;
      for (int i : rep.drop_indices) x.drop.push_back(out.kept[i]);
      if (rep.result && rep.result->has_product()) {
        x.total = rep.result->price.total;
        x.product = product_choices(c_.catalog(), *rep.result);
      }
      out.repairs.push_back(std::move(x));
    }
    return out;
  }

 private:
  const Configurator& c_;
  const RevalidateOptions& options_;
  detail::OrderColumns columns_;
  const detail::CompiledCatalog* unpriced_ = nullptr;
};

/// Equal orders: the same choices in the same order (the order ranks repairs) at the same tier.
std::string key_of(const Order& o) {
  std::string key = o.tier + '\x1e';
  for (const auto& c : o.choices) key += c.name + '\x1f' + c.value + '\x1e';
  return key;
}

}  // namespace

Revalidation revalidate(const Configurator& configurator, const std::vector<Order>& orders,
                        const RevalidateOptions& options) {
  auto start = std::chrono::steady_clock::now();
  // Configure answers on the compiled form where the catalog has one: settle it first.
  configurator.compile();
  std::map<std::string, size_t> distinct;
  std::vector<size_t> of_order;
  std::vector<const Order*> firsts;
  for (const auto& o : orders) {
    auto [it, added] = distinct.emplace(key_of(o), firsts.size());
    if (added) firsts.push_back(&o);
    of_order.push_back(it->second);
  }
  std::vector<Outcome> outcomes(firsts.size());
  Checker checker(configurator, options);
  std::atomic<size_t> next{0};
  std::atomic<size_t> done{0};
  std::mutex progress_mutex;
  // An exception in a worker thread would end the process: the first one stops every worker
  // and is thrown again in the caller's thread once they are joined.
  std::exception_ptr failure;
  auto work = [&] {
    try {
      for (size_t i; (i = next++) < firsts.size();) {
        try {
          outcomes[i] = checker.check(firsts[i]->choices, firsts[i]->tier);
        } catch (const Error& e) {  // one order the engine cannot read: said there, not fatal
          outcomes[i] = Outcome{};
          outcomes[i].problems.push_back(e.what());
        }
        size_t finished = ++done;
        if (options.progress) {
          std::lock_guard<std::mutex> lock(progress_mutex);
          options.progress(finished, firsts.size());
        }
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(progress_mutex);
      if (!failure) failure = std::current_exception();
      next = firsts.size();
    }
  };
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  unsigned threads = options.threads > 0 ? static_cast<unsigned>(options.threads) : cores;
  threads = std::min(threads, 4 * cores);  // more threads than that only contend
  threads = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(firsts.size())));
  std::vector<std::thread> pool;
  try {
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  } catch (const std::system_error&) {
    // Fewer threads than asked for: those started and this one do the work.
  }
  work();
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);

  Revalidation out;
  out.distinct = firsts.size();
  for (Outcome& x : outcomes) {
    out.findings.push_back(
        {std::move(x.problems), std::move(x.unknown), std::move(x.conflict), std::move(x.repairs)});
  }
  for (size_t i = 0; i < orders.size(); ++i) {
    const Order& o = orders[i];
    const Outcome& x = outcomes[of_order[i]];
    OrderCheck c;
    c.index = i;
    c.source = o.source;
    c.line = o.where.line;
    c.old_total = o.total;
    c.new_total = x.total;
    c.complete = o.complete || x.complete;
    c.finding = of_order[i];
    c.verdict = x.verdict;
    if (c.verdict == Verdict::valid && c.old_total && c.new_total && *c.old_total != *c.new_total)
      c.verdict = Verdict::repriced;
    switch (c.verdict) {
      case Verdict::valid:
        ++out.valid;
        break;
      case Verdict::repriced:
        ++out.repriced;
        break;
      case Verdict::broken:
        ++out.broken;
        break;
      case Verdict::undecided:
        ++out.undecided;
        break;
    }
    out.orders.push_back(std::move(c));
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace sumisura
