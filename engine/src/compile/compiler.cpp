// Catalog -> Model: variables for options, slots, services and products; each catalog constraint as
// a group of clauses; the price as a linear sum (docs/architecture.md, "Compilation").
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "compile/checker.hpp"
#include "compile/encoder.hpp"
#include "compile/table_mdd.hpp"
#include "core/deadline.hpp"
#include "core/dispose.hpp"
#include "graph/graph.hpp"
#include "model/assemblies.hpp"
#include "model/plain_clause.hpp"
#include "model/resolve.hpp"

namespace sumisura::detail {
namespace {

constexpr int kPairwiseLimit = 8;  // exactly-one by pairwise clauses up to this size, else a ladder

}  // namespace

int64_t percent_of(int64_t amount, Decimal percent) {
  __int128 p = static_cast<__int128>(amount) * percent.units();
  __int128 d = static_cast<__int128>(100) * Decimal::kScale;
  __int128 q = (p >= 0 ? p + d / 2 : p - d / 2) / d;
  if (q > (int64_t{1} << 62) || q < -(int64_t{1} << 62))
    throw EncodeError("a percentage price exceeds 2^62 units");
  return static_cast<int64_t>(q);
}

namespace {

class Compiler {
 public:
  explicit Compiler(std::shared_ptr<const Catalog> catalog) {
    m_ = std::make_shared<Model>();
    m_->catalog = std::move(catalog);
    m_->index = std::make_unique<CatalogIndex>(*m_->catalog);
  }

  /// Hands everything built so far to dispose_later (a limit or an error stopped the compiler).
  void dispose() {
    // Members are destroyed in reverse order: the encoder, resolver and circuit, which refer into
    // the model, before the model.
    struct Leftovers {
      std::shared_ptr<Model> model;
      std::vector<GroupCheck> checks;
      std::unique_ptr<Circuit> circuit;
      std::unique_ptr<Resolver> resolver;
      std::unique_ptr<ExprEncoder> encoder;
    };
    dispose_later(Leftovers{std::move(m_), std::move(checks_), std::move(circuit_),
                            std::move(resolver_), std::move(encoder_)});
  }

  std::shared_ptr<const Model> run() {
    const Catalog& c = *m_->catalog;
    circuit_ = std::make_unique<Circuit>(m_->cnf);
    std::vector<Diagnostic> diagnostics;
    resolver_ = std::make_unique<Resolver>(*m_->index, diagnostics);
    encoder_ = std::make_unique<ExprEncoder>(*m_, *circuit_, &price_linear_);

    variables();
    selections();
    product_scopes();
    cardinalities();
    block_links();
    services();
    bundles();
    prices();
    for (size_t r = 0; r < c.rules.size(); ++r) {
      check_deadline(c.source);
      rule(r);
    }
    for (size_t k = 0; k < c.measures.size(); ++k) {
      const TExpr* t = resolver_->measure(k);
      m_->measures.push_back(t ? clone(*t) : nullptr);
    }
    if (has_errors(diagnostics)) {
      throw Error(ErrorKind::catalog, diagnostics.front().message, diagnostics.front().file,
                  diagnostics.front().position, diagnostics);
    }
    m_->fd_of_sat.resize(m_->cnf.num_vars() + 1, -1);
    m_->checker = std::make_unique<Checker>();
    m_->checker->build(*m_, std::move(checks_));
    return m_;
  }

 private:
  const Catalog& cat() const { return *m_->catalog; }
  CnfBuffer& cnf() { return m_->cnf; }

  int begin_group(ConstraintGroup::Kind kind, int index, std::string id, std::string message,
                  Position where) {
    m_->groups.push_back({kind, index, std::move(id), std::move(message), where});
    checks_.emplace_back();
    int g = m_->groups.size() - 1;
    cnf().set_group(g);
    return g;
  }
  void end_group() { cnf().set_group(-1); }

  int add_fd(VarKind kind, int owner, int block, int size) {
    FdVar v;
    v.kind = kind;
    v.owner = owner;
    v.block = block;
    int index = m_->vars.size();
    auto note = [&](Lit l) {
      if (static_cast<int>(m_->fd_of_sat.size()) <= std::abs(l))
        m_->fd_of_sat.resize(std::abs(l) + 1, -1);
      m_->fd_of_sat[std::abs(l)] = index;
    };
    if (size == 1) {
      v.lits = {kTrue};
    } else if (size == 2) {
      Lit x = cnf().new_var();
      v.lits = {-x, x};
      note(x);
    } else {
      for (int k = 0; k < size; ++k) {
        v.lits.push_back(cnf().new_var());
        note(v.lits.back());
      }
      exactly_one(v.lits);
    }
    m_->vars.push_back(std::move(v));
    return index;
  }

