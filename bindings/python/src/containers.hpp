// Mutable Python views of the lists and maps inside catalog objects: editing them edits the object.
#pragma once

#include <string>
#include <vector>

#include "model.hpp"

namespace sumisura::python {

std::string type_name(py::handle object);

/// How one kind of list converts its items; specialised below for each kind.
template <typename List>
struct ListTraits;

/// Lists of shared catalog objects: Python gets the very objects the list holds.
template <typename T>
struct ListTraits<SharedList<T>> {
  using Item = std::shared_ptr<T>;
  static std::vector<Item>& items(SharedList<T>& list) { return list.items; }
  static py::object to_python(const Item& item) { return py::cast(item); }
  static Item from_python(py::handle h) {
    if (!py::isinstance<T>(h)) {
      throw py::type_error("expected " + type_name(py::type::of<T>()) + ", not " +
                           type_name(h.get_type()));
    }
    return h.cast<Item>();
  }
  static bool equal(const Item& a, const Item& b) { return to_engine(*a) == to_engine(*b); }
};

/// Lists of ids (a slot's blocks, a block's requires_blocks, ...).
template <>
struct ListTraits<std::vector<std::string>> {
  using Item = std::string;
  static std::vector<Item>& items(std::vector<std::string>& list) { return list; }
  static py::object to_python(const Item& item) { return py::str(item); }
  static Item from_python(py::handle h) {
    if (!PyUnicode_Check(h.ptr())) {
      throw py::type_error("expected an id (str), not " + type_name(h.get_type()));
    }
    return h.cast<std::string>();
  }
  static bool equal(const Item& a, const Item& b) { return a == b; }
};

std::vector<std::string> strings_from_python(py::handle iterable);

/// The rows of a table rule. A row reads as a tuple: rows are replaced whole
/// (`rule.rows[0] = ["a", "b"]`), and a tuple cannot be edited to no effect.
template <>
struct ListTraits<std::vector<std::vector<std::string>>> {
  using Item = std::vector<std::string>;
  static std::vector<Item>& items(std::vector<Item>& list) { return list; }
  static py::object to_python(const Item& item) {
    py::tuple out(item.size());
    for (size_t i = 0; i < item.size(); ++i) out[i] = py::str(item[i]);
    return out;
  }
  static Item from_python(py::handle h) { return strings_from_python(h); }
  static bool equal(const Item& a, const Item& b) { return a == b; }
};

template <typename List>
std::vector<typename ListTraits<List>::Item> items_from_python(py::handle iterable) {
  if (PyUnicode_Check(iterable.ptr()) || PyBytes_Check(iterable.ptr())) {
    // Iterating "sole" would give "s", "o", "l", "e": a classic slip, so refuse it.
    throw py::type_error("expected a list, not a single " + type_name(iterable.get_type()));
  }
  std::vector<typename ListTraits<List>::Item> out;
  for (py::handle h : py::iter(iterable)) out.push_back(ListTraits<List>::from_python(h));
  return out;
}

using AttributeMap = std::map<std::string, Value>;
AttributeMap attributes_from_python(py::handle mapping);

/// A read/write property for a list member: reading gives a live view, assigning takes any
/// iterable. `Class` is the py::class_; the member may belong to a base of its type.
template <typename Class, typename Owner, typename List>
void def_list(Class& cls, const char* name, List Owner::*member, const char* doc) {
  using Self = typename Class::type;
  cls.def_property(name,
                   py::cpp_function([member](Self& self) -> List& { return self.*member; },
                                    py::return_value_policy::reference_internal),
                   py::cpp_function([member](Self& self, py::object value) {
                     ListTraits<List>::items(self.*member) = items_from_python<List>(value);
                   }),
                   doc);
}

/// A read/write property for a block's attributes: a live mapping; assigning takes any mapping.
template <typename Class, typename Owner>
void def_attribute_map(Class& cls, const char* name, AttributeMap Owner::*member, const char* doc) {
  using Self = typename Class::type;
  cls.def_property(name,
                   py::cpp_function([member](Self& self) -> AttributeMap& { return self.*member; },
                                    py::return_value_policy::reference_internal),
                   py::cpp_function([member](Self& self, py::object value) {
                     self.*member = attributes_from_python(value);
                   }),
                   doc);
}

}  // namespace sumisura::python
