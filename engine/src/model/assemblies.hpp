// Sub-assemblies: a catalog whose slots hold instances of assemblies becomes a plain catalog with
// one copy of each instance's options, slots and rules, before anything else reads it.
//
// Instance k of a slot S (cardinality up to n) is present when S holds at least k instances; S
// holds the assembly as a block (price, attributes, count). An absent instance's slots hold
// nothing and its options keep their default (generated rules say so), and its rules do not apply
// (Rule::scope). Identical instances would count one product n! times over: generated rules put
// the instances of a slot in order (each holds at least what the next holds, compared
// lexicographically over its options and contents), so counts, domains and optima see each
// product once.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sumisura/catalog.hpp"

namespace sumisura::detail {

/// The slot that holds an instance and the instance's number: `hd_units[2]` is instance 2 of slot
/// `hd_units`; `front_wheel` is instance 1 of `front_wheel`.
struct InstanceRef {
  std::string slot;
  int number = 1;
};
InstanceRef parse_instance(std::string_view scope);

class CatalogIndex;
/// The instance `scope` names in an expanded catalog: a slot of that id is instance 1 of it
/// (whatever brackets its id has); else `slot[k]` of a slot that exists. Nothing otherwise.
std::optional<InstanceRef> find_instance(const CatalogIndex& index, std::string_view scope);
/// The instance whose slot or option `id` is (`hd_units[2]` for `hd_units[2].disks`): the longest
/// prefix before a dot that names an instance. Nothing for the catalog's own.
std::optional<InstanceRef> owner_instance(const CatalogIndex& index, std::string_view id);

/// The most items (options, slots and rules) a catalog may expand to.
constexpr size_t kMaxExpandedItems = 200000;
/// The deepest nesting of assemblies (an assembly holding one holding one ...): deeper is refused
/// before anything recurses over it.
constexpr size_t kMaxAssemblyDepth = 32;

/// Problems of the assemblies themselves (unknown assembly, cycles, a slot of assemblies that also
/// lists blocks, rules with products, an expansion beyond kMaxExpandedItems). What the instances
/// hold is checked on the expanded catalog.
std::vector<Diagnostic> check_assemblies(const Catalog& catalog);

/// validate(catalog), keeping in `expanded` the catalog with its assemblies expanded when it has
/// some and they are sound, so that compiling does not expand them again.
std::vector<Diagnostic> validate_expanding(const Catalog& catalog,
                                           std::optional<Catalog>& expanded);

/// The catalog with every assembly expanded into instances; `catalog.assemblies` is empty in it.
/// Call only when check_assemblies() found no error.
Catalog expand_assemblies(const Catalog& catalog);

}  // namespace sumisura::detail