  void exactly_one(const std::vector<Lit>& lits) {
    cnf().add_clause(lits);
    if (lits.size() <= kPairwiseLimit) {
      for (size_t i = 0; i < lits.size(); ++i) {
        for (size_t j = i + 1; j < lits.size(); ++j) cnf().add({-lits[i], -lits[j]});
      }
      return;
    }
    // Ladder: s_i <=> (x_1 or ... or x_i), and x_i excluded once s_{i-1} holds. The s_i are
    // functions of the x_i, which keeps counts and projections exact.
    Lit prev = 0;
    for (size_t i = 0; i + 1 < lits.size(); ++i) {
      Lit s = cnf().new_var();
      cnf().add({-lits[i], s});
      if (prev) {
        cnf().add({-prev, s});
        cnf().add({-s, prev, lits[i]});
        cnf().add({-prev, -lits[i]});
      } else {
        cnf().add({-s, lits[i]});
      }
      prev = s;
    }
    cnf().add({-prev, -lits.back()});
  }

  void variables() {
    const Catalog& c = cat();
    if (!c.products.empty()) m_->product_var = add_fd(VarKind::product, -1, -1, c.products.size());
    for (size_t o = 0; o < c.options.size(); ++o) {
      m_->option_var.push_back(add_fd(VarKind::option, o, -1, c.options[o].values.size()));
    }
    m_->slot_var.assign(c.slots.size(), -1);
    m_->quantity_vars.resize(c.slots.size());
    for (size_t s = 0; s < c.slots.size(); ++s) {
      const Slot& slot = c.slots[s];
      if (slot.max <= 1) {
        m_->slot_var[s] = add_fd(VarKind::slot, s, -1, slot.blocks.size() + 1);
        continue;
      }
      int most = slot.repeat ? slot.max : 1;
      for (const auto& id : slot.blocks) {
        m_->quantity_vars[s].push_back(
            add_fd(VarKind::quantity, s, *m_->index->block_index(id), most + 1));
      }
    }
    for (size_t s = 0; s < c.services.size(); ++s) {
      int v = add_fd(VarKind::service, s, -1, 2);
      m_->service_var.push_back(v);
      m_->service_included.push_back(m_->value_lit(v, 1));
    }
  }

  Lit in_slot(int block, int slot) {
    int pos = m_->index->block_position_in_slot(slot, block);
    if (pos < 0) return kFalse;
    if (m_->slot_var[slot] >= 0) return m_->value_lit(m_->slot_var[slot], pos + 1);
    return -m_->value_lit(m_->quantity_vars[slot][pos], 0);
  }

  void selections() {
    for (size_t b = 0; b < cat().blocks.size(); ++b) {
      std::vector<Lit> where;
      for (int s : m_->index->slots_of_block(b)) where.push_back(in_slot(b, s));
      m_->block_selected.push_back(circuit_->or_of(where));
    }
  }

  Lit product_lit(int p) const {
    return m_->product_var >= 0 ? m_->value_lit(m_->product_var, p) : kTrue;
  }

  bool product_has_slot(const Product& p, const std::string& slot) const {
    return p.slots.empty() || std::find(p.slots.begin(), p.slots.end(), slot) != p.slots.end();
  }

  void product_scopes() {
    const Catalog& c = cat();
    for (size_t p = 0; p < c.products.size(); ++p) {
      const Product& product = c.products[p];
      if (product.options.empty() && product.slots.empty()) continue;
      begin_group(ConstraintGroup::Kind::product_scope, p, "product " + product.id,
                  "this product has only some of the options and slots", product.where);
      Lit guard = product_lit(p);
      auto all = texpr(TOp::logical_and, Type::boolean);
      all->args.push_back(texpr(TOp::constant, Type::boolean));
      all->args.back()->value = Value::boolean(true);
      if (!product.options.empty()) {
        for (size_t o = 0; o < c.options.size(); ++o) {
          const Option& opt = c.options[o];
          if (std::find(product.options.begin(), product.options.end(), opt.id) !=
              product.options.end())
            continue;
          int k = opt.default_value
                      ? m_->index->option_value_index(o, *opt.default_value).value_or(0)
                      : 0;
          cnf().add({-guard, m_->value_lit(m_->option_var[o], k)});
          Type type = opt.kind == OptionKind::enumeration ? Type::string
                      : opt.kind == OptionKind::integer   ? Type::number
                                                          : Type::boolean;
          auto value = texpr(TOp::constant, type);
          value->value = opt.values[k].value;
          all->args.push_back(compare(Cmp::eq, texpr(TOp::option, type, o), std::move(value)));
        }
      }
      for (size_t s = 0; s < c.slots.size(); ++s) {
        if (product_has_slot(product, c.slots[s].id)) continue;
        if (m_->slot_var[s] >= 0) cnf().add({-guard, m_->value_lit(m_->slot_var[s], 0)});
        for (int var : m_->quantity_vars[s]) cnf().add({-guard, m_->value_lit(var, 0)});
        all->args.push_back(
            compare(Cmp::eq, texpr(TOp::count_slot, Type::number, s), number_constant(0)));
      }
      check_rule(nullptr, std::move(all));
      check().products = {static_cast<int>(p)};
      end_group();
    }
  }

