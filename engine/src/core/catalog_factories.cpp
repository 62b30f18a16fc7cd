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

}  // namespace sumisura
