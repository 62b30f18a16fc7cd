// Names and values of the model's variables as users see them (see variables.hpp).
#include "api/variables.hpp"

namespace sumisura::detail {

Column describe_variable(const Model& m, int var) {
  const Catalog& c = *m.catalog;
  const FdVar& fd = m.vars[var];
  Column out;
  switch (fd.kind) {
    case VarKind::option: {
      const Option& o = c.options[fd.owner];
      out.name = o.id;
      out.kind = "option";
      for (const auto& v : o.values) out.values.push_back(v.value);
      break;
    }
    case VarKind::slot: {
      const Slot& s = c.slots[fd.owner];
      out.name = s.id;
      out.kind = "slot";
      out.values.push_back(Value::string("none"));
      for (const auto& b : s.blocks) out.values.push_back(Value::string(b));
      break;
    }
    case VarKind::quantity: {
      out.name = c.slots[fd.owner].id + "." + c.blocks[fd.block].id;
      out.kind = "quantity";
      for (int k = 0; k < fd.size(); ++k) out.values.push_back(Value::number(Decimal::from_integer(k)));
      break;
    }
    case VarKind::service:
      out.name = c.services[fd.owner].id;
      out.kind = "service";
      out.values = {Value::boolean(false), Value::boolean(true)};
      break;
    case VarKind::product:
      out.name = "product";
      out.kind = "product";
      for (const auto& p : c.products) out.values.push_back(Value::string(p.id));
      break;
  }
  return out;
}

}  // namespace sumisura::detail