  /// The counts between a slot's min and max that it may not hold, up to the most its blocks can
  /// reach (no product holds more, so nothing needs to exclude them).
  std::vector<int> excluded_counts(size_t s) const {
    const Slot& slot = cat().slots[s];
    std::vector<int> out;
    if (slot.counts.empty()) return out;
    int reachable = 1;
    if (m_->slot_var[s] < 0) {
      reachable = 0;
      for (int var : m_->quantity_vars[s]) reachable += m_->vars[var].size() - 1;
    }
    for (int k = slot.min; k <= std::min(slot.max, reachable); ++k)
      if (!std::binary_search(slot.counts.begin(), slot.counts.end(), k)) out.push_back(k);
    return out;
  }

  void cardinalities() {
    const Catalog& c = cat();
    for (size_t s = 0; s < c.slots.size(); ++s) {
      const Slot& slot = c.slots[s];
      bool multi = m_->slot_var[s] < 0;
      if (!multi && slot.min == 0) continue;
      std::string bounds = slot.min == slot.max
                               ? std::to_string(slot.min)
                               : std::to_string(slot.min) + " to " + std::to_string(slot.max);
      if (!slot.counts.empty()) {  // "0 or 2", "0, 2 or 3"
        bounds.clear();
        for (size_t i = 0; i < slot.counts.size(); ++i)
          bounds += (i == 0                        ? ""
                     : i + 1 == slot.counts.size() ? " or "
                                                   : ", ") +
                    std::to_string(slot.counts[i]);
      }
      const std::vector<int> gaps = excluded_counts(s);
      begin_group(ConstraintGroup::Kind::slot_cardinality, s, "slot " + slot.id,
                  (slot.label.empty() ? slot.id : slot.label) + " holds " + bounds +
                      (slot.max == 1 ? " block" : " blocks"),
                  slot.where);
      std::vector<Lit> guards;
      if (c.products.empty()) {
        guards.push_back(kTrue);
      } else {
        for (size_t p = 0; p < c.products.size(); ++p) {
          if (product_has_slot(c.products[p], slot.id)) guards.push_back(product_lit(p));
        }
      }
      Lit guard = circuit_->or_of(guards);
      {
        auto bounds = texpr(TOp::logical_and, Type::boolean);
        bounds->args.push_back(
            compare(Cmp::ge, texpr(TOp::count_slot, Type::number, s), number_constant(slot.min)));
        bounds->args.push_back(
            compare(Cmp::le, texpr(TOp::count_slot, Type::number, s), number_constant(slot.max)));
        for (int gap : gaps)
          bounds->args.push_back(
              compare(Cmp::ne, texpr(TOp::count_slot, Type::number, s), number_constant(gap)));
        if (guard == kFalse) {
          bounds = texpr(TOp::constant, Type::boolean);  // no product has the slot
          bounds->value = Value::boolean(true);
        }
        check_rule(nullptr, std::move(bounds));
        if (!c.products.empty()) {
          for (size_t p = 0; p < c.products.size(); ++p) {
            if (product_has_slot(c.products[p], slot.id)) check().products.push_back(p);
          }
        }
      }
      if (!multi) {
        cnf().add({-guard, -m_->value_lit(m_->slot_var[s], 0)});
      } else {
        Linear count;
        for (int var : m_->quantity_vars[s]) {
          for (int k = 1; k < m_->vars[var].size(); ++k) count.add(k, m_->value_lit(var, k));
        }
        cnf().add({-guard, circuit_->at_least(count, slot.min)});
        cnf().add({-guard, circuit_->at_most(count, slot.max)});
        for (int gap : gaps)  // never exactly `gap` blocks
          cnf().add({-guard, -circuit_->at_least(count, gap), -circuit_->at_most(count, gap)});
      }
      end_group();
    }
  }

