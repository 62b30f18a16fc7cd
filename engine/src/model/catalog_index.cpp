// Name lookup over a catalog.
#include "model/catalog_index.hpp"

namespace sumisura::detail {

const char* symbol_kind_name(SymbolKind kind) {
  switch (kind) {
    case SymbolKind::option:
      return "option";
    case SymbolKind::block:
      return "block";
    case SymbolKind::slot:
      return "slot";
    case SymbolKind::service:
      return "service";
    case SymbolKind::product:
      return "product";
    case SymbolKind::measure:
      return "measure";
  }
  return "?";
}

std::string a_kind(SymbolKind kind) {
  std::string name = symbol_kind_name(kind);
  return (name[0] == 'o' ? "an " : "a ") + name;
}

bool is_set_type(AttributeType t) {
  return t == AttributeType::number_set || t == AttributeType::string_set;
}

const char* attribute_type_name(AttributeType t) {
  switch (t) {
    case AttributeType::number:
      return "number";
    case AttributeType::string:
      return "string";
    case AttributeType::boolean:
      return "boolean";
    case AttributeType::number_set:
      return "number set";
    case AttributeType::string_set:
      return "string set";
  }
  return "?";
}

namespace {

std::optional<AttributeType> type_of(const Value& v) {
  switch (v.kind()) {
    case ValueKind::number:
      return AttributeType::number;
    case ValueKind::string:
      return AttributeType::string;
    case ValueKind::boolean:
      return AttributeType::boolean;
    case ValueKind::list: {
      if (v.as_list().empty()) return std::nullopt;  // an empty set fits either set type
      bool numbers = v.as_list()[0].is_number();
      for (const auto& item : v.as_list()) {
        if (item.is_number() != numbers || item.is_list() || item.is_boolean()) {
          return std::nullopt;
        }
      }
      return numbers ? AttributeType::number_set : AttributeType::string_set;
    }
  }
  return std::nullopt;
}

Value zero_of(AttributeType t) {
  switch (t) {
    case AttributeType::number:
      return Value::integer(0);
    case AttributeType::string:
      return Value::string("");
    case AttributeType::boolean:
      return Value::boolean(false);
    default:
      return Value::list({});
  }
}

}  // namespace

std::string value_text(const Value& value) {
  return value.to_string();
}

CatalogIndex::CatalogIndex(const Catalog& catalog) : catalog_(&catalog) {
  auto add = [&](const std::string& id, SymbolKind kind, int index) {
    symbols_.emplace(id, Symbol{kind, index});  // the first definition wins
    kind_ids_[static_cast<int>(kind)].emplace(id, index);
  };
  for (size_t i = 0; i < catalog.options.size(); ++i)
    add(catalog.options[i].id, SymbolKind::option, i);
  for (size_t i = 0; i < catalog.blocks.size(); ++i)
    add(catalog.blocks[i].id, SymbolKind::block, i);
  for (size_t i = 0; i < catalog.slots.size(); ++i) add(catalog.slots[i].id, SymbolKind::slot, i);
  for (size_t i = 0; i < catalog.services.size(); ++i)
    add(catalog.services[i].id, SymbolKind::service, i);
  for (size_t i = 0; i < catalog.products.size(); ++i)
    add(catalog.products[i].id, SymbolKind::product, i);
  for (size_t i = 0; i < catalog.measures.size(); ++i)
    add(catalog.measures[i].id, SymbolKind::measure, i);

  // Attribute schema: declarations first, then whatever the blocks carry.
  for (const auto& decl : catalog.attributes) {
    if (attribute_ids_.count(decl.id)) continue;
    AttributeInfo info;
    info.id = decl.id;
    info.type = decl.type;
    info.declared = true;
    info.default_value = decl.default_value ? *decl.default_value : zero_of(decl.type);
    attribute_ids_[decl.id] = attributes_.size();
    attributes_.push_back(info);
  }
  for (const auto& block : catalog.blocks) {
    for (const auto& [name, value] : block.attributes) {
      auto type = type_of(value);
      auto it = attribute_ids_.find(name);
      if (it == attribute_ids_.end()) {
        AttributeInfo info;
        info.id = name;
        info.type = type.value_or(AttributeType::string_set);
        info.default_value = zero_of(info.type);
        // An inferred type from an empty set is provisional: a later non-empty set settles it.
        info.consistent = true;
        attribute_ids_[name] = attributes_.size();
        attributes_.push_back(info);
        continue;
      }
      AttributeInfo& info = attributes_[it->second];
      if (!type) {
        if (!(value.is_list() && is_set_type(info.type))) info.consistent = false;
        continue;
      }
      if (*type != info.type) {
        // Settle a provisional empty-set inference, otherwise record the disagreement.
        if (!info.declared && is_set_type(info.type) && is_set_type(*type)) {
          info.type = *type;
          info.default_value = zero_of(*type);
        } else {
          info.consistent = false;
        }
      }
    }
  }

  block_attribute_values_.assign(catalog.blocks.size(), std::vector<int>(attributes_.size(), -1));
  slots_of_block_.assign(catalog.blocks.size(), {});
  slot_block_positions_.assign(catalog.slots.size(), {});
  std::unordered_map<std::string, int> block_ids;
  for (size_t b = 0; b < catalog.blocks.size(); ++b) block_ids.emplace(catalog.blocks[b].id, b);
  for (size_t s = 0; s < catalog.slots.size(); ++s) {
    const auto& names = catalog.slots[s].blocks;
    for (size_t k = 0; k < names.size(); ++k) {
      auto it = block_ids.find(names[k]);
      if (it == block_ids.end()) continue;
      if (slot_block_positions_[s].emplace(it->second, k).second) {
        slots_of_block_[it->second].push_back(s);
      }
    }
  }
  option_values_.resize(catalog.options.size());
  for (size_t o = 0; o < catalog.options.size(); ++o) {
    for (size_t v = 0; v < catalog.options[o].values.size(); ++v) {
      option_values_[o].emplace(value_text(catalog.options[o].values[v].value), v);
    }
  }
}

std::optional<Symbol> CatalogIndex::find(const std::string& id) const {
  auto it = symbols_.find(id);
  if (it == symbols_.end()) return std::nullopt;
  return it->second;
}

std::optional<int> CatalogIndex::attribute(const std::string& id) const {
  auto it = attribute_ids_.find(id);
  if (it == attribute_ids_.end()) return std::nullopt;
  return it->second;
}

const Value& CatalogIndex::block_attribute(int block, int attribute) const {
  const auto& attrs = catalog_->blocks[block].attributes;
  auto it = attrs.find(attributes_[attribute].id);
  if (it == attrs.end()) return attributes_[attribute].default_value;
  return it->second;
}

int CatalogIndex::block_position_in_slot(int slot, int block) const {
  auto it = slot_block_positions_[slot].find(block);
  return it == slot_block_positions_[slot].end() ? -1 : it->second;
}

std::optional<int> CatalogIndex::index_of(const std::string& id, SymbolKind kind) const {
  const auto& ids = kind_ids_[static_cast<int>(kind)];
  auto it = ids.find(id);
  if (it == ids.end()) return std::nullopt;
  return it->second;
}

std::optional<int> CatalogIndex::block_index(const std::string& id) const {
  return index_of(id, SymbolKind::block);
}
std::optional<int> CatalogIndex::option_index(const std::string& id) const {
  return index_of(id, SymbolKind::option);
}
std::optional<int> CatalogIndex::slot_index(const std::string& id) const {
  return index_of(id, SymbolKind::slot);
}
std::optional<int> CatalogIndex::service_index(const std::string& id) const {
  return index_of(id, SymbolKind::service);
}
std::optional<int> CatalogIndex::product_index(const std::string& id) const {
  return index_of(id, SymbolKind::product);
}

std::optional<int> CatalogIndex::option_value_index(int option, const std::string& text) const {
  const auto& values = option_values_[option];
  auto it = values.find(text);
  if (it != values.end()) return it->second;
  // Numbers may be written differently ("42.0" for 42).
  if (catalog_->options[option].kind == OptionKind::integer) {
    if (auto d = Decimal::parse(text)) {
      it = values.find(d->to_string());
      if (it != values.end()) return it->second;
    }
  }
  return std::nullopt;
}

std::optional<int> CatalogIndex::option_value_index(int option, const Value& value) const {
  return option_value_index(option, value_text(value));
}

}  // namespace sumisura::detail
