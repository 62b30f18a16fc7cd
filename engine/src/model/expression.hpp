// The rule expression language: syntax tree and parser. Names are not resolved here (see resolve).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sumisura/error.hpp"
#include "sumisura/value.hpp"

namespace sumisura::detail {

enum class Op {
  number,
  string,
  boolean,
  none,    // literals
  name,    // identifier or `quoted name`
  member,  // args[0] . text   (slot.attribute)
  list,    // [a, b, c]
  call,    // text(args...)    (sum, min, max, count)
  logical_not,
  negate,
  logical_and,
  logical_or,
  implies,
  iff,
  eq,
  ne,
  lt,
  le,
  gt,
  ge,
  in,
  not_in,
  add,
  sub,
  mul,
};

struct Expr {
  Op op = Op::boolean;
  Position pos;
  std::string text;  // name, string literal, member field or function name
  Decimal number;
  bool boolean = false;
  bool quoted = false;  // a name written in backticks: never a keyword such as `price`
  std::vector<std::unique_ptr<Expr>> args;
};
using ExprPtr = std::unique_ptr<Expr>;

struct ParseFailure {
  Position pos;
  std::string message;
};

/// Parses `text`, whose first character sits at `start` in its file. On failure returns null
/// and fills `failure`.
ExprPtr parse_expression(std::string_view text, Position start, ParseFailure& failure);

/// True for names that can be written bare in an expression (not keywords).
bool is_plain_identifier(std::string_view name);
/// `name` as it must be written in an expression: bare when possible, else in backticks.
std::string quote_name(std::string_view name);
/// A string literal for `text`, in double quotes with \" and \\ escaped.
std::string quote_string(std::string_view text);

const char* op_symbol(Op op);

}  // namespace sumisura::detail