  void block_links() {
    const Catalog& c = cat();
    // Shoppers read these messages: blocks are named by their labels where they have one.
    auto shown = [&](const std::string& id) {
      auto k = m_->index->block_index(id);
      const Block& other = c.blocks[*k];
      return other.label.empty() ? other.id : other.label;
    };
    for (size_t b = 0; b < c.blocks.size(); ++b) {
      const Block& block = c.blocks[b];
      for (const auto& r : block.requires_blocks) {
        begin_group(ConstraintGroup::Kind::block_requires, b, block.id + " requires " + r,
                    shown(block.id) + " needs " + shown(r), block.where);
        cnf().add({-m_->block_selected[b], m_->block_selected[*m_->index->block_index(r)]});
        check_rule(texpr(TOp::block_selected, Type::boolean, b),
                   texpr(TOp::block_selected, Type::boolean, *m_->index->block_index(r)));
        end_group();
      }
      for (const auto& x : block.excludes_blocks) {
        begin_group(ConstraintGroup::Kind::block_excludes, b, block.id + " excludes " + x,
                    shown(block.id) + " cannot be combined with " + shown(x), block.where);
        cnf().add({-m_->block_selected[b], -m_->block_selected[*m_->index->block_index(x)]});
        check_rule(texpr(TOp::block_selected, Type::boolean, b),
                   texpr(TOp::block_selected, Type::boolean, *m_->index->block_index(x)), false);
        end_group();
      }
    }
  }

  void services() {
    const Catalog& c = cat();
    for (size_t s = 0; s < c.services.size(); ++s) {
      const Service& service = c.services[s];
      if (service.offered_when.empty()) continue;
      auto cond = resolver_->boolean(service.offered_when, service.offered_when_where);
      if (!cond) continue;
      begin_group(ConstraintGroup::Kind::service_offer, s, "service " + service.id,
                  (service.label.empty() ? service.id : service.label) + " is offered only when " +
                      service.offered_when,
                  service.offered_when_where);
      encode([&] { encoder_->require(*cond, m_->service_included[s]); },
             service.offered_when_where);
      check_rule(texpr(TOp::service, Type::boolean, s), clone(*cond));
      end_group();
    }
  }

  Lit item_lit(const std::string& id) const {
    auto sym = m_->index->find(id);
    switch (sym->kind) {
      case SymbolKind::block:
        return m_->block_selected[sym->index];
      case SymbolKind::service:
        return m_->service_included[sym->index];
      case SymbolKind::product:
        return product_lit(sym->index);
      default:
        return kFalse;
    }
  }

  void bundles() {
    const Catalog& c = cat();
    for (size_t b = 0; b < c.bundles.size(); ++b) m_->bundle_applied.push_back(cnf().new_var());
    std::map<std::string, std::vector<int>> holders;  // item -> bundles listing it
    for (size_t b = 0; b < c.bundles.size(); ++b) {
      for (const auto& item : c.bundles[b].items) holders[item].push_back(b);
    }
    for (size_t b = 0; b < c.bundles.size(); ++b) {
      Lit applied = m_->bundle_applied[b];
      std::set<int> rivals;
      std::vector<Lit> maximal{applied};
      for (const auto& item : c.bundles[b].items) {
        Lit l = item_lit(item);
        cnf().add({-applied, l});
        maximal.push_back(-l);
        for (int other : holders[item]) {
          if (other != static_cast<int>(b)) rivals.insert(other);
        }
      }
      // A bundle whose items are all present applies unless a bundle sharing an item does: the
      // applied bundles form a maximal packing, and price minimisation picks the cheapest one.
      for (int r : rivals) maximal.push_back(m_->bundle_applied[r]);
      cnf().add_clause(maximal);
    }
    for (const auto& [item, list] : holders) {
      for (size_t i = 0; i < list.size(); ++i) {
        for (size_t j = i + 1; j < list.size(); ++j) {
          cnf().add({-m_->bundle_applied[list[i]], -m_->bundle_applied[list[j]]});
        }
      }
    }
  }

  void add_price(int64_t amount, Lit lit, PriceCategory category, int owner,
                 std::vector<PriceTerm>& out) {
    if (amount == 0 || lit == kFalse) return;
    out.push_back({amount, lit, category, owner});
  }

