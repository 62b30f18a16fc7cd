// Random catalogs, conditions, specifications and choices (see random_catalog.hpp).
#include "random_catalog.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "brute_force.hpp"

namespace sumisura::proptest {
namespace {

Decimal dec(const std::string& text) {
  return *Decimal::parse(text);
}

bool contains(const std::vector<std::string>& list, const std::string& id) {
  return std::find(list.begin(), list.end(), id) != list.end();
}

const std::vector<std::string> kBlockPrices = {"0",     "10",       "12.35", "25",  "7.5",
                                               "99.99", "3.333333", "40",    "1.01"};
const std::vector<std::string> kSurcharges = {"5",    "12.35", "0.5", "7.99",    "15",
                                              "2.25", "20",    "-3",  "0.333333"};
const std::vector<std::string> kBasePrices = {"100", "49.99", "80", "120.5", "0", "33.333333"};
const std::vector<std::string> kServicePrices = {"9.99", "15", "4.5", "0", "0.01"};
const std::vector<std::string> kPercents = {"10", "12.5", "7", "33", "2.5", "0.5", "15.55"};
const std::vector<std::string> kBundleAmounts = {"5", "10", "2.5", "12.35", "0.01"};
const std::vector<std::string> kBundlePercents = {"10", "15", "12.5", "50", "33", "7.77"};
const std::vector<std::string> kTierPercents = {"5", "10", "12.5", "33", "3.7"};
const std::vector<std::string> kWeights = {"0", "1", "2.5", "3", "5", "8", "0.25"};
const std::vector<std::string> kMaterials = {"leather", "rubber", "canvas"};

struct OptionPlan {
  std::string id;
  OptionKind kind;
  std::vector<std::string> pool;  // enumeration values or integers as text
};

const std::vector<OptionPlan> kOptionPool = {
    {"color", OptionKind::enumeration, {"black", "navy", "red", "white"}},
    {"finish", OptionKind::enumeration, {"matte", "gloss", "satin", "raw"}},
    {"size", OptionKind::integer, {"38", "39", "40", "41", "42", "43"}},
    {"len", OptionKind::integer, {"1", "2", "3", "4"}},
    {"gift", OptionKind::boolean, {}},
    {"rush", OptionKind::boolean, {}},
};

Option make_option(Rng& rng, const OptionPlan& plan) {
  Option o;
  o.id = plan.id;
  o.kind = plan.kind;
  if (plan.kind == OptionKind::boolean) {
    o.values.push_back({Value::boolean(false), "", Decimal(), {}});
    o.values.push_back(
        {Value::boolean(true), "", rng.chance(50) ? dec(rng.pick(kSurcharges)) : Decimal(), {}});
  } else {
    int k = rng.chance(6) ? 1 : rng.between(2, std::min<int>(4, plan.pool.size()));
    std::vector<std::string> chosen;
    if (rng.chance(10)) {
      // A wide domain (more than 8 values: the engine encodes those differently).
      int wide = rng.between(9, 12);
      if (plan.kind == OptionKind::integer) {
        for (int i = 0; i < wide; ++i) chosen.push_back(std::to_string(36 + i));
        o.range_min = 36;
        o.range_max = 36 + wide - 1;
      } else {
        std::vector<std::string> more = plan.pool;
        for (const char* extra :
             {"oiled", "waxed", "brushed", "polished", "lacquered", "aged", "smoked", "dyed"}) {
          more.push_back(plan.id + "_" + extra);
        }
        more.resize(wide);
        chosen = more;
      }
    } else if (plan.kind == OptionKind::integer && rng.chance(50)) {
      // A range: consecutive integers.
      int start = rng.below(plan.pool.size() - k + 1);
      for (int i = 0; i < k; ++i) chosen.push_back(plan.pool[start + i]);
      o.range_min = std::stoll(chosen.front());
      o.range_max = std::stoll(chosen.back());
    } else {
      std::vector<int> idx(plan.pool.size());
      for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
      idx = rng.sample(idx, k);
      std::sort(idx.begin(), idx.end());
      for (int i : idx) chosen.push_back(plan.pool[i]);
    }
    for (const auto& text : chosen) {
      Value v =
          plan.kind == OptionKind::integer ? Value::integer(std::stoll(text)) : Value::string(text);
      // Ranges cannot carry surcharges in YAML; listed values can.
      Decimal price = !o.range_min && rng.chance(30) ? dec(rng.pick(kSurcharges)) : Decimal();
      o.values.push_back({v, "", price, {}});
    }
  }
  if (rng.chance(40)) o.default_value = rng.pick(o.values).value;
  return o;
}

std::vector<std::string> option_texts(const Option& o) {
  std::vector<std::string> out;
  for (const auto& v : o.values) out.push_back(v.value.to_string());
  return out;
}

const Option* find_option(const Catalog& c, const std::string& id) {
  for (const auto& o : c.options) {
    if (o.id == id) return &o;
  }
  return nullptr;
}

std::vector<const Slot*> single_slots(const Catalog& c) {
  std::vector<const Slot*> out;
  for (const auto& s : c.slots) {
    if (s.max <= 1) out.push_back(&s);
  }
  return out;
}

std::vector<const Slot*> multi_slots(const Catalog& c) {
  std::vector<const Slot*> out;
  for (const auto& s : c.slots) {
    if (s.max > 1) out.push_back(&s);
  }
  return out;
}

std::vector<std::string> slotted_blocks(const Catalog& c) {
  std::vector<std::string> out;
  for (const auto& s : c.slots) {
    for (const auto& b : s.blocks) {
      if (!contains(out, b)) out.push_back(b);
    }
  }
  return out;
}

Catalog attempt(Rng& rng, const CatalogShape& shape) {
  Catalog c;
  c.name = "Random catalog";
  c.version = "1";
  c.currency = "EUR";

  // Options.
  std::vector<OptionPlan> pool = kOptionPool;
  pool = rng.sample(pool, rng.between(1, 3));
  for (const auto& plan : pool) c.options.push_back(make_option(rng, plan));
  const Option* color = find_option(c, "color");
  const Option* size = find_option(c, "size");

  // Attributes in use, their values, and which are declared.
  bool use_w = rng.chance(85), use_mat = rng.chance(50), use_eco = rng.chance(30),
       use_sizes = rng.chance(35), use_tones = rng.chance(30);
  std::vector<std::string> size_values =
      size ? option_texts(*size) : std::vector<std::string>{"38", "40", "42"};
  std::vector<std::string> tone_values =
      color ? option_texts(*color) : std::vector<std::string>{"black", "navy"};

  // Slots and their blocks.
  int singles = rng.between(1, 3);
  bool multi = rng.chance(55);
  int block_count = 0;
  auto new_block = [&]() {
    Block b;
    b.id = "b" + std::to_string(++block_count);
    b.price = dec(rng.pick(kBlockPrices));
    if (use_w && rng.chance(70)) b.attributes["w"] = Value::number(dec(rng.pick(kWeights)));
    if (use_mat && rng.chance(70)) b.attributes["mat"] = Value::string(rng.pick(kMaterials));
    if (use_eco && rng.chance(60)) b.attributes["eco"] = Value::boolean(rng.chance(50));
    if (use_sizes && rng.chance(70)) {
      std::vector<Value> items;
      for (const auto& s : size_values) {
        if (rng.chance(55)) items.push_back(Value::integer(std::stoll(s)));
      }
      b.attributes["sizes"] = Value::list(items);
    }
    if (use_tones && rng.chance(70)) {
      std::vector<Value> items;
      for (const auto& t : tone_values) {
        if (rng.chance(50)) items.push_back(Value::string(t));
      }
      b.attributes["tones"] = Value::list(items);
    }
    c.blocks.push_back(b);
    return b.id;
  };
  auto fill = [&](Slot& s, int n) {
    for (int k = 0; k < n; ++k) {
      std::string id;
      if (!c.blocks.empty() && rng.chance(12)) {
        id = rng.pick(c.blocks).id;  // a block that fills several slots
        if (contains(s.blocks, id)) id = new_block();
      } else {
        id = new_block();
      }
      s.blocks.push_back(id);
    }
  };
  for (int k = 1; k <= singles; ++k) {
    Slot s;
    s.id = "s" + std::to_string(k);
    s.min = rng.chance(60) ? 1 : 0;
    s.max = 1;
    fill(s, rng.chance(6) ? rng.between(8, 10) : rng.between(1, 3));
    c.slots.push_back(s);
  }
  if (multi) {
    Slot s;
    s.id = "m1";
    s.min = rng.chance(50) ? 0 : 1;
    s.max = rng.chance(85) ? 2 : 3;
    s.repeat = rng.chance(50);
    fill(s, rng.between(2, 3));
    // A multiplicity that is not a range: 0 or 2 blocks, 0 or 3, 1 or 3 — never those between.
    if (s.max - s.min >= 2 && rng.chance(25)) s.counts = {s.min, s.max};
    c.slots.push_back(s);
  }
  if (rng.chance(8)) new_block();  // a block in no slot (check warns; it can never be chosen)
  // Slot defaults: a block, none, or for the slot of several a list within its cardinality.
  for (Slot& s : c.slots) {
    if (!rng.chance(30)) continue;
    std::vector<std::string> d;
    if (s.max == 1) {
      if (s.min == 1 || rng.chance(70)) d.push_back(rng.pick(s.blocks));
    } else {
      int n = s.counts.empty() ? rng.between(s.min, s.max) : rng.pick(s.counts);
      for (int k = 0; k < n; ++k) {
        std::string b = rng.pick(s.blocks);
        if (!s.repeat && contains(d, b)) continue;  // at most once each
        d.push_back(b);
      }
      int held = static_cast<int>(d.size());
      if (held < s.min ||
          (!s.counts.empty() && held != s.counts.front() && held != s.counts.back()))
        continue;
    }
    s.default_blocks = d;
  }
  c.slots = rng.sample(c.slots, c.slots.size());  // slot order should not matter

  // requires (acyclic: only towards later blocks) and excludes.
  for (size_t b = 0; b < c.blocks.size(); ++b) {
    if (b + 1 < c.blocks.size() && rng.chance(15)) {
      c.blocks[b].requires_blocks.push_back(c.blocks[rng.between(b + 1, c.blocks.size() - 1)].id);
    }
    if (rng.chance(10)) {
      std::string x = rng.pick(c.blocks).id;
      if (x != c.blocks[b].id && !contains(c.blocks[b].requires_blocks, x))
        c.blocks[b].excludes_blocks.push_back(x);
    }
  }

  // Attribute declarations: always for attributes no block carries (with a non-empty value).
  auto carried = [&](const std::string& id) {
    for (const auto& b : c.blocks) {
      auto it = b.attributes.find(id);
      if (it != b.attributes.end() && !(it->second.is_list() && it->second.as_list().empty()))
        return true;
    }
    return false;
  };
  auto declare = [&](const std::string& id, AttributeType type, std::optional<Value> def) {
    AttributeDecl d;
    d.id = id;
    d.type = type;
    bool number = type == AttributeType::number;
    if (rng.chance(number ? 70 : 40)) d.default_value = def;
    if (!carried(id) || rng.chance(number ? 65 : 50)) c.attributes.push_back(d);
  };
  if (use_w)
    declare("w", AttributeType::number,
            Value::number(dec(rng.pick(std::vector<std::string>{"1", "4", "2.5"}))));
  if (use_mat) declare("mat", AttributeType::string, Value::string("rubber"));
  if (use_eco) declare("eco", AttributeType::boolean, Value::boolean(true));
  if (use_sizes)
    declare("sizes", AttributeType::number_set,
            Value::list({Value::integer(std::stoll(size_values.front()))}));
  if (use_tones)
    declare("tones", AttributeType::string_set, Value::list({Value::string(tone_values.front())}));

  // Products.
  int products = shape.products ? rng.pick(std::vector<int>{0, 0, 1, 2, 2}) : 0;
  for (int p = 1; p <= products; ++p) {
    Product prod;
    prod.id = "p" + std::to_string(p);
    prod.base_price = dec(rng.pick(kBasePrices));
    if (rng.chance(50)) {
      for (const auto& o : c.options) {
        if (rng.chance(60)) prod.options.push_back(o.id);
      }
    }
    if (rng.chance(50)) {
      for (const auto& s : c.slots) {
        if (rng.chance(65)) prod.slots.push_back(s.id);
      }
    }
    c.products.push_back(prod);
  }

  // Measures (named before the rules and services that may use them).
  if (rng.chance(60)) {
    std::vector<std::pair<std::string, std::string>> measures = {{"n_blocks", "count()"}};
    if (use_w) {
      measures.push_back({"total_w", "sum(w)"});
      measures.push_back({"top_w", "max(w)"});
      measures.push_back({"low_w", "min(w)"});
      measures.push_back({"slot_w", "sum(" + rng.pick(c.slots).id + ".w)"});
      measures.push_back({"mixed", "2 * sum(w) + count()"});
    }
    for (const auto& [id, expr] : rng.sample(measures, rng.between(1, 2))) {
      Measure m;
      m.id = id;
      m.expression = expr;
      c.measures.push_back(m);
    }
  }

  // Services.
  std::vector<std::string> service_ids = {"warranty", "fitting"};
  int services = rng.between(0, 2);
  for (int k = 0; k < services; ++k) {
    Service s;
    s.id = service_ids[k];
    int kind = rng.below(10);
    if (kind < 4 || kind >= 8) s.price.amount = dec(rng.pick(kServicePrices));
    if (kind >= 4) {
      s.price.percent = dec(rng.pick(kPercents));
      std::vector<std::string> of = {"product", "blocks", rng.pick(c.slots).id};
      if (!c.products.empty()) of.push_back("base");
      s.price.of = rng.pick(of);
    }
    c.services.push_back(s);
  }
  ConditionMaker with_services(c, rng);
  for (auto& s : c.services) {
    if (rng.chance(50)) s.offered_when = with_services.condition(rng.below(2));
  }

  // Bundles.
  if (shape.bundles) {
    std::vector<std::string> items = slotted_blocks(c);
    for (const auto& s : c.services) items.push_back(s.id);
    for (const auto& p : c.products) items.push_back(p.id);
    int bundles = rng.pick(std::vector<int>{0, 1, 2, 2});
    for (int k = 1; k <= bundles && items.size() >= 2; ++k) {
      Bundle b;
      b.id = "k" + std::to_string(k);
      b.items = rng.sample(items, rng.pick(std::vector<int>{1, 2, 2, 2, 3}));
      if (k == 2 && rng.chance(50)) {
        // Overlap with the first bundle on one item.
        std::string shared = rng.pick(c.bundles[0].items);
        if (!contains(b.items, shared)) b.items[0] = shared;
      }
      if (rng.chance(50))
        b.discount_amount = dec(rng.pick(kBundleAmounts));
      else
        b.discount_percent = dec(rng.pick(kBundlePercents));
      c.bundles.push_back(b);
    }
  }

  // Tiers.
  if (rng.chance(35)) {
    int tiers = rng.chance(70) ? 1 : 2;
    for (int t = 1; t <= tiers; ++t)
      c.tiers.push_back({"tier" + std::to_string(t), "", dec(rng.pick(kTierPercents)), {}});
  }

  return c;
}

Rule make_rule(Rng& rng, const Catalog& c, ConditionMaker& maker, int number, int price_percent) {
  Rule rule;
  rule.id = "r" + std::to_string(number);
  rule.message = "rule " + rule.id;
  int kind = rng.below(100);
  if (kind < 28) {
    // A table over options and slots (of one block or several).
    std::vector<std::string> columns;
    for (const auto& o : c.options) columns.push_back(o.id);
    for (const auto& s : c.slots) columns.push_back(s.id);
    rule.kind = RuleKind::table;
    rule.columns = rng.sample(columns, rng.chance(20) ? 3 : rng.between(1, 2));
    rule.rows_allowed = rng.chance(60);
    int rows = rng.between(1, rng.chance(25) ? 8 : 4);
    for (int k = 0; k < rows; ++k) {
      std::vector<std::string> row;
      for (const auto& col : rule.columns) {
        if (rng.chance(25)) {
          row.push_back("*");
          continue;
        }
        if (const Option* o = find_option(c, col)) {
          row.push_back(rng.pick(option_texts(*o)));
        } else {
          for (const auto& s : c.slots) {
            if (s.id != col) continue;
            std::vector<std::string> cells = s.blocks;
            cells.push_back("none");
            row.push_back(rng.pick(cells));
          }
        }
      }
      rule.rows.push_back(row);
    }
  } else {
    rule.kind = kind < 70 ? RuleKind::require : RuleKind::forbid;
    rule.expression = maker.condition(rng.between(0, 2), price_percent);
    if (rng.chance(35)) rule.when = maker.condition(rng.below(2), price_percent / 2);
  }
  if (c.products.size() > 1 && rng.chance(20)) rule.products.push_back(rng.pick(c.products).id);
  return rule;
}

// Adds 2 to 6 random rules, one at a time, mostly keeping some valid product: a rule that leaves
// none is kept only rarely (so that catalogs without any product are tested too, but seldom), and
// one that removes nine products in ten is often tried again.
void add_rules(Rng& rng, Catalog& c, const CatalogShape& shape) {
  ConditionMaker maker(c, rng);
  int64_t scale = 0;
  for (const auto& b : c.blocks) scale = std::max(scale, b.price.units());
  std::vector<std::string> prices;
  for (int k = 1; k <= 6; ++k) prices.push_back(std::to_string(k * (scale / 1000000 + 20) / 2));
  maker.set_price_scale(prices);
  int price_percent =
      shape.price_with_overlapping_bundles || !bundles_overlap(c) ? shape.price_in_rules : 0;
  size_t valid = 0;
  try {
    valid = BruteForce(c, shape.max_configs).valid_configs().size();
  } catch (const std::exception&) {
    return;
  }
  int wanted = rng.between(2, 6);
  for (int attempt = 0; attempt < 3 * wanted && static_cast<int>(c.rules.size()) < wanted;
       ++attempt) {
    Catalog next = c;
    next.rules.push_back(make_rule(rng, c, maker, c.rules.size() + 1, price_percent));
    if (has_errors(validate(next))) continue;
    size_t left = 0;
    try {
      left = BruteForce(next, shape.max_configs).valid_configs().size();
    } catch (const std::exception&) {
      continue;
    }
    if (left == 0 && valid > 0 && !rng.chance(5)) continue;
    if (left * 10 < valid && rng.chance(50)) continue;
    c = std::move(next);
    valid = left;
  }
}

}  // namespace

bool bundles_overlap(const Catalog& c) {
  for (size_t a = 0; a < c.bundles.size(); ++a) {
    for (size_t b = a + 1; b < c.bundles.size(); ++b) {
      for (const auto& item : c.bundles[a].items) {
        if (contains(c.bundles[b].items, item)) return true;
      }
    }
  }
  return false;
}

size_t count_configs(const Catalog& c) {
  size_t n = std::max<size_t>(1, c.products.size());
  auto times = [&n](size_t k) { n = n > (size_t{1} << 40) ? n : n * k; };
  for (const auto& o : c.options) times(o.values.size());
  for (const auto& s : c.slots) {
    if (s.max <= 1) {
      times(s.blocks.size() + 1);
    } else {
      for (size_t k = 0; k < s.blocks.size(); ++k) times((s.repeat ? s.max : 1) + 1);
    }
  }
  for (size_t k = 0; k < c.services.size(); ++k) times(2);
  return n;
}

Catalog random_catalog(Rng& rng, const CatalogShape& shape) {
  for (;;) {
    Catalog c = attempt(rng, shape);
    if (count_configs(c) > shape.max_configs) continue;
    if (has_errors(validate(c))) continue;
    add_rules(rng, c, shape);
    return c;
  }
}

// ------------------------------------------------------------------------------------------------
// Conditions

ConditionMaker::ConditionMaker(const Catalog& catalog, Rng& rng) : c_(catalog), rng_(rng) {}

bool ConditionMaker::has_attribute(const std::string& id) const {
  for (const auto& d : c_.attributes) {
    if (d.id == id) return true;
  }
  for (const auto& b : c_.blocks) {
    auto it = b.attributes.find(id);
    if (it != b.attributes.end() && !(it->second.is_list() && it->second.as_list().empty()))
      return true;
  }
  return false;
}

std::string ConditionMaker::number_threshold() {
  return rng_.pick(std::vector<std::string>{"0", "1", "2.5", "3", "4", "5", "6", "8", "10", "13"});
}

std::string ConditionMaker::attribute_atom(const std::string& slot) {
  std::vector<int> kinds;
  if (has_attribute("w")) kinds.insert(kinds.end(), {0, 0, 1});
  if (has_attribute("mat")) kinds.push_back(2);
  if (has_attribute("eco")) kinds.push_back(3);
  if (has_attribute("sizes")) kinds.push_back(4);
  if (has_attribute("tones")) kinds.push_back(5);
  if (kinds.empty()) return slot + " != none";
  switch (rng_.pick(kinds)) {
    case 0: {
      std::string op = rng_.pick(std::vector<std::string>{">=", "<", "==", "!=", "<=", ">"});
      return slot + ".w " + op + " " + number_threshold();
    }
    case 1: {
      // Arithmetic with an option, another slot, or a block's constant attribute.
      const Option* num = nullptr;
      for (const auto& o : c_.options) {
        if (o.kind == OptionKind::integer) num = &o;
      }
      if (num && rng_.chance(50)) {
        return slot + ".w + " + num->id + " > " +
               std::to_string(std::stoll(num->values[0].value.to_string()) + rng_.below(6));
      }
      if (num && rng_.chance(40)) {
        // A product of two unknowns.
        return num->id + " * " + slot + ".w " +
               rng_.pick(std::vector<std::string>{">=", "<", "=="}) + " " +
               std::to_string(std::stoll(num->values[0].value.to_string()) * rng_.between(0, 5));
      }
      if (rng_.chance(30)) {
        auto singles = single_slots(c_);
        return slot + ".w * " + rng_.pick(singles)->id + ".w <= " + number_threshold();
      }
      if (rng_.chance(50)) return "2 * " + slot + ".w - 1 >= " + number_threshold();
      return slot + ".w >= " + rng_.pick(c_.blocks).id + ".w";
    }
    case 2: {
      if (rng_.chance(25)) {
        // Text against text: another slot's attribute, or an enumeration option.
        auto singles = single_slots(c_);
        const Option* color = find_option(c_, "color");
        std::string rhs = color && rng_.chance(40) ? "color" : rng_.pick(singles)->id + ".mat";
        return slot + ".mat " + rng_.pick(std::vector<std::string>{"==", "!="}) + " " + rhs;
      }
      return slot + ".mat " + rng_.pick(std::vector<std::string>{"==", "!="}) + " \"" +
             rng_.pick(std::vector<std::string>{"leather", "rubber", "canvas", ""}) + "\"";
    }
    case 3: {
      std::vector<std::string> other;
      for (const auto& o : c_.options) {
        if (o.kind == OptionKind::boolean) other.push_back(o.id);
      }
      for (const auto& s : c_.services) other.push_back(s.id);
      if (!other.empty() && rng_.chance(30))
        return slot + ".eco " + rng_.pick(std::vector<std::string>{"==", "!="}) + " " +
               rng_.pick(other);
      return rng_.chance(50) ? slot + ".eco" : "not " + slot + ".eco";
    }
    case 4: {
      const Option* size = find_option(c_, "size");
      const Option* len = find_option(c_, "len");
      std::string lhs = size && rng_.chance(70) ? "size"
                        : len && rng_.chance(50)
                            ? "len"
                            : rng_.pick(std::vector<std::string>{"38", "40", "42"});
      return lhs + (rng_.chance(75) ? " in " : " not in ") + slot + ".sizes";
    }
    case 5: {
      const Option* color = find_option(c_, "color");
      std::string lhs = color && rng_.chance(75) ? "color" : "\"navy\"";
      return lhs + (rng_.chance(75) ? " in " : " not in ") + slot + ".tones";
    }
  }
  return "true";
}

std::string ConditionMaker::atom(int price_percent) {
  if (price_percent > 0 && rng_.chance(price_percent)) {
    std::string bound =
        price_scale_.empty() ? std::to_string(rng_.between(10, 200)) : rng_.pick(price_scale_);
    return "price " + rng_.pick(std::vector<std::string>{"<=", ">=", "<", ">"}) + " " + bound;
  }
  for (;;) {
    switch (rng_.below(12)) {
      case 0:
      case 1: {  // an option
        if (c_.options.empty()) break;
        const Option& o = rng_.pick(c_.options);
        std::vector<std::string> values = option_texts(o);
        if (o.kind == OptionKind::enumeration) {
          switch (rng_.below(5)) {
            case 0:
              return o.id + " == " + rng_.pick(values);
            case 1:
              return o.id + " != " + rng_.pick(values);
            case 2: {
              auto some = rng_.sample(values, rng_.between(1, 2));
              std::string list = some[0] + (some.size() > 1 ? ", " + some[1] : "");
              return o.id + " in [" + list + "]";
            }
            case 3:
              return o.id + " not in [" + rng_.pick(values) + "]";
            default:
              return rng_.pick(values) + " == " + o.id;
          }
        }
        if (o.kind == OptionKind::integer) {
          std::string v = rng_.pick(values);
          switch (rng_.below(7)) {
            case 0:
              return o.id + " <= " + v;
            case 1:
              return o.id + " > " + v;
            case 2:
              return o.id + " == " + v;
            case 3:
              return o.id + " in [" + v + ", " + rng_.pick(values) + "]";
            case 4:
              return o.id + " + 1 >= " + v;
            case 5:
              return "2 * " + o.id + " <= " + std::to_string(2 * std::stoll(v) + rng_.below(2));
            default:
              return "-" + o.id + " >= -" + v;
          }
        }
        switch (rng_.below(4)) {
          case 0:
            return o.id;
          case 1:
            return "not " + o.id;
          case 2:
            return o.id + " == " + rng_.pick(std::vector<std::string>{"true", "false"});
          default:
            if (!c_.services.empty()) return o.id + " != " + rng_.pick(c_.services).id;
            return o.id + " == " + rng_.pick(c_.blocks).id;
        }
      }
      case 2:
      case 3: {  // a single-block slot
        auto singles = single_slots(c_);
        if (singles.empty()) break;
        const Slot& s = *rng_.pick(singles);
        switch (rng_.below(6)) {
          case 0:
            return s.id + " == " + rng_.pick(s.blocks);
          case 1:
            return s.id + " != " + rng_.pick(s.blocks);
          case 2:
            return s.id + rng_.pick(std::vector<std::string>{" == none", " != none"});
          case 3:
            return s.id + " in [" + rng_.pick(s.blocks) + ", none]";
          case 4:
            return s.id + " not in [" + rng_.pick(s.blocks) + "]";
          default: {
            const Slot& t = *rng_.pick(singles);
            return s.id + rng_.pick(std::vector<std::string>{" == ", " != "}) + t.id;
          }
        }
      }
      case 4:
      case 5: {  // an attribute of a single-block slot
        auto singles = single_slots(c_);
        if (singles.empty()) break;
        return attribute_atom(rng_.pick(singles)->id);
      }
      case 6: {  // a block
        auto blocks = slotted_blocks(c_);
        std::string b = rng_.pick(blocks);
        switch (rng_.below(3)) {
          case 0:
            return b;
          case 1:
            return "not " + b;
          default:
            for (const auto& s : c_.slots) {
              if (contains(s.blocks, b)) return b + " in " + s.id;
            }
            return b;
        }
      }
      case 7: {  // services and products
        std::vector<std::string> names;
        for (const auto& s : c_.services) names.push_back(s.id);
        for (const auto& p : c_.products) names.push_back(p.id);
        if (names.empty()) break;
        return (rng_.chance(70) ? "" : "not ") + rng_.pick(names);
      }
      case 8: {  // counts
        switch (rng_.below(5)) {
          case 0: {
            auto multis = multi_slots(c_);
            const Slot& s = multis.empty() ? rng_.pick(c_.slots) : *rng_.pick(multis);
            return "count(" + s.id + ") " +
                   rng_.pick(std::vector<std::string>{">=", "<=", "==", "!="}) + " " +
                   std::to_string(rng_.between(0, 2));
          }
          case 1:
            return "count() " + rng_.pick(std::vector<std::string>{">=", "<=", "=="}) + " " +
                   std::to_string(rng_.between(1, 4));
          case 2: {
            std::vector<std::string> args;
            args.push_back(rng_.pick(slotted_blocks(c_)));
            if (!c_.services.empty()) args.push_back(rng_.pick(c_.services).id);
            if (!c_.options.empty()) {
              const Option& o = rng_.pick(c_.options);
              args.push_back(o.kind == OptionKind::boolean
                                 ? o.id
                                 : o.id + " == " + rng_.pick(option_texts(o)));
            }
            std::string text = "count(";
            for (size_t k = 0; k < args.size(); ++k) text += (k ? ", " : "") + args[k];
            return text + ") >= " + std::to_string(rng_.between(1, 2));
          }
          case 3: {
            // A block counts as many times as the product holds it: "2 bags of 10 l".
            auto multis = multi_slots(c_);
            const Slot* multi = multis.empty() ? nullptr : rng_.pick(multis);
            std::string block = multi && !multi->blocks.empty() ? rng_.pick(multi->blocks)
                                                                : rng_.pick(slotted_blocks(c_));
            return "count(" + block + ") " +
                   rng_.pick(std::vector<std::string>{"==", ">=", "<=", "!="}) + " " +
                   std::to_string(rng_.between(0, 3));
          }
          default: {
            const Slot& a = rng_.pick(c_.slots);
            const Slot& b = rng_.pick(c_.slots);
            std::string args = a.id == b.id ? a.id : a.id + ", " + b.id;
            return "count(" + args + ") == " + std::to_string(rng_.between(0, 3));
          }
        }
      }
      case 9: {  // aggregates
        if (!has_attribute("w")) break;
        auto multis = multi_slots(c_);
        if (!multis.empty() && rng_.chance(30)) {
          // Quantities count in sums: sum(m.w) against count(m) or a threshold.
          const Slot& m = *rng_.pick(multis);
          if (rng_.chance(50))
            return "sum(" + m.id + ".w) >= " + number_threshold() + " * count(" + m.id + ")";
          return "sum(" + m.id + ".w) " + rng_.pick(std::vector<std::string>{">=", "<=", ">"}) +
                 " " + number_threshold();
        }
        std::string f = rng_.pick(std::vector<std::string>{"sum", "max", "min"});
        // Mostly over one slot, preferring slots that may be empty or hold several blocks (where
        // quantities and the default of an empty selection matter).
        std::vector<std::string> scopes = {"w"};
        for (const auto& s : c_.slots) {
          scopes.push_back(s.id + ".w");
          if (s.min == 0 || s.max > 1) scopes.insert(scopes.end(), 2, s.id + ".w");
        }
        std::string arg = rng_.pick(scopes);
        return f + "(" + arg + ") " +
               rng_.pick(std::vector<std::string>{"<=", ">=", "<", ">", "=="}) + " " +
               number_threshold();
      }
      case 10: {  // measures
        if (c_.measures.empty()) break;
        const Measure& m = rng_.pick(c_.measures);
        return m.id + " " + rng_.pick(std::vector<std::string>{"<=", ">="}) + " " +
               number_threshold();
      }
      default: {  // booleans compared
        std::vector<std::string> names;
        for (const auto& s : c_.services) names.push_back(s.id);
        for (const auto& b : slotted_blocks(c_)) names.push_back(b);
        for (const auto& o : c_.options) {
          if (o.kind == OptionKind::boolean) names.push_back(o.id);
        }
        if (names.size() < 2) break;
        auto two = rng_.sample(names, 2);
        return two[0] + rng_.pick(std::vector<std::string>{" == ", " != "}) + two[1];
      }
    }
  }
}

std::string ConditionMaker::condition(int depth, int price_percent) {
  if (depth <= 0 || rng_.chance(35)) return atom(price_percent);
  std::string a = condition(depth - 1, price_percent);
  switch (rng_.below(6)) {
    case 0:
      return "not (" + a + ")";
    case 1:
      return "(" + a + ") or (" + condition(depth - 1, price_percent) + ")";
    case 2:
      return "(" + a + ") implies (" + condition(depth - 1, price_percent) + ")";
    case 3:
      return "(" + a + ") iff (" + condition(depth - 1, price_percent) + ")";
    default:
      return "(" + a + ") and (" + condition(depth - 1, price_percent) + ")";
  }
}

// ------------------------------------------------------------------------------------------------
// Choices and specifications

std::pair<std::string, std::string> random_choice(Rng& rng, const Catalog& c) {
  for (;;) {
    switch (rng.below(7)) {
      case 0:
      case 1:
        if (!c.options.empty()) {
          const Option& o = rng.pick(c.options);
          return {o.id, rng.pick(option_texts(o))};
        }
        break;
      case 2:
      case 3: {
        const Slot& s = rng.pick(c.slots);
        std::vector<std::string> values = s.blocks;
        values.push_back("none");
        return {s.id, rng.pick(values)};
      }
      case 4:
        if (!c.services.empty())
          return {rng.pick(c.services).id, rng.chance(50) ? "true" : "false"};
        break;
      case 5:
        return {rng.pick(slotted_blocks(c)), rng.chance(60) ? "true" : "false"};
      default:
        if (!c.products.empty()) {
          if (rng.chance(75)) return {"product", rng.pick(c.products).id};
          return {rng.pick(c.products).id, rng.chance(50) ? "true" : "false"};
        }
        break;
    }
  }
}

Spec random_spec(Rng& rng, const BruteForce& world, const SpecShape& shape) {
  const Catalog& c = world.catalog();
  Spec spec;
  if (!c.tiers.empty() && rng.chance(35)) spec.tier = rng.pick(c.tiers).id;
  int tier = world.tier_index(spec.tier);
  // Thresholds from the valid products: their prices and measures.
  std::vector<size_t> valid = world.valid_configs();
  auto some_price = [&]() -> Decimal {
    if (valid.empty()) return Decimal::from_integer(rng.between(0, 200));
    int64_t p = world.price(rng.pick(valid), tier);
    int64_t delta = rng.pick(std::vector<int64_t>{0, 0, 0, -1, 10000, -10000, -1000000});
    return Decimal::from_units(p + delta);
  };
  std::vector<std::string> scale;
  for (int k = 0; k < 4; ++k) scale.push_back(some_price().to_string());
  ConditionMaker maker(c, rng);
  maker.set_price_scale(scale);
  int price_percent =
      shape.price_with_overlapping_bundles || !bundles_overlap(c) ? shape.price_in_conditions : 0;
  auto weight = [&]() {
    return dec(rng.chance(65) ? "1" : rng.pick(std::vector<std::string>{"2", "3", "0.5", "5"}));
  };
  int n = rng.between(0, shape.max_requirements);
  for (int k = 0; k < n; ++k) {
    Requirement r;
    int kind = rng.below(100);
    if (kind < 35) {
      r = Requirement::expression_of(maker.condition(rng.below(2), price_percent));
    } else if (kind < 72) {
      auto [name, value] = random_choice(rng, c);
      r = Requirement::assignment_of(name, value);
    } else if (kind < 78 && !c.products.empty()) {
      r = Requirement::product_of(rng.pick(c.products).id);
    } else if (kind < 88 && !c.measures.empty() && !valid.empty()) {
      int m = rng.below(c.measures.size());
      int64_t v = world.number(*world.measure(m), rng.pick(valid), tier);
      if (rng.chance(30)) {
        r = Requirement::lower_bound_of(
            c.measures[m].id,
            Decimal::from_units(v + rng.pick(std::vector<int64_t>{0, 0, 1000000, -500000})));
      } else {
        r = Requirement::bound_of(
            c.measures[m].id,
            Decimal::from_units(v + rng.pick(std::vector<int64_t>{0, 0, -1000000, 500000})));
      }
    } else {
      r = Requirement::bound_of("price", some_price());
    }
    r.weight = weight();
    spec.requirements.push_back(r);
  }
  int prefs = rng.between(0, shape.max_preferences);
  for (int k = 0; k < prefs; ++k) {
    Preference p;
    p.text = maker.condition(rng.below(2), price_percent / 2);
    p.weight = weight();
    spec.preferences.push_back(p);
  }
  switch (rng.below(10)) {
    case 0:
    case 1:
    case 2:
    case 3:
      break;
    case 4:
    case 5:
      spec.objective = {Objective::cheapest};
      break;
    case 6:
    case 7:
      spec.objective = {Objective::preferred};
      break;
    case 8:
      spec.objective = {Objective::preferred, Objective::cheapest};
      break;
    default:
      spec.objective = {Objective::cheapest, Objective::preferred};
      break;
  }
  // Objectives on measures: the lightest, the most of something, lexicographic with the others.
  if (!c.measures.empty() && rng.chance(25)) {
    const std::string& m = rng.pick(c.measures).id;
    Objective measured(rng.chance(50) ? Objective::minimize : Objective::maximize, m);
    if (rng.chance(50) || spec.objective.empty())
      spec.objective.insert(spec.objective.begin(), measured);
    else
      spec.objective.push_back(measured);
  }
  return spec;
}

namespace {

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "\"";
}

}  // namespace

