// Building catalog parts the one way every reader builds them.
#include "sumisura/catalog.hpp"

namespace sumisura {

Option boolean_option(std::string id, Decimal price_when_true, Position where) {
  Option o;
  o.id = std::move(id);
  o.kind = OptionKind::boolean;
  o.values = {{Value::boolean(false), "", {}, where},
              {Value::boolean(true), "", price_when_true, where}};
  o.where = where;
  return o;
}

const char* to_string(AttributeType t) {
  switch (t) {
    case AttributeType::number:
      return "number";
    case AttributeType::string:
      return "string";
    case AttributeType::boolean:
      return "boolean";
    case AttributeType::number_set:
      return "number_set";
    case AttributeType::string_set:
      return "string_set";
  }
  return "number";
}

}  // namespace sumisura