  // The terms of a block's price (quantity in every slot), of the base price, of options.
  std::vector<PriceTerm> block_terms(int b, int only_slot = -1) {
    std::vector<PriceTerm> out;
    int64_t price = cat().blocks[b].price.units();
    for (int s : m_->index->slots_of_block(b)) {
      if (only_slot >= 0 && s != only_slot) continue;
      int pos = m_->index->block_position_in_slot(s, b);
      if (m_->slot_var[s] >= 0) {
        add_price(price, m_->value_lit(m_->slot_var[s], pos + 1), PriceCategory::blocks, b, out);
      } else {
        int var = m_->quantity_vars[s][pos];
        for (int k = 1; k < m_->vars[var].size(); ++k) {
          add_price(checked_mul(price, k), m_->value_lit(var, k), PriceCategory::blocks, b, out);
        }
      }
    }
    return out;
  }
  std::vector<PriceTerm> base_terms() {
    std::vector<PriceTerm> out;
    for (size_t p = 0; p < cat().products.size(); ++p) {
      add_price(cat().products[p].base_price.units(), product_lit(p), PriceCategory::base, p, out);
    }
    return out;
  }
  std::vector<PriceTerm> option_terms() {
    std::vector<PriceTerm> out;
    for (size_t o = 0; o < cat().options.size(); ++o) {
      const Option& opt = cat().options[o];
      for (size_t k = 0; k < opt.values.size(); ++k) {
        add_price(opt.values[k].price.units(), m_->value_lit(m_->option_var[o], k),
                  PriceCategory::options, o, out);
      }
    }
    return out;
  }
  static void append(std::vector<PriceTerm>& to, const std::vector<PriceTerm>& from) {
    to.insert(to.end(), from.begin(), from.end());
  }

  void prices() {
    const Catalog& c = cat();
    std::vector<PriceTerm>& price = m_->price;
    append(price, base_terms());
    append(price, option_terms());
    std::vector<PriceTerm> all_blocks;
    for (size_t b = 0; b < c.blocks.size(); ++b) append(all_blocks, block_terms(b));
    append(price, all_blocks);

    std::vector<std::vector<PriceTerm>> service_terms(c.services.size());
    for (size_t s = 0; s < c.services.size(); ++s) {
      const Service& service = c.services[s];
      Lit included = m_->service_included[s];
      auto& terms = service_terms[s];
      add_price(service.price.amount.units(), included, PriceCategory::services, s, terms);
      if (service.price.percent != Decimal()) {
        std::vector<PriceTerm> of;
        const std::string& what = service.price.of;
        if (what == "product" || what == "base") append(of, base_terms());
        if (what == "product") append(of, option_terms());
        if (what == "product" || what == "blocks") append(of, all_blocks);
        if (auto slot = m_->index->slot_index(what)) {
          for (size_t b = 0; b < c.blocks.size(); ++b) append(of, block_terms(b, *slot));
        }
        for (const auto& t : of) {
          add_price(percent_of(t.amount, service.price.percent),
                    circuit_->and_of({included, t.lit}), PriceCategory::services, s, terms);
        }
      }
      append(price, terms);
    }

    // Each bundle's discount as applied (on its `applied` literal) and as it would be if applied
    // (on its items' literals only): the second lets packings be compared.
    std::vector<Linear> actual(c.bundles.size()), potential(c.bundles.size());
    for (size_t b = 0; b < c.bundles.size(); ++b) {
      const Bundle& bundle = c.bundles[b];
      Lit applied = m_->bundle_applied[b];
      add_price(-bundle.discount_amount.units(), applied, PriceCategory::bundles, b, price);
      actual[b].add(bundle.discount_amount.units(), applied);
      potential[b].add(bundle.discount_amount.units(), kTrue);
      if (bundle.discount_percent == Decimal()) continue;
      std::vector<PriceTerm> items;
      for (const auto& item : bundle.items) {
        auto sym = m_->index->find(item);
        if (sym->kind == SymbolKind::block) append(items, block_terms(sym->index));
        if (sym->kind == SymbolKind::service) append(items, service_terms[sym->index]);
        if (sym->kind == SymbolKind::product) {
          add_price(c.products[sym->index].base_price.units(), product_lit(sym->index),
                    PriceCategory::base, sym->index, items);
        }
      }
      for (const auto& t : items) {
        int64_t cut = percent_of(t.amount, bundle.discount_percent);
        Lit both = circuit_->and_of({applied, t.lit});
        add_price(-cut, both, PriceCategory::bundles, b, price);
        actual[b].add(cut, both);
        potential[b].add(cut, t.lit);
      }
    }
    cheapest_packings(actual, potential);
    for (const auto& t : price) price_linear_.add(t.amount, t.lit);
    if (c.products.empty()) m_->price_constant = 0;
  }

