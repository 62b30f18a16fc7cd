// Conversions between the engine's Catalog and the Python side's shared-object catalog.
#include "model.hpp"

namespace sumisura::python {
namespace {

template <typename T>
std::vector<T> unshare(const SharedList<T>& list) {
  std::vector<T> out;
  out.reserve(list.items.size());
  for (const auto& item : list.items) out.push_back(to_engine(*item));
  return out;
}

std::vector<Option> unshare(const SharedList<PyOption>& list) {
  std::vector<Option> out;
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
std::shared_ptr<PyCatalog> deep_copy(const PyCatalog& catalog) {
  return from_engine(to_engine(catalog));
}

}  // namespace sumisura::python
