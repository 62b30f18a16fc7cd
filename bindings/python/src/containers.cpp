// The list and attribute-map classes: mutable sequences and mappings over catalog objects.
#include "containers.hpp"

#include "bindings.hpp"

namespace sumisura::python {

std::string type_name(py::handle type) {
  return py::str(type.attr("__name__"));
}

std::vector<std::string> strings_from_python(py::handle iterable) {
  return items_from_python<std::vector<std::string>>(iterable);
}

AttributeMap attributes_from_python(py::handle mapping) {
  if (!py::hasattr(mapping, "keys")) {
    throw py::type_error(
        "expected a mapping of attribute names to values, such as "
        "{'material': 'leather'}, not " +
        type_name(mapping.get_type()));
  }
  AttributeMap out;
  for (py::handle key : mapping.attr("keys")()) {
    if (!PyUnicode_Check(key.ptr())) {
      throw py::type_error("attribute names are str, not " + type_name(key.get_type()));
    }
    py::object item = mapping[key];
    auto value = value_from_python(item);
    if (!value) {
      throw py::type_error("attribute '" + key.cast<std::string>() +
                           "': expected a bool, number, str or list, not " +
                           type_name(item.get_type()));
    }
    out[key.cast<std::string>()] = std::move(*value);
  }
  return out;
}

namespace {

template <typename List>
py::list to_list(List& list) {
  py::list out;
  for (const auto& item : ListTraits<List>::items(list))
    out.append(ListTraits<List>::to_python(item));
  return out;
}

size_t checked_index(ptrdiff_t i, size_t size) {
  if (i < 0) i += static_cast<ptrdiff_t>(size);
  if (i < 0 || static_cast<size_t>(i) >= size) throw py::index_error("list index out of range");
  return static_cast<size_t>(i);
}

py::object not_implemented() {
  return py::reinterpret_borrow<py::object>(Py_NotImplemented);
}

// Operations that Python's list already does well (slices, sort, index) run on a Python copy
// whose result is stored back: the items are the same objects, so nothing is lost.
template <typename List>
void store(List& list, py::object items) {
  ListTraits<List>::items(list) = items_from_python<List>(items);
}

// `x` as an item of the list, or nothing when it cannot be one (then it equals no item). Items
// compare as __eq__ does, so `["a", "b"] in rule.rows` holds although rows read as tuples.
template <typename List>
std::optional<typename ListTraits<List>::Item> as_item(py::handle x) {
  try {
    return ListTraits<List>::from_python(x);
  } catch (const py::type_error&) {
    return std::nullopt;
  } catch (py::error_already_set& e) {
    if (!e.matches(PyExc_TypeError)) throw;
    return std::nullopt;
  }
}

template <typename List>
ptrdiff_t find(List& list, py::handle x) {
  auto item = as_item<List>(x);
  if (!item) return -1;
  const auto& v = ListTraits<List>::items(list);
  for (size_t i = 0; i < v.size(); ++i) {
    if (ListTraits<List>::equal(v[i], *item)) return static_cast<ptrdiff_t>(i);
  }
  return -1;
}

template <typename List>
ptrdiff_t index_of(List& list, py::handle x) {
  ptrdiff_t i = find(list, x);
  if (i < 0) throw py::value_error(py::repr(x).cast<std::string>() + " is not in list");
  return i;
}

template <typename List>
void bind_list(py::module_& m, const char* name, const char* doc) {
  using Traits = ListTraits<List>;
  py::class_<List> cls(m, name, doc);
  cls.def("__len__", [](List& l) { return Traits::items(l).size(); })
      .def("__getitem__",
           [](List& l, ptrdiff_t i) {
             auto& v = Traits::items(l);
             return Traits::to_python(v[checked_index(i, v.size())]);
           })
      .def("__getitem__", [](List& l, py::slice s) { return py::object(to_list(l)[s]); })
      .def("__setitem__",
           [](List& l, ptrdiff_t i, py::object x) {
             auto& v = Traits::items(l);
             v[checked_index(i, v.size())] = Traits::from_python(x);
           })
      .def("__setitem__",
           [](List& l, py::slice s, py::object x) {
             py::list copy = to_list(l);
             if (PyObject_SetItem(copy.ptr(), s.ptr(), x.ptr()) != 0) throw py::error_already_set();
             store(l, copy);
           })
      .def("__delitem__",
           [](List& l, ptrdiff_t i) {
             auto& v = Traits::items(l);
             v.erase(v.begin() + static_cast<ptrdiff_t>(checked_index(i, v.size())));
           })
      .def("__delitem__",
           [](List& l, py::slice s) {
             py::list copy = to_list(l);
             if (PyObject_DelItem(copy.ptr(), s.ptr()) != 0) throw py::error_already_set();
             store(l, copy);
           })
      .def("__iter__", [](List& l) { return py::iter(to_list(l)); })
      .def("__contains__", [](List& l, py::object x) { return find<List>(l, x) >= 0; })
      .def("__eq__",
           [](List& l, py::object other) -> py::object {
             if (PyUnicode_Check(other.ptr()) || !py::isinstance<py::iterable>(other)) {
               return not_implemented();
             }
             std::vector<typename Traits::Item> theirs;
             try {
               theirs = items_from_python<List>(other);
             } catch (const py::type_error&) {
               return py::bool_(false);  // holds something this list cannot: not equal
             }
             const auto& ours = Traits::items(l);
             if (ours.size() != theirs.size()) return py::bool_(false);
             for (size_t i = 0; i < ours.size(); ++i) {
               if (!Traits::equal(ours[i], theirs[i])) return py::bool_(false);
             }
             return py::bool_(true);
           })
      .def("__repr__", [](List& l) { return py::repr(to_list(l)); })
      .def(
          "__iadd__",
          [](List& l, py::object items) -> List& {
            auto more = items_from_python<List>(items);
            auto& v = Traits::items(l);
            v.insert(v.end(), more.begin(), more.end());
            return l;
          },
          py::return_value_policy::reference_internal)
      .def(
          "append",
          [](List& l, py::object x) { Traits::items(l).push_back(Traits::from_python(x)); },
          py::arg("item"))
      .def(
          "extend",
          [](List& l, py::object items) {
            auto more = items_from_python<List>(items);
            auto& v = Traits::items(l);
            v.insert(v.end(), more.begin(), more.end());
          },
          py::arg("items"))
      .def(
          "insert",
          [](List& l, ptrdiff_t i, py::object x) {
            auto& v = Traits::items(l);
            const auto size = static_cast<ptrdiff_t>(v.size());
            if (i < 0) i = std::max<ptrdiff_t>(0, i + size);  // clamped, like list.insert
            v.insert(v.begin() + std::min(i, size), Traits::from_python(x));
          },
          py::arg("index"), py::arg("item"))
      .def(
          "pop",
          [](List& l, ptrdiff_t i) {
            auto& v = Traits::items(l);
            if (v.empty()) throw py::index_error("pop from empty list");
            auto at = v.begin() + static_cast<ptrdiff_t>(checked_index(i, v.size()));
            py::object item = Traits::to_python(*at);
            v.erase(at);
            return item;
          },
          py::arg("index") = -1)
      .def(
          "remove",
          [](List& l, py::object x) {
            auto& v = Traits::items(l);
            v.erase(v.begin() + index_of<List>(l, x));
          },
          py::arg("item"))
      .def(
          "index", [](List& l, py::object x) { return index_of<List>(l, x); }, py::arg("item"))
      .def(
          "count",
          [](List& l, py::object x) {
            auto item = as_item<List>(x);
            if (!item) return size_t{0};
            const auto& v = ListTraits<List>::items(l);
            return static_cast<size_t>(std::count_if(v.begin(), v.end(), [&](const auto& y) {
              return ListTraits<List>::equal(y, *item);
            }));
          },
          py::arg("item"))
      .def("clear", [](List& l) { Traits::items(l).clear(); })
      .def("reverse",
           [](List& l) {
             auto& v = Traits::items(l);
             std::reverse(v.begin(), v.end());
           })
      .def(
          "sort",
          [](List& l, py::object key, bool reverse) {
            py::list copy = to_list(l);
            copy.attr("sort")(py::arg("key") = key, py::arg("reverse") = reverse);
            store(l, copy);
          },
          py::kw_only(), py::arg("key") = py::none(), py::arg("reverse") = false);
}

py::object map_get(AttributeMap& m, const std::string& key) {
  auto it = m.find(key);
  if (it == m.end()) throw py::key_error(key);
  return value_to_python(it->second);
}

void bind_attribute_map(py::module_& m) {
  py::class_<AttributeMap>(m, "AttributeMap",
                           "A block's attributes: a mutable mapping of names to values.")
      .def("__len__", [](AttributeMap& a) { return a.size(); })
      .def("__getitem__", &map_get)
      .def("__setitem__",
           [](AttributeMap& a, const std::string& key, const Value& value) { a[key] = value; })
      .def("__delitem__",
           [](AttributeMap& a, const std::string& key) {
             if (a.erase(key) == 0) throw py::key_error(key);
           })
      .def("__iter__",
           [](AttributeMap& a) {
             py::list keys;
             for (const auto& [k, v] : a) keys.append(py::str(k));
             return py::iter(keys);
           })
      .def("__contains__",
           [](AttributeMap& a, py::object key) {
             return PyUnicode_Check(key.ptr()) && a.count(key.cast<std::string>()) > 0;
           })
      .def("keys",
           [](AttributeMap& a) {
             py::list out;
             for (const auto& [k, v] : a) out.append(py::str(k));
             return out;
           })
      .def("values",
           [](AttributeMap& a) {
             py::list out;
             for (const auto& [k, v] : a) out.append(value_to_python(v));
             return out;
           })
      .def("items",
           [](AttributeMap& a) {
             py::list out;
             for (const auto& [k, v] : a) out.append(py::make_tuple(k, value_to_python(v)));
             return out;
           })
      .def(
          "get",
          [](AttributeMap& a, const std::string& key, py::object fallback) {
            auto it = a.find(key);
            return it == a.end() ? fallback : value_to_python(it->second);
          },
          py::arg("key"), py::arg("default") = py::none())
      .def(
          "pop",
          [](AttributeMap& a, const std::string& key, py::args fallback) {
            auto it = a.find(key);
            if (it == a.end()) {
              if (fallback.empty()) throw py::key_error(key);
              return py::object(fallback[0]);
            }
            py::object out = value_to_python(it->second);
            a.erase(it);
            return out;
          },
          py::arg("key"))
      .def(
          "update",
          [](AttributeMap& a, py::object other) {
            for (auto& [k, v] : attributes_from_python(other)) a[k] = std::move(v);
          },
          py::arg("other"))
      .def("clear", [](AttributeMap& a) { a.clear(); })
      .def("__eq__",
           [](AttributeMap& a, py::object other) -> py::object {
             if (!py::hasattr(other, "keys")) return not_implemented();
             try {
               return py::bool_(a == attributes_from_python(other));
             } catch (const py::type_error&) {
               return py::bool_(false);
             }
           })
      .def("__repr__", [](AttributeMap& a) {
        py::dict out;
        for (const auto& [k, v] : a) out[py::str(k)] = value_to_python(v);
        return py::repr(out);
      });
}

}  // namespace

void bind_containers(py::module_& m) {
  bind_list<std::vector<std::string>>(m, "IdList", "A mutable list of ids.");
  bind_list<std::vector<std::vector<std::string>>>(
      m, "RowList", "The rows of a table rule; each row reads as a tuple of cells.");
  bind_list<SharedList<AttributeDecl>>(m, "AttributeDeclList", "A mutable list of AttributeDecl.");
  bind_list<SharedList<OptionValue>>(m, "OptionValueList", "A mutable list of OptionValue.");
  bind_list<SharedList<PyOption>>(m, "OptionList", "A mutable list of Option.");
  bind_list<SharedList<Block>>(m, "BlockList", "A mutable list of Block.");
  bind_list<SharedList<Slot>>(m, "SlotList", "A mutable list of Slot.");
  bind_list<SharedList<PyAssembly>>(m, "AssemblyList", "A mutable list of Assembly.");
  bind_list<SharedList<Product>>(m, "ProductList", "A mutable list of Product.");
  bind_list<SharedList<Service>>(m, "ServiceList", "A mutable list of Service.");
  bind_list<SharedList<Bundle>>(m, "BundleList", "A mutable list of Bundle.");
  bind_list<SharedList<Tier>>(m, "TierList", "A mutable list of Tier.");
  bind_list<SharedList<Measure>>(m, "MeasureList", "A mutable list of Measure.");
  bind_list<SharedList<Rule>>(m, "RuleList", "A mutable list of Rule.");
  bind_attribute_map(m);
}

}  // namespace sumisura::python
