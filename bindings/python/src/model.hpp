// The Python side's catalog: engine types, with lists of sub-objects held by shared pointers.
//
// Why not bind sumisura::Catalog directly: its lists are std::vector<Option> etc., and a Python
// object for `catalog.options[0]` would point into the vector's buffer. The next append may move
// that buffer, and the Python object would then dangle (a crash, not an exception). Here each
// list element is its own heap object that Python shares, exactly like a Python list of objects:
// `opt = Option(...); catalog.options.append(opt); opt.label = "x"` edits the catalog, and no
// list operation invalidates an object Python holds. Engine calls take a converted copy.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "casters.hpp"

namespace sumisura::python {

/// A list of objects that Python shares; bound as a mutable sequence.
template <typename T>
struct SharedList {
  std::vector<std::shared_ptr<T>> items;
};

/// An Option whose values are shared objects. The inherited `values` stays empty: `shared_values`
/// holds them.
struct PyOption : Option {
  SharedList<OptionValue> shared_values;
};

/// An Assembly whose lists are shared objects. The inherited `options`, `slots` and `rules` stay
/// empty: the shared lists hold them.
struct PyAssembly : Assembly {
  SharedList<PyOption> shared_options;
  SharedList<Slot> shared_slots;
  SharedList<Rule> shared_rules;
};

/// A Catalog whose lists are shared objects (see the file comment).
struct PyCatalog {
  std::string name;
  std::string version;
  std::string currency = "EUR";
  std::string description;
  std::string source;
  SharedList<AttributeDecl> attributes;
  SharedList<PyOption> options;
  SharedList<Block> blocks;
  SharedList<Slot> slots;
  SharedList<PyAssembly> assemblies;
  SharedList<Product> products;
  SharedList<Service> services;
  SharedList<Bundle> bundles;
  SharedList<Tier> tiers;
  SharedList<Measure> measures;
  SharedList<Rule> rules;
};

Option to_engine(const PyOption& option);
Assembly to_engine(const PyAssembly& assembly);
Catalog to_engine(const PyCatalog& catalog);
std::shared_ptr<PyOption> from_engine(Option option);
std::shared_ptr<PyAssembly> from_engine(Assembly assembly);
std::shared_ptr<PyCatalog> from_engine(Catalog catalog);

/// The engine value of any bound catalog type (a copy for types that are engine types already).
template <typename T>
const T& to_engine(const T& value) {
  return value;
}

/// An independent copy: nothing shared with the original.
std::shared_ptr<PyOption> deep_copy(const PyOption& option);
std::shared_ptr<PyAssembly> deep_copy(const PyAssembly& assembly);
std::shared_ptr<PyCatalog> deep_copy(const PyCatalog& catalog);
template <typename T>
std::shared_ptr<T> deep_copy(const T& value) {
  return std::make_shared<T>(value);
}

}  // namespace sumisura::python
