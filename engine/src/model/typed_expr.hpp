// Resolved, type-checked expressions: every name bound to an option, slot, block, service,
// product or attribute. This is what compile/ and the reference evaluator consume.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "model/expression.hpp"
#include "sumisura/value.hpp"

namespace sumisura::detail {

enum class Type { boolean, number, string, block, number_set, string_set, block_set };

const char* type_name(Type t);

enum class TOp {
  constant,        // value: boolean, number or string (type says which)
  block_constant,  // index: block, or -1 for `none`
  list,            // args: constants of one element type (type: a set type)
  option,          // index: option
  slot_block,      // index: slot holding at most one block; type block
  block_selected,  // index: block (in any slot)
  block_in_slot,   // index: block, index2: slot
  service,         // index: service included
  product,         // index: product chosen
  attribute,       // index: slot (at most one block), index2: attribute; default when empty
  aggregate,       // agg over index2 attribute of the blocks in slot index (-1: every slot)
  count_slot,      // index: slot (-1: every slot); number of blocks, with quantities
  price,           // the total price the customer pays
  logical_not,
  logical_and,
  logical_or,
  implies,
  iff,
  compare,  // cmp: args[0] cmp args[1]
  member,   // args[0] in args[1] (a list constant or a set attribute)
  add,
  sub,
  mul,
  negate,
  count,  // sum over args: booleans count 1 when true, numbers add up
};

enum class Cmp { eq, ne, lt, le, gt, ge };
enum class Agg { sum, min, max };

struct TExpr {
  TOp op = TOp::constant;
  Type type = Type::boolean;
  Position pos;
  int index = -1;
  int index2 = -1;
  Value value;
  Cmp cmp = Cmp::eq;
  Agg agg = Agg::sum;
  std::vector<std::unique_ptr<TExpr>> args;
};
using TExprPtr = std::unique_ptr<TExpr>;

TExprPtr clone(const TExpr& e);
TExprPtr make_constant(bool b);

}  // namespace sumisura::detail
