// Customer memory in Python, shared by the configurator and session bindings: profiles and
// preference models from the forms Python passes them in.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "configure.hpp"
#include "sumisura/preferences.hpp"

namespace sumisura::python {

/// What a Python PreferenceModel holds: the model and the configurator whose catalog it is for
/// (to read dict orders, to rebind the model to another configurator, to pickle it). Every call
/// that reads or changes the model holds the GIL, which makes it safe to share between threads.
struct PreferenceModelObject {
  PreferenceModelObject(std::shared_ptr<ConfiguratorObject> c, PreferenceModel m)
      : configurator(std::move(c)), model(std::move(m)) {}
  std::shared_ptr<ConfiguratorObject> configurator;
  PreferenceModel model;
};

/// A profile argument: None, a sumisura.Profile, a dict in the format of a profile file, or the
/// path of a YAML or JSON profile file. A dict's positions are cleared (see
/// rethrow_without_position). Raises SpecError, FileError or TypeError.
struct ProfileArgument {
  std::optional<Profile> profile;
  bool from_dict = false;
};
ProfileArgument profile_from_python(py::handle profile);

/// The preference model for `configurator` from a `preferences` argument: the path of a model
/// file, or a PreferenceModel (copied; rebound by name when it was made for another
/// Configurator). Raises FileError, SpecError or TypeError.
PreferenceModel preferences_from_python(const ConfiguratorObject& configurator,
                                        py::handle preferences);

/// Orders from Python: the path of an orders file (a sales table, JSON or JSON lines), or a list
/// of Order objects, dict orders and ConfigureResults; an error names a dict by its index in
/// `what`. `saved`: read as saved orders to revalidate (parse_saved_orders: names and values the
/// catalog no longer has are kept). Raises FileError, SpecError or TypeError.
std::vector<Order> orders_from_python(const ConfiguratorObject& configurator, py::handle orders,
                                      const std::string& what, bool saved = false);

/// A sumisura.Profile for Python.
py::object profile_to_python(const Profile& profile);

}  // namespace sumisura::python