  // Where bundles share items, the bundles applied must be the packing cheapest for the customer:
  // whenever another packing's items are all present, the discount applied is at least its
  // discount. (Bundles sharing no item simply apply when their items are present.)
  void cheapest_packings(const std::vector<Linear>& actual, const std::vector<Linear>& potential) {
    const Catalog& c = cat();
    std::vector<Edge> overlaps;
    for (size_t a = 0; a < c.bundles.size(); ++a) {
      for (size_t b = a + 1; b < c.bundles.size(); ++b) {
        if (shares_item(c.bundles[a], c.bundles[b]))
          overlaps.push_back({static_cast<int>(a), static_cast<int>(b)});
      }
    }
    int count = 0;
    std::vector<int> component = connected_components(c.bundles.size(), overlaps, count);
    for (int k = 0; k < count; ++k) {
      std::vector<int> members;
      for (size_t b = 0; b < c.bundles.size(); ++b) {
        if (component[b] == k) members.push_back(b);
      }
      if (members.size() < 2) continue;
      if (members.size() > 12) {
        throw Error(ErrorKind::catalog,
                    "more than 12 bundles share items with each other (bundle " +
                        c.bundles[members[0]].id + " and others); split them into smaller groups",
                    c.source, c.bundles[members[0]].where);
      }
      Linear applied;
      for (int b : members) applied.add(actual[b]);
      for (uint32_t mask = 1; mask < (1u << members.size()); ++mask) {
        std::vector<int> chosen;
        for (size_t i = 0; i < members.size(); ++i) {
          if (mask & (1u << i)) chosen.push_back(members[i]);
        }
        bool packing = true;
        for (size_t i = 0; i < chosen.size() && packing; ++i) {
          for (size_t j = i + 1; j < chosen.size() && packing; ++j)
            packing = !shares_item(c.bundles[chosen[i]], c.bundles[chosen[j]]);
        }
        if (!packing) continue;
        std::vector<Lit> items;
        Linear gap = applied;
        for (int b : chosen) {
          for (const auto& item : c.bundles[b].items) items.push_back(item_lit(item));
          gap.add(potential[b], -1);
        }
        cnf().add({-circuit_->and_of(items), circuit_->at_least(gap, 0)});
      }
    }
  }

  static bool shares_item(const Bundle& a, const Bundle& b) {
    for (const auto& item : a.items) {
      if (std::find(b.items.begin(), b.items.end(), item) != b.items.end()) return true;
    }
    return false;
  }

  template <typename F>
  void encode(F&& f, Position where) {
    try {
      f();
    } catch (const EncodeError& e) {
      throw Error(ErrorKind::catalog, e.what(), cat().source, where);
    }
  }

  void rule(int r) {
    const Rule& rule = cat().rules[r];
    begin_group(ConstraintGroup::Kind::rule, r, rule.id, rule.message, rule.where);
    std::vector<Lit> scope;
    for (const auto& p : rule.products) scope.push_back(product_lit(*m_->index->product_index(p)));
    Lit guard = scope.empty() ? kTrue : circuit_->or_of(scope);
    for (const auto& p : rule.products) check().products.push_back(*m_->index->product_index(p));
    if (rule.kind != RuleKind::table && plain_clause(rule)) {
      end_group();
      return;
    }
    // `when`, and the presence of the assembly instance the rule belongs to.
    TExprPtr when;
    if (!rule.when.empty() || !rule.scope.empty()) {
      when = resolver_->rule_when(rule);
      if (when)
        encode(
            [&] {
              guard = circuit_->and_of({guard, encoder_->boolean(*when)});
            },
            rule.when_where.line ? rule.when_where : rule.where);
    }
    if (rule.kind == RuleKind::table) {
      encode([&] { table(rule, guard); }, rule.where);
      check().when = std::move(when);
      end_group();
      return;
    }
    auto expr = resolver_->rule_expression(rule);
    if (expr) {
      encode([&] { encoder_->require(*expr, guard, rule.kind == RuleKind::require); },
             rule.expression_where);
      check_rule(std::move(when), std::move(expr), rule.kind == RuleKind::require);
    }
    end_group();
  }

