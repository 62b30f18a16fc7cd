// Conversions between engine values and native Python values: Decimal, Value and the enums.
//
// Every translation unit of the module includes this header, so that each C++ type converts the
// same way everywhere (pybind11 requires opaque declarations and casters to agree across files).
#pragma once

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sumisura/catalog.hpp"
#include "sumisura/check.hpp"

// Id lists, table rows and attribute maps are bound as mutable containers that edit the object
// they belong to; the default pybind11 conversion would hand Python a copy, and
// `block.requires_blocks.append("x")` would silently do nothing.
PYBIND11_MAKE_OPAQUE(std::vector<std::string>)
PYBIND11_MAKE_OPAQUE(std::vector<std::vector<std::string>>)
PYBIND11_MAKE_OPAQUE(std::map<std::string, sumisura::Value>)

namespace sumisura::python {

namespace py = pybind11;

/// Converts int, float (through its repr, so 0.1 stays 0.1), str and decimal.Decimal to an exact
/// Decimal. Returns nothing for other types (bool too: `price=True` is a mistake); throws
/// Error(usage) for numbers a Decimal cannot hold (more than six decimals, too large, NaN).
std::optional<Decimal> decimal_from_python(py::handle src);
/// A decimal.Decimal with the shortest exact text ("12.5", not "12.500000").
py::object decimal_to_python(Decimal d);

/// bool, int/float/decimal.Decimal (numbers), str, and list/tuple/set of those (lists); nothing
/// for other types.
std::optional<Value> value_from_python(py::handle src);
/// bool, int for whole numbers, decimal.Decimal otherwise, str, list.
py::object value_to_python(const Value& v);

/// The Python enum.Enum class that stands for a C++ enum; members are named, and valued, as the
/// catalog format writes them (OptionKind.boolean == OptionKind("boolean")).
template <typename E>
struct EnumInfo;

#define SUMISURA_ENUM_INFO(E, NAME, ...)                                                        \
  template <>                                                                                   \
  struct EnumInfo<E> {                                                                          \
    static constexpr char name[] = NAME;                                                        \
    static constexpr auto members = std::to_array<std::pair<E, const char*>>({__VA_ARGS__});    \
    static inline PyObject* python_class = nullptr; /* set once by bind_enums, kept for good */ \
  };

SUMISURA_ENUM_INFO(OptionKind, "OptionKind", {OptionKind::enumeration, "enumeration"},
                   {OptionKind::integer, "integer"}, {OptionKind::boolean, "boolean"})
SUMISURA_ENUM_INFO(AttributeType, "AttributeType", {AttributeType::number, "number"},
                   {AttributeType::string, "string"}, {AttributeType::boolean, "boolean"},
                   {AttributeType::number_set, "number_set"},
                   {AttributeType::string_set, "string_set"})
SUMISURA_ENUM_INFO(RuleKind, "RuleKind", {RuleKind::require, "require"},
                   {RuleKind::forbid, "forbid"}, {RuleKind::table, "table"})
SUMISURA_ENUM_INFO(Severity, "Severity", {Severity::error, "error"}, {Severity::warning, "warning"})
SUMISURA_ENUM_INFO(ModelFormat, "ModelFormat", {ModelFormat::automatic, "automatic"},
                   {ModelFormat::yaml, "yaml"}, {ModelFormat::dimacs, "dimacs"},
                   {ModelFormat::xcsp, "xcsp"}, {ModelFormat::uvl, "uvl"},
                   {ModelFormat::compiled, "compiled"})
#undef SUMISURA_ENUM_INFO

[[noreturn]] void throw_usage(std::string message);

template <typename E>
std::optional<E> enum_from_python(py::handle src) {
  using Info = EnumInfo<E>;
  py::object text;
  if (PyObject_IsInstance(src.ptr(), Info::python_class) == 1) {
    text = src.attr("value");
  } else if (PyUnicode_Check(src.ptr())) {
    text = py::reinterpret_borrow<py::object>(src);  // the value's text is accepted too
  } else {
    return std::nullopt;
  }
  const auto name = text.cast<std::string>();
  std::string expected;
  for (const auto& [e, member] : Info::members) {
    if (name == member) return e;
    expected += (expected.empty() ? "" : ", ") + std::string(member);
  }
  throw_usage("'" + name + "' is not a " + Info::name + "; expected one of: " + expected);
}

template <typename E>
py::object enum_to_python(E e) {
  for (const auto& [member, name] : EnumInfo<E>::members) {
    if (member == e) return py::reinterpret_borrow<py::object>(EnumInfo<E>::python_class)(name);
  }
  throw_usage("unknown " + std::string(EnumInfo<E>::name) + " value");
}

/// A `format` argument: None (by extension), a ModelFormat, or a name the CLI's --format takes
/// ("yaml", "cnf", ...).
ModelFormat format_arg(py::object format);

template <typename E>
struct enum_caster {
  PYBIND11_TYPE_CASTER(E, py::detail::const_name(EnumInfo<E>::name));
  bool load(py::handle src, bool) {
    auto e = enum_from_python<E>(src);
    if (e) value = *e;
    return e.has_value();
  }
  static py::handle cast(E e, py::return_value_policy, py::handle) {
    return enum_to_python(e).release();
  }
};

}  // namespace sumisura::python

namespace pybind11::detail {

template <>
struct type_caster<sumisura::Decimal> {
  PYBIND11_TYPE_CASTER(sumisura::Decimal, const_name("decimal.Decimal"));
  bool load(handle src, bool) {
    auto d = sumisura::python::decimal_from_python(src);
    if (d) value = *d;
    return d.has_value();
  }
  static handle cast(sumisura::Decimal d, return_value_policy, handle) {
    return sumisura::python::decimal_to_python(d).release();
  }
};

template <>
struct type_caster<sumisura::Value> {
  PYBIND11_TYPE_CASTER(sumisura::Value, const_name("Value"));
  bool load(handle src, bool) {
    auto v = sumisura::python::value_from_python(src);
    if (v) value = std::move(*v);
    return v.has_value();
  }
  static handle cast(const sumisura::Value& v, return_value_policy, handle) {
    return sumisura::python::value_to_python(v).release();
  }
};

template <>
struct type_caster<sumisura::OptionKind> : sumisura::python::enum_caster<sumisura::OptionKind> {};
template <>
struct type_caster<sumisura::AttributeType>
    : sumisura::python::enum_caster<sumisura::AttributeType> {};
template <>
struct type_caster<sumisura::RuleKind> : sumisura::python::enum_caster<sumisura::RuleKind> {};
template <>
struct type_caster<sumisura::Severity> : sumisura::python::enum_caster<sumisura::Severity> {};
template <>
struct type_caster<sumisura::ModelFormat> : sumisura::python::enum_caster<sumisura::ModelFormat> {};

}  // namespace pybind11::detail
