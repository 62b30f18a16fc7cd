// Conversions between the engine's Catalog and the Python side's shared-object catalog.
#include "model.hpp"

#include <type_traits>
#include <utility>

namespace sumisura::python {
namespace {

/// The engine's list of a Python-side list: Block stays Block, PyOption becomes Option, PyAssembly
/// becomes Assembly (whatever to_engine makes of an item).
template <typename T>
auto unshare(const SharedList<T>& list) {
  std::vector<std::decay_t<decltype(to_engine(std::declval<const T&>()))>> out;
  out.reserve(list.items.size());
  for (const auto& item : list.items) out.push_back(to_engine(*item));
  return out;
}

template <typename T>
SharedList<T> share(std::vector<T>&& items) {
  SharedList<T> out;
  out.items.reserve(items.size());
  for (auto& item : items) out.items.push_back(std::make_shared<T>(std::move(item)));
  return out;
}

}  // namespace

Option to_engine(const PyOption& option) {
  Option out = option;  // slices off shared_values; `values` is empty in a PyOption
  out.values = unshare(option.shared_values);
  return out;
}

std::shared_ptr<PyOption> from_engine(Option option) {
  auto out = std::make_shared<PyOption>();
  out->shared_values = share(std::move(option.values));
  option.values.clear();
  static_cast<Option&>(*out) = std::move(option);
  return out;
}

Assembly to_engine(const PyAssembly& assembly) {
  Assembly out = assembly;  // slices off the shared lists; the inherited ones are empty
  out.options = unshare(assembly.shared_options);
  out.slots = unshare(assembly.shared_slots);
  out.rules = unshare(assembly.shared_rules);
  return out;
}

std::shared_ptr<PyAssembly> from_engine(Assembly assembly) {
  auto out = std::make_shared<PyAssembly>();
  for (auto& o : assembly.options) out->shared_options.items.push_back(from_engine(std::move(o)));
  out->shared_slots = share(std::move(assembly.slots));
  out->shared_rules = share(std::move(assembly.rules));
  assembly.options.clear();
  assembly.slots.clear();
  assembly.rules.clear();
  static_cast<Assembly&>(*out) = std::move(assembly);
  return out;
}

Catalog to_engine(const PyCatalog& c) {
  Catalog out;
  out.name = c.name;
  out.version = c.version;
  out.currency = c.currency;
  out.description = c.description;
  out.source = c.source;
  out.attributes = unshare(c.attributes);
  out.options = unshare(c.options);
  out.blocks = unshare(c.blocks);
  out.slots = unshare(c.slots);
  out.assemblies = unshare(c.assemblies);
  out.products = unshare(c.products);
  out.services = unshare(c.services);
  out.bundles = unshare(c.bundles);
  out.tiers = unshare(c.tiers);
  out.measures = unshare(c.measures);
  out.rules = unshare(c.rules);
  return out;
}

std::shared_ptr<PyCatalog> from_engine(Catalog c) {
  auto out = std::make_shared<PyCatalog>();
  out->name = std::move(c.name);
  out->version = std::move(c.version);
  out->currency = std::move(c.currency);
  out->description = std::move(c.description);
  out->source = std::move(c.source);
  out->attributes = share(std::move(c.attributes));
  for (auto& o : c.options) out->options.items.push_back(from_engine(std::move(o)));
  out->blocks = share(std::move(c.blocks));
  out->slots = share(std::move(c.slots));
  for (auto& a : c.assemblies) out->assemblies.items.push_back(from_engine(std::move(a)));
  out->products = share(std::move(c.products));
  out->services = share(std::move(c.services));
  out->bundles = share(std::move(c.bundles));
  out->tiers = share(std::move(c.tiers));
  out->measures = share(std::move(c.measures));
  out->rules = share(std::move(c.rules));
  return out;
}

std::shared_ptr<PyOption> deep_copy(const PyOption& option) {
  return from_engine(to_engine(option));
}
std::shared_ptr<PyAssembly> deep_copy(const PyAssembly& assembly) {
  return from_engine(to_engine(assembly));
}
std::shared_ptr<PyCatalog> deep_copy(const PyCatalog& catalog) {
  return from_engine(to_engine(catalog));
}

}  // namespace sumisura::python