  /// A rule that is a clause over Boolean options (a DIMACS clause), encoded directly. False
  /// (nothing done) for anything else: the resolver and encoder then take the rule.
  bool plain_clause(const Rule& rule) {
    if (rule.kind != RuleKind::require || !rule.when.empty() || !rule.products.empty() ||
        !rule.scope.empty())
      return false;
    if (!plain_option_clause(*m_->index, rule.expression, plain_names_, plain_lits_)) return false;
    std::vector<Lit> clause;
    std::vector<std::tuple<int, uint32_t, bool>> lits;
    std::vector<int> vars;
    for (const auto& [o, positive] : plain_lits_) {
      int v = m_->option_var[o];
      if (m_->vars[v].size() != 2) return false;
      clause.push_back(m_->value_lit(v, positive ? 1 : 0));
      lits.emplace_back(v, 1u, positive);
      vars.push_back(v);
    }
    cnf().add_clause(clause);
    GroupCheck& c = check();
    c.kind = GroupCheck::Kind::rule;
    c.clause = std::move(lits);
    c.is_clause = true;
    c.vars = std::move(vars);
    return true;
  }

  // A table is a relation over variables: an option or a single-block slot is one column; a slot
  // that holds several blocks is one column per block it may hold (the block's quantity), so that
  // a cell naming a block matches when the slot holds it (among others), and `none` when the slot
  // is empty. Rows are expanded accordingly: a block cell takes each quantity from 1 up.
  std::vector<std::vector<int>> table_rows(const Rule& rule, std::vector<int>& vars) {
    struct Column {
      int option = -1, slot = -1;
      size_t first = 0;  // first of its variables in `vars`
    };
    std::vector<Column> columns;
    for (const auto& name : rule.columns) {
      Column col;
      col.first = vars.size();
      if (auto o = m_->index->option_index(name)) {
        col.option = *o;
        vars.push_back(m_->option_var[*o]);
      } else {
        col.slot = *m_->index->slot_index(name);
        if (m_->slot_var[col.slot] >= 0)
          vars.push_back(m_->slot_var[col.slot]);
        else
          vars.insert(vars.end(), m_->quantity_vars[col.slot].begin(),
                      m_->quantity_vars[col.slot].end());
      }
      columns.push_back(col);
    }
    constexpr size_t kMaxRows = 1000000;
    std::vector<std::vector<int>> out;
    for (const auto& row : rule.rows) {
      // Each cell: the values its columns may take (-1: any), one alternative per expansion.
      std::vector<std::vector<int>> partial{std::vector<int>(vars.size(), -1)};
      bool impossible = false;
      for (size_t k = 0; k < row.size() && !impossible; ++k) {
        const Column& col = columns[k];
        const std::string& cell = row[k];
        if (cell == "*") continue;
        if (col.option >= 0) {
          auto v = m_->index->option_value_index(col.option, cell);
          if (!v) impossible = true;
          for (auto& p : partial) p[col.first] = v.value_or(0);
          continue;
        }
        int single = m_->slot_var[col.slot];
        if (cell == "none") {
          size_t n = single >= 0 ? 1 : m_->quantity_vars[col.slot].size();
          for (auto& p : partial) std::fill(p.begin() + col.first, p.begin() + col.first + n, 0);
          continue;
        }
        auto b = m_->index->block_index(cell);
        int pos = b ? m_->index->block_position_in_slot(col.slot, *b) : -1;
        if (pos < 0) {
          impossible = true;
          continue;
        }
        if (single >= 0) {
          for (auto& p : partial) p[col.first] = pos + 1;
          continue;
        }
        int var = m_->quantity_vars[col.slot][pos];
        std::vector<std::vector<int>> grown;
        for (const auto& p : partial) {
          for (int q = 1; q < m_->vars[var].size(); ++q) {
            grown.push_back(p);
            grown.back()[col.first + pos] = q;
          }
        }
        partial = std::move(grown);
        if (out.size() + partial.size() > kMaxRows)
          throw EncodeError("table '" + rule.id + "' expands to more than " +
                            std::to_string(kMaxRows) +
                            " rows over the quantities of its slots; split it into smaller tables");
      }
      if (!impossible) out.insert(out.end(), partial.begin(), partial.end());
    }
    return out;
  }

