// The catalog value types as Python classes: keyword constructors, properties, ==, repr, copies.
#include <pybind11/stl/filesystem.h>

#include <tuple>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "containers.hpp"

namespace sumisura::python {
namespace {

using Ids = std::vector<std::string>;
using Rows = std::vector<std::vector<std::string>>;

py::object not_implemented() {
  return py::reinterpret_borrow<py::object>(Py_NotImplemented);
}

// `Block(id='sole', price=Decimal('45'))`: the first field, then the fields that differ from a
// default-constructed object, so that reprs stay short and read like constructor calls.
std::string fields_repr(py::object self, py::object defaults,
                        const std::vector<std::string>& fields) {
  std::string out = type_name(self.get_type()) + "(";
  bool first = true;
  for (const auto& field : fields) {
    py::object value = self.attr(field.c_str());
    if (!first && value.equal(defaults.attr(field.c_str()))) continue;
    out += (first ? "" : ", ") + field + "=" + py::repr(value).cast<std::string>();
    first = false;
  }
  return out + ")";
}

template <typename T>
using Class = py::class_<T, std::shared_ptr<T>>;

// ==, repr and copies for a catalog type. Equality is the engine's: positions never count.
// An empty `repr_fields` leaves __repr__ to the caller (a second def would be an overload).
template <typename T>
void def_value_type(Class<T>& cls, std::vector<std::string> repr_fields) {
  if (!repr_fields.empty()) {
    cls.def("__repr__", [repr_fields](py::object self) {
      return fields_repr(self, py::cast(std::make_shared<T>()), repr_fields);
    });
  }
  cls.def("__eq__",
          [](const T& a, py::object b) -> py::object {
            if (!py::isinstance<T>(b)) return not_implemented();
            return py::bool_(to_engine(a) == to_engine(b.cast<const T&>()));
          })
      .def("__copy__", [](const T& a) { return deep_copy(a); })
      .def(
          "__deepcopy__", [](const T& a, py::handle) { return deep_copy(a); }, py::arg("memo"));
}

void bind_attribute_decl(py::module_& m) {
  Class<AttributeDecl> cls(m, "AttributeDecl",
                           "A declared block attribute: its type, unit and default.");
  cls.def(py::init([](std::string id, AttributeType type, std::string unit,
                      std::optional<Value> default_value) {
            auto a = std::make_shared<AttributeDecl>();
            a->id = std::move(id);
            a->type = type;
            a->unit = std::move(unit);
            a->default_value = std::move(default_value);
            return a;
          }),
          py::arg("id"), py::kw_only(), py::arg("type") = AttributeType::number,
          py::arg("unit") = "", py::arg("default_value") = py::none())
      .def_readwrite("id", &AttributeDecl::id)
      .def_readwrite("type", &AttributeDecl::type)
      .def_readwrite("unit", &AttributeDecl::unit, "For display only ('g', 'days').")
      .def_readwrite("default_value", &AttributeDecl::default_value,
                     "Used for blocks without the attribute and for empty slots; None: 0, '', "
                     "False or [] by type.")
      .def_readwrite("where", &AttributeDecl::where);
  def_value_type(cls, {"id", "type", "unit", "default_value"});
}

void bind_option_value(py::module_& m) {
  Class<OptionValue> cls(m, "OptionValue", "One value of an option, with its label and surcharge.");
  cls.def(py::init([](Value value, std::string label, Decimal price) {
            auto v = std::make_shared<OptionValue>();
            v->value = std::move(value);
            v->label = std::move(label);
            v->price = price;
            return v;
          }),
          py::arg("value"), py::kw_only(), py::arg("label") = "", py::arg("price") = Decimal())
      .def_readwrite("value", &OptionValue::value,
                     "str for enumerations, int for integer options, bool for booleans.")
      .def_readwrite("label", &OptionValue::label, "Display label; '' shows the value.")
      .def_readwrite("price", &OptionValue::price, "Surcharge when this value is chosen.")
      .def_readwrite("where", &OptionValue::where);
  def_value_type(cls, {"value", "label", "price"});
}

// Option factories build options exactly as the YAML reader does (engine/src/io/yaml_reader.cpp).
std::shared_ptr<PyOption> new_option(std::string id, std::string label, std::string description,
                                     OptionKind kind, std::optional<Value> default_value) {
  auto o = std::make_shared<PyOption>();
  o->id = std::move(id);
  o->label = std::move(label);
  o->description = std::move(description);
  o->kind = kind;
  o->default_value = std::move(default_value);
  return o;
}

// An enumeration's values are names: the reader turns numbers and booleans written in its
// `values` into their text.
Value as_name(Value v) {
  if (v.is_list()) throw_usage("an enumeration value is a single name, not a list");
  return v.is_string() ? v : Value::string(v.to_string());
}

std::shared_ptr<PyOption> enumeration(std::string id, py::object values, std::string label,
                                      std::string description, std::optional<Value> default_value) {
  if (default_value && default_value->is_number()) default_value = as_name(*default_value);
  auto o = new_option(std::move(id), std::move(label), std::move(description),
                      OptionKind::enumeration, std::move(default_value));
  if (PyUnicode_Check(values.ptr()))
    throw py::type_error("values: expected a list of names, not a str");
  for (py::handle item : py::iter(values)) {
    auto v = std::make_shared<OptionValue>();
    if (py::isinstance<OptionValue>(item)) {
      *v = item.cast<const OptionValue&>();  // a copy: the factory never shares its input
    } else if (auto value = value_from_python(item)) {
      v->value = std::move(*value);
    } else {
      throw py::type_error("values: expected names or OptionValue, not " +
                           type_name(item.get_type()));
    }
    v->value = as_name(std::move(v->value));
    o->shared_values.items.push_back(std::move(v));
  }
  return o;
}

std::shared_ptr<PyOption> integer_range(std::string id, int64_t lowest, int64_t highest,
                                        std::string label, std::string description,
                                        std::optional<Value> default_value) {
  constexpr int64_t kMaxRange = 100000;  // as the YAML reader: options are finite choices
  if (highest < lowest) {
    throw_usage("empty range [" + std::to_string(lowest) + ", " + std::to_string(highest) +
                "] for option '" + id + "': the first bound must not exceed the second");
  }
  if (highest - lowest >= kMaxRange) {
    throw_usage("range of option '" + id + "' has more than 100000 values; narrow it");
  }
  auto o = new_option(std::move(id), std::move(label), std::move(description), OptionKind::integer,
                      std::move(default_value));
  o->range_min = lowest;
  o->range_max = highest;
  for (int64_t x = lowest; x <= highest; ++x) {
    auto v = std::make_shared<OptionValue>();
    v->value = Value::integer(x);
    o->shared_values.items.push_back(std::move(v));
  }
  return o;
}

std::shared_ptr<PyOption> boolean(std::string id, Decimal price, std::string label,
                                  std::string description, std::optional<Value> default_value,
                                  std::string parent, bool mandatory) {
  auto o = new_option(std::move(id), std::move(label), std::move(description), OptionKind::boolean,
                      std::move(default_value));
  o->parent = std::move(parent);
  o->mandatory = mandatory;
  auto no = std::make_shared<OptionValue>();
  no->value = Value::boolean(false);
  auto yes = std::make_shared<OptionValue>();
  yes->value = Value::boolean(true);
  yes->price = price;  // the surcharge when true
  o->shared_values.items = {no, yes};
  return o;
}

void bind_option(py::module_& m) {
  Class<PyOption> cls(m, "Option",
                      "A product-level choice with a finite domain. Option.enumeration, "
                      "Option.integer_range and Option.boolean build one as the YAML reader does.");
  cls.def(py::init([](std::string id, std::string label, std::string description, OptionKind kind,
                      py::object values, std::optional<int64_t> range_min,
                      std::optional<int64_t> range_max, std::optional<Value> default_value,
                      std::string parent, bool mandatory) {
            auto o = new_option(std::move(id), std::move(label), std::move(description), kind,
                                std::move(default_value));
            o->shared_values.items = items_from_python<SharedList<OptionValue>>(values);
            o->range_min = range_min;
            o->range_max = range_max;
            o->parent = std::move(parent);
            o->mandatory = mandatory;
            return o;
          }),
          py::arg("id"), py::kw_only(), py::arg("label") = "", py::arg("description") = "",
          py::arg("kind") = OptionKind::enumeration, py::arg("values") = py::tuple(),
          py::arg("range_min") = py::none(), py::arg("range_max") = py::none(),
          py::arg("default_value") = py::none(), py::arg("parent") = "",
          py::arg("mandatory") = false)
      .def_static("enumeration", &enumeration, py::arg("id"), py::arg("values"), py::kw_only(),
                  py::arg("label") = "", py::arg("description") = "",
                  py::arg("default_value") = py::none(),
                  "An option whose values are names (str, or OptionValue for a label or price). "
                  "Numbers become their text, as `type: enumeration` does in YAML.")
      .def_static("integer_range", &integer_range, py::arg("id"), py::arg("lowest"),
                  py::arg("highest"), py::kw_only(), py::arg("label") = "",
                  py::arg("description") = "", py::arg("default_value") = py::none(),
                  "An integer option holding every whole number from lowest to highest, as "
                  "`range: [lowest, highest]` in YAML.")
      .def_static("boolean", &boolean, py::arg("id"), py::kw_only(), py::arg("price") = Decimal(),
                  py::arg("label") = "", py::arg("description") = "",
                  py::arg("default_value") = py::none(), py::arg("parent") = "",
                  py::arg("mandatory") = false,
                  "A false/true option; `price` is the surcharge when true. `parent` and "
                  "`mandatory` place it in a feature tree.")
      .def_readwrite("id", &Option::id)
      .def_readwrite("label", &Option::label)
      .def_readwrite("description", &Option::description)
      .def_readwrite("kind", &Option::kind);
  def_list(cls, "values", &PyOption::shared_values,
           "Every value in display order; booleans hold False then True.");
  cls.def_readwrite("range_min", &Option::range_min,
                    "Lowest value when the option was written as a range, else None.")
      .def_readwrite("range_max", &Option::range_max,
                     "Highest value when the option was written as a range, else None.")
      .def_readwrite("default_value", &Option::default_value,
                     "The value shown before the customer chooses, or None.")
      .def_readwrite("parent", &Option::parent,
                     "Feature models: the boolean option this one refines ('' for none). "
                     "Descriptive: the rules state what must hold.")
      .def_readwrite("mandatory", &Option::mandatory,
                     "Feature models: whether the feature tree declares this child of `parent` "
                     "mandatory (analyze() reports optional children that every product with "
                     "their parent has as false-optional).")
      .def_readwrite("where", &Option::where);
  def_value_type(cls, {});
  // A range's values follow from its bounds; listing them all would drown the repr.
  cls.def("__repr__", [](py::object self) {
    const auto& o = self.cast<const PyOption&>();
    std::vector<std::string> fields = {"id", "label", "description", "kind"};
    if (o.range_min && o.range_max) {
      fields.insert(fields.end(), {"range_min", "range_max"});
    } else {
      fields.push_back("values");
    }
    fields.insert(fields.end(), {"default_value", "parent", "mandatory"});
    return fields_repr(self, py::cast(std::make_shared<PyOption>()), fields);
  });
}

void bind_block(py::module_& m) {
  Class<Block> cls(m, "Block",
                   "A prebuilt module (a sole, a collar), with its price and attributes.");
  cls.def(py::init([](std::string id, std::string label, std::string description, Decimal price,
                      py::object attributes, py::object requires_blocks,
                      py::object excludes_blocks) {
            auto b = std::make_shared<Block>();
            b->id = std::move(id);
            b->label = std::move(label);
            b->description = std::move(description);
            b->price = price;
            if (!attributes.is_none()) b->attributes = attributes_from_python(attributes);
            b->requires_blocks = items_from_python<Ids>(requires_blocks);
            b->excludes_blocks = items_from_python<Ids>(excludes_blocks);
            return b;
          }),
          py::arg("id"), py::kw_only(), py::arg("label") = "", py::arg("description") = "",
          py::arg("price") = Decimal(), py::arg("attributes") = py::none(),
          py::arg("requires_blocks") = py::tuple(), py::arg("excludes_blocks") = py::tuple())
      .def_readwrite("id", &Block::id)
      .def_readwrite("label", &Block::label)
      .def_readwrite("description", &Block::description)
      .def_readwrite("price", &Block::price);
  def_attribute_map(cls, "attributes", &Block::attributes,
                    "Attribute values: bool, number, str, or a list for sets.");
  def_list(cls, "requires_blocks", &Block::requires_blocks,
           "Blocks that must also be in the product (YAML `requires`); assembled first.");
  def_list(cls, "excludes_blocks", &Block::excludes_blocks,
           "Blocks that cannot be in the product with this one (YAML `excludes`).");
  cls.def_readwrite("where", &Block::where);
  def_value_type(cls, {"id", "label", "description", "price", "attributes", "requires_blocks",
                       "excludes_blocks"});
}

// A slot's size written as YAML writes it: a count (`1`, "2") or a range ("0..3"), read exactly as
// the YAML reader reads `cardinality` (engine/src/io/yaml_reader.cpp).
/// A cardinality from Python: a count (1), YAML's text ("0..3", "0, 2"), or a list of counts and
/// ranges ([0, 2], [0, "2..4"]). Returns the slot's min, max and counts.
Slot parse_cardinality(py::handle value, const std::string& slot) {
  std::string text;
  auto item_text = [&](py::handle item) {
    if (PyLong_Check(item.ptr()) && !PyBool_Check(item.ptr()))
      return py::str(item).cast<std::string>();
    if (PyUnicode_Check(item.ptr())) return item.cast<std::string>();
    throw py::type_error("slot '" + slot +
                         "': cardinality is a count such as 1, a range such as '0..3' or a list "
                         "of counts such as [0, 2], not " +
                         type_name(item.get_type()));
  };
  if (PyList_Check(value.ptr()) || PyTuple_Check(value.ptr())) {
    for (py::handle item : value) text += (text.empty() ? "" : ", ") + item_text(item);
  } else {
    text = item_text(value);
  }
  Slot s;
  if (!sumisura::parse_cardinality(text, s)) {
    throw_usage("slot '" + slot +
                "': cardinality must be a count such as 1, a range such as 0..1 or 1..3, or the "
                "counts allowed such as [0, 2], not '" +
                text + "'");
  }
  return s;
}

/// A slot's default from Python: None (no default), 'none' or [] (empty), a block id, or ids.
std::optional<std::vector<std::string>> slot_default_from(py::handle value) {
  if (value.is_none()) return std::nullopt;
  std::vector<std::string> ids;
  if (py::isinstance<py::str>(value))
    ids.push_back(value.cast<std::string>());
  else
    ids = items_from_python<Ids>(value);
  if (ids == std::vector<std::string>{"none"}) ids.clear();
  return ids;
}

void bind_slot(py::module_& m) {
  Class<Slot> cls(m, "Slot",
                  "Where blocks go in a product, and how many it holds: `cardinality` as in YAML "
                  "(1, '0..1', '1..3'), or `min` and `max`.");
  cls.def(py::init([](std::string id, std::string label, py::object cardinality,
                      std::optional<int> min, std::optional<int> max, bool repeat,
                      py::object blocks, py::object default_blocks, std::string assembly) {
            auto s = std::make_shared<Slot>();
            s->assembly = std::move(assembly);
            s->id = std::move(id);
            s->label = std::move(label);
            s->min = min.value_or(1);
            s->max = max.value_or(1);
            if (!cardinality.is_none()) {
              Slot parsed = parse_cardinality(cardinality, s->id);
              int low = parsed.min, high = parsed.max;
              // min/max beside a cardinality may only repeat what it says.
              if ((min && *min != low) || (max && *max != high)) {
                std::string given;
                if (min) given += "min=" + std::to_string(*min);
                if (max) given += (given.empty() ? "" : ", ") + ("max=" + std::to_string(*max));
                throw_usage("slot '" + s->id +
                            "': cardinality=" + py::repr(cardinality).cast<std::string>() +
                            " means min=" + std::to_string(low) + ", max=" + std::to_string(high) +
                            ", which disagrees with " + given +
                            "; give either cardinality or min and max");
              }
              s->min = low;
              s->max = high;
              s->counts = parsed.counts;
            }
            s->repeat = repeat;
            s->blocks = items_from_python<Ids>(blocks);
            s->default_blocks = slot_default_from(default_blocks);
            return s;
          }),
          py::arg("id"), py::kw_only(), py::arg("label") = "", py::arg("cardinality") = py::none(),
          py::arg("min") = py::none(), py::arg("max") = py::none(), py::arg("repeat") = false,
          py::arg("blocks") = py::tuple(), py::arg("default_blocks") = py::none(),
          py::arg("assembly") = "")
      .def_readwrite("id", &Slot::id)
      .def_readwrite("label", &Slot::label)
      .def_property(
          "cardinality", [](const Slot& s) { return cardinality_text(s); },
          [](Slot& s, py::handle value) {
            Slot parsed = parse_cardinality(value, s.id);
            s.min = parsed.min;
            s.max = parsed.max;
            s.counts = parsed.counts;
          },
          "How many blocks the slot holds, as YAML writes it: '1', '0..1', '1..3', or the counts "
          "allowed, '0, 2'. Set it to a count, a range or a list of counts ([0, 2]); it sets min, "
          "max and counts.")
      .def_readwrite("min", &Slot::min, "Fewest blocks the slot holds.")
      .def_readwrite("max", &Slot::max, "Most blocks the slot holds.")
      .def_readwrite("counts", &Slot::counts,
                     "The counts the slot may hold when not every one from min to max is "
                     "allowed ([0, 2]: never 1); empty: all of them.")
      .def_readwrite("repeat", &Slot::repeat, "Whether a block may fill the slot several times.")
      .def_property(
          "default_blocks", [](const Slot& s) { return s.default_blocks; },
          [](Slot& s, py::handle value) { s.default_blocks = slot_default_from(value); },
          "What the slot holds when nothing else decides (YAML `default`): a list of block ids, "
          "once per block held; [] for an empty slot; None for no default.");
  def_list(cls, "blocks", &Slot::blocks, "The blocks that may fill the slot.");
  cls.def_readwrite("assembly", &Slot::assembly,
                    "The assembly whose instances the slot holds ('' for blocks); the "
                    "cardinality says how many instances.");
  cls.def_readwrite("where", &Slot::where);
  // The repr speaks YAML: Slot(id='laces', cardinality='0..3', repeat=True).
  def_value_type(cls,
                 {"id", "label", "cardinality", "repeat", "blocks", "default_blocks", "assembly"});
}

void bind_product(py::module_& m) {
  Class<Product> cls(m, "Product", "A product family: its options, slots and base price.");
  cls.def(py::init([](std::string id, std::string label, std::string description,
                      Decimal base_price, py::object options, py::object slots) {
            auto p = std::make_shared<Product>();
            p->id = std::move(id);
            p->label = std::move(label);
            p->description = std::move(description);
            p->base_price = base_price;
            p->options = items_from_python<Ids>(options);
            p->slots = items_from_python<Ids>(slots);
            return p;
          }),
          py::arg("id"), py::kw_only(), py::arg("label") = "", py::arg("description") = "",
          py::arg("base_price") = Decimal(), py::arg("options") = py::tuple(),
          py::arg("slots") = py::tuple())
      .def_readwrite("id", &Product::id)
      .def_readwrite("label", &Product::label)
      .def_readwrite("description", &Product::description)
      .def_readwrite("base_price", &Product::base_price);
  def_list(cls, "options", &Product::options, "The product's options; empty: every option.");
  def_list(cls, "slots", &Product::slots, "The product's slots; empty: every slot.");
  cls.def_readwrite("where", &Product::where);
  def_value_type(cls, {"id", "label", "description", "base_price", "options", "slots"});
}

void bind_price_spec(py::module_& m) {
  Class<PriceSpec> cls(m, "PriceSpec",
                       "A service's price: a fixed amount, a percentage of other prices, or both. "
                       "A plain number converts to PriceSpec(amount).");
  cls.def(py::init([](Decimal amount, Decimal percent, std::string of) {
            auto p = std::make_shared<PriceSpec>();
            p->amount = amount;
            p->percent = percent;
            // As in YAML: a percentage of nothing named is a percentage of the product.
            p->of = of.empty() && percent != Decimal() ? "product" : std::move(of);
            return p;
          }),
          py::arg("amount") = Decimal(), py::kw_only(), py::arg("percent") = Decimal(),
          py::arg("of") = "")
      .def_readwrite("amount", &PriceSpec::amount, "Fixed part.")
      .def_readwrite("percent", &PriceSpec::percent, "Percentage part (10 means 10%).")
      .def_readwrite("of", &PriceSpec::of,
                     "What the percentage is of: 'product', 'blocks', 'base' or a slot id.");
  def_value_type(cls, {"amount", "percent", "of"});
  py::implicitly_convertible<Decimal, PriceSpec>();
}

void bind_service(py::module_& m) {
  Class<Service> cls(m, "Service", "An add-on sold with a product: engraving, warranty, fitting.");
  cls.def(py::init([](std::string id, std::string label, std::string description,
                      const PriceSpec& price, std::string offered_when) {
            auto s = std::make_shared<Service>();
            s->id = std::move(id);
            s->label = std::move(label);
            s->description = std::move(description);
            s->price = price;
            s->offered_when = std::move(offered_when);
            return s;
          }),
          py::arg("id"), py::kw_only(), py::arg("label") = "", py::arg("description") = "",
          py::arg("price") = PriceSpec(), py::arg("offered_when") = "")
      .def_readwrite("id", &Service::id)
      .def_readwrite("label", &Service::label)
      .def_readwrite("description", &Service::description)
      .def_readwrite("price", &Service::price)
      .def_readwrite("offered_when", &Service::offered_when,
                     "Condition under which the service is offered; '' always.")
      .def_readwrite("where", &Service::where)
      .def_readwrite("offered_when_where", &Service::offered_when_where);
  def_value_type(cls, {"id", "label", "description", "price", "offered_when"});
}

void bind_bundle(py::module_& m) {
  Class<Bundle> cls(m, "Bundle", "Items sold together for less, when all are in the product.");
  cls.def(py::init([](std::string id, std::string label, py::object items, Decimal discount_amount,
                      Decimal discount_percent) {
            auto b = std::make_shared<Bundle>();
            b->id = std::move(id);
            b->label = std::move(label);
            b->items = items_from_python<Ids>(items);
            b->discount_amount = discount_amount;
            b->discount_percent = discount_percent;
            return b;
          }),
          py::arg("id"), py::kw_only(), py::arg("label") = "", py::arg("items") = py::tuple(),
          py::arg("discount_amount") = Decimal(), py::arg("discount_percent") = Decimal())
      .def_readwrite("id", &Bundle::id)
      .def_readwrite("label", &Bundle::label);
  def_list(cls, "items", &Bundle::items, "Ids of blocks, services or products.");
  cls.def_readwrite("discount_amount", &Bundle::discount_amount, "Fixed discount.")
      .def_readwrite("discount_percent", &Bundle::discount_percent,
                     "Discount in percent of the items' prices.")
      .def_readwrite("where", &Bundle::where);
  def_value_type(cls, {"id", "label", "items", "discount_amount", "discount_percent"});
}

void bind_tier(py::module_& m) {
  Class<Tier> cls(m, "Tier", "A customer tier with its own discount on the total.");
  cls.def(py::init([](std::string id, std::string label, Decimal discount_percent,
                      std::optional<Decimal> lifetime_value) {
            auto t = std::make_shared<Tier>();
            t->id = std::move(id);
            t->label = std::move(label);
            t->discount_percent = discount_percent;
            t->lifetime_value = lifetime_value;
            return t;
          }),
          py::arg("id"), py::kw_only(), py::arg("label") = "",
          py::arg("discount_percent") = Decimal(), py::arg("lifetime_value") = py::none())
      .def_readwrite("id", &Tier::id)
      .def_readwrite("label", &Tier::label)
      .def_readwrite("discount_percent", &Tier::discount_percent)
      .def_readwrite("lifetime_value", &Tier::lifetime_value,
                     "Past orders adding up to this much earn the tier (None: by name only).")
      .def_readwrite("where", &Tier::where);
  def_value_type(cls, {"id", "label", "discount_percent", "lifetime_value"});
}

void bind_measure(py::module_& m) {
  Class<Measure> cls(m, "Measure", "A named quantity customers can bound, such as max(lead_days).");
  cls.def(py::init([](std::string id, std::string label, std::string unit, std::string expression) {
            auto x = std::make_shared<Measure>();
            x->id = std::move(id);
            x->label = std::move(label);
            x->unit = std::move(unit);
            x->expression = std::move(expression);
            return x;
          }),
          py::arg("id"), py::kw_only(), py::arg("label") = "", py::arg("unit") = "",
          py::arg("expression") = "")
      .def_readwrite("id", &Measure::id)
      .def_readwrite("label", &Measure::label)
      .def_readwrite("unit", &Measure::unit)
      .def_readwrite("expression", &Measure::expression)
      .def_readwrite("where", &Measure::where)
      .def_readwrite("expression_where", &Measure::expression_where);
  def_value_type(cls, {"id", "label", "unit", "expression"});
}

void bind_rule(py::module_& m) {
  Class<Rule> cls(m, "Rule",
                  "A constraint: require or forbid `expression` (when `when` holds), or a table "
                  "of allowed (rows_allowed) or forbidden rows over `columns`.");
  cls.def(py::init([](std::string id, std::string message, RuleKind kind, std::string when,
                      std::string expression, py::object columns, py::object rows,
                      bool rows_allowed, py::object products, std::string scope, bool generated) {
            auto r = std::make_shared<Rule>();
            r->scope = std::move(scope);
            r->generated = generated;
            r->id = std::move(id);
            r->message = std::move(message);
            r->kind = kind;
            r->when = std::move(when);
            r->expression = std::move(expression);
            r->columns = items_from_python<Ids>(columns);
            r->rows = items_from_python<Rows>(rows);
            r->rows_allowed = rows_allowed;
            r->products = items_from_python<Ids>(products);
            return r;
          }),
          py::arg("id"), py::kw_only(), py::arg("message") = "",
          py::arg("kind") = RuleKind::require, py::arg("when") = "", py::arg("expression") = "",
          py::arg("columns") = py::tuple(), py::arg("rows") = py::tuple(),
          py::arg("rows_allowed") = true, py::arg("products") = py::tuple(), py::arg("scope") = "",
          py::arg("generated") = false)
      .def_readwrite("id", &Rule::id)
      .def_readwrite("message", &Rule::message, "Shown to customers when the rule is in the way.")
      .def_readwrite("kind", &Rule::kind)
      .def_readwrite("when", &Rule::when, "Condition; '' always.")
      .def_readwrite("expression", &Rule::expression, "The condition to require or forbid.");
  def_list(
      cls, "columns", &Rule::columns,
      "Table columns: option or slot ids (a slot of several blocks matches the blocks it holds).");
  def_list(cls, "rows", &Rule::rows,
           "Table rows as written: values, block ids, 'none' or '*'. Each reads as a tuple.");
  cls.def_readwrite("rows_allowed", &Rule::rows_allowed,
                    "True: the rows are the allowed combinations; False: the forbidden ones.");
  def_list(cls, "products", &Rule::products, "Products the rule applies to; empty: all.");
  cls.def_readwrite("scope", &Rule::scope,
                    "The assembly instance the rule belongs to ('hd_units[2]'): its names are "
                    "looked up there first, and it holds while the instance is present. '' for "
                    "a rule of the catalog.")
      .def_readwrite("generated", &Rule::generated,
                     "Written by the engine for assembly instances, not by the designer.");
  cls.def_readwrite("where", &Rule::where)
      .def_readwrite("when_where", &Rule::when_where)
      .def_readwrite("expression_where", &Rule::expression_where);
  def_value_type(cls, {"id", "message", "kind", "when", "expression", "columns", "rows",
                       "rows_allowed", "products", "scope", "generated"});
}

void bind_assembly(py::module_& m) {
  Class<PyAssembly> cls(m, "Assembly",
                        "A sub-assembly: a part with its own options, slots and rules, of which a "
                        "slot with `assembly` holds instances (a PC's hard-disk units).");
  cls.def(py::init([](std::string id, std::string label, std::string description, Decimal price,
                      py::object attributes, py::object options, py::object slots,
                      py::object rules) {
            auto a = std::make_shared<PyAssembly>();
            a->id = std::move(id);
            a->label = std::move(label);
            a->description = std::move(description);
            a->price = price;
            if (!attributes.is_none()) a->attributes = attributes_from_python(attributes);
            a->shared_options.items = items_from_python<SharedList<PyOption>>(options);
            a->shared_slots.items = items_from_python<SharedList<Slot>>(slots);
            a->shared_rules.items = items_from_python<SharedList<Rule>>(rules);
            return a;
          }),
          py::arg("id"), py::kw_only(), py::arg("label") = "", py::arg("description") = "",
          py::arg("price") = Decimal(), py::arg("attributes") = py::none(),
          py::arg("options") = py::tuple(), py::arg("slots") = py::tuple(),
          py::arg("rules") = py::tuple())
      .def_readwrite("id", &Assembly::id)
      .def_readwrite("label", &Assembly::label)
      .def_readwrite("description", &Assembly::description)
      .def_readwrite("price", &Assembly::price, "The price of each instance.");
  def_attribute_map(cls, "attributes", &Assembly::attributes,
                    "Attribute values of each instance, as a block's.");
  def_list(cls, "options", &PyAssembly::shared_options, "Each instance's own choices.");
  def_list(cls, "slots", &PyAssembly::shared_slots,
           "Each instance's parts (a slot may hold instances of another assembly).");
  def_list(cls, "rules", &PyAssembly::shared_rules,
           "Rules over the instance's own names; they hold in every instance.");
  cls.def_readwrite("where", &Assembly::where);
  def_value_type(
      cls, {"id", "label", "description", "price", "attributes", "options", "slots", "rules"});
}

// Every position of a catalog, in one fixed order: pickling keeps them beside the YAML text.
template <typename F>
void for_each_position(Catalog& c, F&& f) {
  for (auto& a : c.attributes) f(a.where);
  for (auto& o : c.options) {
    f(o.where);
    for (auto& v : o.values) f(v.where);
  }
  for (auto& b : c.blocks) f(b.where);
  for (auto& s : c.slots) f(s.where);
  for (auto& p : c.products) f(p.where);
  for (auto& s : c.services) {
    f(s.where);
    f(s.offered_when_where);
  }
  for (auto& b : c.bundles) f(b.where);
  for (auto& t : c.tiers) f(t.where);
  for (auto& x : c.measures) {
    f(x.where);
    f(x.expression_where);
  }
  for (auto& r : c.rules) {
    f(r.where);
    f(r.when_where);
    f(r.expression_where);
  }
  for (auto& a : c.assemblies) {
    f(a.where);
    for (auto& o : a.options) {
      f(o.where);
      for (auto& v : o.values) f(v.where);
    }
    for (auto& s : a.slots) f(s.where);
    for (auto& r : a.rules) {
      f(r.where);
      f(r.when_where);
      f(r.expression_where);
    }
  }
}

// The first item that reads back differently, to say why a catalog cannot be pickled.
template <typename T>
std::string first_difference(std::string section, const std::vector<T>& a,
                             const std::vector<T>& b) {
  for (size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    if (!(a[i] == b[i])) return section.substr(0, section.size() - 1) + " '" + a[i].id + "'";
  }
  return a.size() == b.size() ? "" : "the number of " + section;
}

std::string first_difference(const Catalog& a, const Catalog& b) {
  for (const auto& d :
       {first_difference("attributes", a.attributes, b.attributes),
        first_difference("options", a.options, b.options),
        first_difference("blocks", a.blocks, b.blocks), first_difference("slots", a.slots, b.slots),
        first_difference("assemblies", a.assemblies, b.assemblies),
        first_difference("products", a.products, b.products),
        first_difference("services", a.services, b.services),
        first_difference("bundles", a.bundles, b.bundles),
        first_difference("tiers", a.tiers, b.tiers),
        first_difference("measures", a.measures, b.measures),
        first_difference("rules", a.rules, b.rules)}) {
    if (!d.empty()) return d;
  }
  return "the catalog's name, version, currency or description";
}

// Pickled as its YAML text (compact, and read by the engine's own reader), the source and the
// positions. The text is read back before pickling, so that a catalog YAML cannot express (an item
// without an id, a measure without an expression) fails here, in the sending process, and never
// turns into a different catalog in the receiving one.
py::tuple catalog_state(const PyCatalog& c) {
  Catalog engine = to_engine(c);
  std::string yaml;
  {
    py::gil_scoped_release release;
    yaml = to_yaml(engine);
    Catalog back;
    try {
      back = parse_catalog(yaml);
    } catch (const Error& e) {
      throw Error(ErrorKind::usage, std::string("cannot pickle this catalog: its YAML cannot be "
                                                "read back (") +
                                        e.what() + "); validate() tells why");
    }
    if (!(back == engine)) {
      throw Error(ErrorKind::usage,
                  "cannot pickle this catalog: " + first_difference(engine, back) +
                      " reads back differently from YAML; validate() tells why");
    }
  }
  py::list positions;
  for_each_position(engine, [&](const Position& p) {
    positions.append(p.line);
    positions.append(p.column);
  });
  return py::make_tuple(yaml, c.source, positions);
}

std::shared_ptr<PyCatalog> catalog_from_state(py::tuple state) {
  if (state.size() != 3) throw_usage("not a pickled sumisura.Catalog");
  Catalog engine = parse_catalog(state[0].cast<std::string>(), ModelFormat::yaml, "<pickle>");
  engine.source = state[1].cast<std::string>();
  auto positions = state[2].cast<std::vector<int>>();
  size_t count = 0;
  for_each_position(engine, [&](const Position&) { ++count; });
  if (positions.size() == 2 * count) {
    size_t i = 0;
    for_each_position(engine, [&](Position& p) {
      p.line = positions[i++];
      p.column = positions[i++];
    });
  }
  return from_engine(std::move(engine));
}

void bind_catalog(py::module_& m) {
  Class<PyCatalog> cls(m, "Catalog",
                       "Everything a shop sells and the rules that bind it. Lists are live: "
                       "catalog.options.append(...) edits the catalog.");
  cls.def(py::init([](std::string name, std::string version, std::string currency,
                      std::string description, std::string source, py::object attributes,
                      py::object options, py::object blocks, py::object slots, py::object products,
                      py::object services, py::object bundles, py::object tiers,
                      py::object measures, py::object rules, py::object assemblies) {
            auto c = std::make_shared<PyCatalog>();
            c->name = std::move(name);
            c->version = std::move(version);
            c->currency = std::move(currency);
            c->description = std::move(description);
            c->source = std::move(source);
            c->attributes.items = items_from_python<SharedList<AttributeDecl>>(attributes);
            c->options.items = items_from_python<SharedList<PyOption>>(options);
            c->blocks.items = items_from_python<SharedList<Block>>(blocks);
            c->slots.items = items_from_python<SharedList<Slot>>(slots);
            c->products.items = items_from_python<SharedList<Product>>(products);
            c->services.items = items_from_python<SharedList<Service>>(services);
            c->bundles.items = items_from_python<SharedList<Bundle>>(bundles);
            c->tiers.items = items_from_python<SharedList<Tier>>(tiers);
            c->measures.items = items_from_python<SharedList<Measure>>(measures);
            c->rules.items = items_from_python<SharedList<Rule>>(rules);
            c->assemblies.items = items_from_python<SharedList<PyAssembly>>(assemblies);
            return c;
          }),
          py::arg("name") = "", py::kw_only(), py::arg("version") = "", py::arg("currency") = "EUR",
          py::arg("description") = "", py::arg("source") = "", py::arg("attributes") = py::tuple(),
          py::arg("options") = py::tuple(), py::arg("blocks") = py::tuple(),
          py::arg("slots") = py::tuple(), py::arg("products") = py::tuple(),
          py::arg("services") = py::tuple(), py::arg("bundles") = py::tuple(),
          py::arg("tiers") = py::tuple(), py::arg("measures") = py::tuple(),
          py::arg("rules") = py::tuple(), py::arg("assemblies") = py::tuple())
      .def_readwrite("name", &PyCatalog::name)
      .def_readwrite("version", &PyCatalog::version)
      .def_readwrite("currency", &PyCatalog::currency, "ISO 4217 code; prices are in it.")
      .def_readwrite("description", &PyCatalog::description)
      .def_readwrite("source", &PyCatalog::source,
                     "The file the catalog was read from ('' when built in code).");
  def_list(cls, "attributes", &PyCatalog::attributes, "Declared block attributes.");
  def_list(cls, "options", &PyCatalog::options, "Product-level choices.");
  def_list(cls, "blocks", &PyCatalog::blocks, "Prebuilt modules.");
  def_list(cls, "slots", &PyCatalog::slots, "Where blocks go.");
  def_list(cls, "assemblies", &PyCatalog::assemblies,
           "Sub-assemblies, whose instances slots with `assembly` hold.");
  def_list(cls, "products", &PyCatalog::products, "Product families; empty: one product.");
  def_list(cls, "services", &PyCatalog::services, "Add-ons.");
  def_list(cls, "bundles", &PyCatalog::bundles, "Items sold together at a discount.");
  def_list(cls, "tiers", &PyCatalog::tiers, "Customer tiers.");
  def_list(cls, "measures", &PyCatalog::measures, "Named quantities customers can bound.");
  def_list(cls, "rules", &PyCatalog::rules, "Constraints, each with an id and a message.");
  cls.def(
         "to_yaml", [](const PyCatalog& c) { return to_yaml(to_engine(c)); },
         "The catalog in Sumisura's YAML format; parse_catalog() of the text gives an equal "
         "catalog.")
      .def(
          "save",
          [](const PyCatalog& c, const std::filesystem::path& path) {
            Catalog engine = to_engine(c);
            try {
              py::gil_scoped_release release;
              save_catalog(engine, path.string());
            } catch (const Error& e) {
              rethrow_with_file(e, path.string());
            }
          },
          py::arg("path"), "Writes to_yaml() to a file; raises FileError when it cannot.")
      .def(
          "validate",
          [](const PyCatalog& c) {
            Catalog engine = to_engine(c);
            py::gil_scoped_release release;
            return validate(engine);
          },
          "Every problem in the catalog, errors then warnings, as a list of Diagnostic.")
      .def("__eq__",
           [](const PyCatalog& a, py::object b) -> py::object {
             if (!py::isinstance<PyCatalog>(b)) return not_implemented();
             return py::bool_(to_engine(a) == to_engine(b.cast<const PyCatalog&>()));
           })
      .def("__repr__",
           [](const PyCatalog& c) {
             std::string out = "<Catalog " + py::repr(py::str(c.name)).cast<std::string>();
             if (!c.version.empty()) out += " " + c.version;
             std::string counts;
             auto count = [&](size_t n, std::string what) {
               if (n == 1 && what == "assemblies")
                 what = "assembly";
               else if (n == 1)
                 what.pop_back();  // "1 option"
               if (n) counts += (counts.empty() ? ": " : ", ") + std::to_string(n) + " " + what;
             };
             count(c.attributes.items.size(), "attributes");
             count(c.options.items.size(), "options");
             count(c.blocks.items.size(), "blocks");
             count(c.slots.items.size(), "slots");
             count(c.assemblies.items.size(), "assemblies");
             count(c.products.items.size(), "products");
             count(c.services.items.size(), "services");
             count(c.bundles.items.size(), "bundles");
             count(c.tiers.items.size(), "tiers");
             count(c.measures.items.size(), "measures");
             count(c.rules.items.size(), "rules");
             return out + counts + ">";
           })
      .def("__copy__", [](const PyCatalog& c) { return deep_copy(c); })
      .def(
          "__deepcopy__", [](const PyCatalog& c, py::handle) { return deep_copy(c); },
          py::arg("memo"))
      .def(py::pickle(&catalog_state, &catalog_from_state));
}

}  // namespace

void bind_catalog_types(py::module_& m) {
  bind_attribute_decl(m);
  bind_option_value(m);
  bind_option(m);
  bind_block(m);
  bind_slot(m);
  bind_product(m);
  bind_price_spec(m);
  bind_service(m);
  bind_bundle(m);
  bind_tier(m);
  bind_measure(m);
  bind_rule(m);
  bind_assembly(m);
  bind_catalog(m);
}

}  // namespace sumisura::python