std::string spec_to_yaml(const Spec& spec) {
  std::ostringstream out;
  std::string products;
  std::vector<std::string> bounds, lower_bounds;
  std::ostringstream require;
  for (const auto& r : spec.requirements) {
    switch (r.kind) {
      case Requirement::Kind::expression:
        require << "  - {expression: " << quoted(r.text) << ", weight: " << r.weight.to_string()
                << "}\n";
        break;
      case Requirement::Kind::assignment:
        require << "  - {where: " << quoted(r.name + "=" + r.value)
                << ", weight: " << r.weight.to_string() << "}\n";
        break;
      case Requirement::Kind::bound:
        (r.at_least ? lower_bounds : bounds).push_back(r.name + ": " + r.bound.to_string());
        break;
      case Requirement::Kind::product:
        products = r.name;
        break;
    }
  }
  if (!require.str().empty()) out << "require:\n" << require.str();
  for (const auto& [key, list] : {std::pair{"max", &bounds}, std::pair{"min", &lower_bounds}}) {
    if (list->empty()) continue;
    out << key << ": {";
    for (size_t k = 0; k < list->size(); ++k) out << (k ? ", " : "") << (*list)[k];
    out << "}\n";
  }
  if (!products.empty()) out << "product: " << products << "\n";
  if (!spec.preferences.empty()) {
    out << "prefer:\n";
    for (const auto& p : spec.preferences) {
      out << "  - {expression: " << quoted(p.text) << ", weight: " << p.weight.to_string() << "}\n";
    }
  }
  if (!spec.objective.empty()) {
    out << "objective: [";
    for (size_t k = 0; k < spec.objective.size(); ++k) {
      out << (k ? ", " : "") << quoted(spec.objective[k].text());
    }
    out << "]\n";
  }
  if (!spec.tier.empty()) out << "tier: " << spec.tier << "\n";
  return out.str();
}

std::string spec_to_text(const Spec& spec) {
  std::ostringstream out;
  for (size_t k = 0; k < spec.requirements.size(); ++k) {
    out << "requirement " << k << ": " << spec.requirements[k].label() << "  (weight "
        << spec.requirements[k].weight.to_string() << ")\n";
  }
  for (const auto& p : spec.preferences)
    out << "preference: " << p.text << "  (weight " << p.weight.to_string() << ")\n";
  out << "objective:";
  for (const auto& o : spec.objective) out << " " << o.text() << ";";
  out << "\n";
  if (!spec.tier.empty()) out << "tier: " << spec.tier << "\n";
  return out.str();
}

}  // namespace sumisura::proptest
