// Name lookup over a catalog: one namespace of ids, the attribute schema, and who fills which slot.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "sumisura/catalog.hpp"

namespace sumisura::detail {

enum class SymbolKind { option, block, slot, service, product, measure };

struct Symbol {
  SymbolKind kind;
  int index;
};

const char* symbol_kind_name(SymbolKind kind);
/// "a block", "an option": the kind with its article, for messages.
std::string a_kind(SymbolKind kind);

/// The schema of one attribute: declared, or inferred from the blocks that carry it.
struct AttributeInfo {
  std::string id;
  AttributeType type = AttributeType::number;
  Value default_value;  ///< declared default, else 0 / "" / false / []
  bool declared = false;
  bool consistent = true;  ///< false when blocks disagree on its type (validation reports it)
};

bool is_set_type(AttributeType t);
const char* attribute_type_name(AttributeType t);

class CatalogIndex {
 public:
  explicit CatalogIndex(const Catalog& catalog);

  const Catalog& catalog() const { return *catalog_; }
  /// The symbol an id names. Ids are unique across options, blocks, slots, services, products and
  /// measures; when they are not (validation reports it) the first definition wins.
  std::optional<Symbol> find(const std::string& id) const;
  std::optional<int> attribute(const std::string& id) const;
  const std::vector<AttributeInfo>& attributes() const { return attributes_; }
  /// The value of an attribute on a block, or the attribute's default.
  const Value& block_attribute(int block, int attribute) const;
  /// Slots each block may fill.
  const std::vector<int>& slots_of_block(int block) const { return slots_of_block_[block]; }
  /// Index of `block` among the blocks slot `slot` accepts, or -1.
  int block_position_in_slot(int slot, int block) const;
  std::optional<int> block_index(const std::string& id) const;
  std::optional<int> option_index(const std::string& id) const;
  std::optional<int> slot_index(const std::string& id) const;
  std::optional<int> service_index(const std::string& id) const;
  std::optional<int> product_index(const std::string& id) const;
  /// Index of a value in an option's domain, matching how it is written (e.g. "42", "true").
  std::optional<int> option_value_index(int option, const std::string& text) const;
  std::optional<int> option_value_index(int option, const Value& value) const;

 private:
  std::optional<int> index_of(const std::string& id, SymbolKind kind) const;
  const Catalog* catalog_;
  std::unordered_map<std::string, Symbol> symbols_;
  std::unordered_map<std::string, int> attribute_ids_;
  std::vector<AttributeInfo> attributes_;
  std::vector<std::vector<int>> block_attribute_values_;  // [block][attribute] -> index or -1
  std::vector<std::vector<int>> slots_of_block_;
  std::vector<std::unordered_map<int, int>> slot_block_positions_;
  std::vector<std::unordered_map<std::string, int>> option_values_;
  // Ids per kind, so that a duplicate id in another kind does not hide a block or a slot.
  std::unordered_map<std::string, int> kind_ids_[6];
};

/// The text form of a value as a table cell or a `--where` value would write it.
std::string value_text(const Value& value);

}  // namespace sumisura::detail