  void table(const Rule& rule, Lit guard) {
    std::vector<int> vars;
    std::vector<std::vector<int>> rows = table_rows(rule, vars);
    std::vector<Lit> guard_lit;
    if (guard != kTrue) guard_lit.push_back(-guard);
    auto with_guard = [&](std::vector<Lit> clause) {
      clause.insert(clause.end(), guard_lit.begin(), guard_lit.end());
      cnf().add_clause(clause);
    };
    check().kind = GroupCheck::Kind::table;
    check().columns = vars;
    check().rows_allowed = rule.rows_allowed;
    std::vector<int> sizes;
    for (int var : vars) sizes.push_back(m_->vars[var].size());
    if (!rule.rows_allowed) {
      for (const auto& row : rows) {
        std::vector<Lit> clause;
        for (size_t k = 0; k < row.size(); ++k) {
          if (row[k] >= 0) clause.push_back(-m_->value_lit(vars[k], row[k]));
        }
        with_guard(clause);
      }
      check().mdd = build_mdd(sizes, rows);
      return;
    }
    // The allowed rows as a reduced MDD, encoded with a literal per node (true iff the product's
    // values follow a path through it) and per edge: node => some outgoing edge, edge <=> node and
    // value, node <=> some incoming edge. Unit propagation then prunes like the table itself.
    Mdd mdd = build_mdd(sizes, rows);
    if (mdd.root < 0) {
      with_guard({});
      check().mdd = std::move(mdd);
      return;
    }
    std::vector<int> order(mdd.nodes.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return mdd.nodes[a].level < mdd.nodes[b].level; });
    std::vector<std::vector<Lit>> incoming(mdd.nodes.size());
    for (int n : order) {
      if (n == Mdd::kTerminal) continue;
      Lit node = n == mdd.root ? guard : circuit_->or_of(incoming[n]);
      const auto& edges = mdd.nodes[n].edges;
      std::vector<Lit> outgoing{-node};
      for (auto [value, child] : edges) {
        Lit e = circuit_->and_of({node, m_->value_lit(vars[mdd.nodes[n].level], value)});
        outgoing.push_back(e);
        if (child != Mdd::kTerminal) incoming[child].push_back(e);
      }
      cnf().add_clause(outgoing);
    }
    check().mdd = std::move(mdd);
  }

  // Synthesised typed expressions, so that every constraint can be checked as a rule.
  static TExprPtr texpr(TOp op, Type type, int index = -1) {
    auto t = std::make_unique<TExpr>();
    t->op = op;
    t->type = type;
    t->index = index;
    return t;
  }
  static TExprPtr number_constant(int64_t n) {
    auto t = texpr(TOp::constant, Type::number);
    t->value = Value::integer(n);
    return t;
  }
  static TExprPtr compare(Cmp cmp, TExprPtr a, TExprPtr b) {
    auto t = texpr(TOp::compare, Type::boolean);
    t->cmp = cmp;
    t->args.push_back(std::move(a));
    t->args.push_back(std::move(b));
    return t;
  }
  GroupCheck& check() { return checks_.back(); }
  void check_rule(TExprPtr when, TExprPtr expression, bool positive = true) {
    check().kind = GroupCheck::Kind::rule;
    check().when = std::move(when);
    check().expression = std::move(expression);
    check().positive = positive;
  }

  std::vector<GroupCheck> checks_;
  std::vector<std::pair<std::string, bool>> plain_names_;  // scratch of plain_clause()
  std::vector<std::pair<int, bool>> plain_lits_;
  std::shared_ptr<Model> m_;
  std::unique_ptr<Circuit> circuit_;
  std::unique_ptr<Resolver> resolver_;
  std::unique_ptr<ExprEncoder> encoder_;
  Linear price_linear_;
};

}  // namespace

std::shared_ptr<const Model> compile_catalog(std::shared_ptr<const Catalog> catalog) {
  std::optional<Catalog> expanded;
  auto diagnostics = validate_expanding(*catalog, expanded);
  if (has_errors(diagnostics)) {
    const Diagnostic& first = diagnostics.front();
    size_t errors = 0;
    for (const auto& d : diagnostics) errors += d.severity == Severity::error;
    std::string message = first.message;
    if (errors > 1)
      message += " (and " + std::to_string(errors - 1) + " more problems; run `sumisura check`)";
    throw Error(ErrorKind::catalog, message, first.file, first.position, std::move(diagnostics));
  }
  if (expanded) catalog = std::make_shared<const Catalog>(std::move(*expanded));
  Compiler compiler(std::move(catalog));
  try {
    return compiler.run();
  } catch (const Error&) {
    // A limit (or an error in the catalog): answer now, free what was built off the clock.
    try {
      compiler.dispose();
    } catch (...) {
      // Out of memory for the hand-over: freed here as the stack unwinds.
    }
    throw;
  }
}

}  // namespace sumisura::detail
