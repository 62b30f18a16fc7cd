// Shared by the configurator and session bindings: the compiled catalog Python holds, limits from
// keyword arguments, and engine results as the Python values of sumisura/_results.py.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "casters.hpp"
#include "sumisura/configurator.hpp"
#include "sumisura/session.hpp"

namespace sumisura::python {

/// What a Python Configurator holds. The engine's Configurator is immutable and safe to share
/// between threads, so every call on it runs without the GIL and without a lock.
struct ConfiguratorObject {
  ConfiguratorObject(Configurator c, bool keeps_text)
      : configurator(std::move(c)), keeps_text(keeps_text) {}
  Configurator configurator;
  /// Read from a file (or compiled bytes): the engine keeps the text, so compiled_bytes() gives the
  /// catalog back exactly, positions and all. A catalog built in code is carried as YAML there,
  /// with the positions of that YAML (see the pickling in compiled.cpp).
  bool keeps_text;
};

/// Limits from the keyword arguments every solving call takes. time_limit None: no limit;
/// conflict_limit None: no limit. Raises UsageError for negative or non-finite values.
Limits make_limits(std::optional<double> time_limit, std::optional<int64_t> conflict_limit,
                   int max_repairs = 5, bool explain = true);

/// A choice value as the engine takes it: str as is, bool as true/false, int as its digits.
std::string choice_text(py::handle value);

/// Choices from Python: None, a dict {name: value}, or a list of 'NAME=VALUE' texts and
/// (name, value) pairs; values as choice_text takes them.
std::vector<Requirement> where_from_python(py::handle where);

/// A count of products (decimal digits) as a Python int of any size; None for "" (no count).
py::object count_to_python(const std::string& digits);

/// An object of sumisura._results (ConfigureResult, Choice, ...).
py::object result_class(const char* name);

/// The engine's JSON text as Python's json module reads it: plain dicts, lists, str, int, float.
py::object json_loads(const std::string& text);

/// A ConfigureResult; `json` is the object to_json(result) describes (its to_dict()).
py::object result_to_python(const ConfigureResult& result, py::object json);
/// A ConfigureResult with its to_dict() from sumisura::to_json.
py::object result_to_python(const ConfigureResult& result);

/// A str or os.PathLike (a file to read), as opposed to a dict or an object.
bool is_path(py::handle h);
std::string fspath(py::handle h);

/// Rethrows an error about something given as a dict: positions in the JSON text made from it
/// would point nowhere the user can look, so the error carries the message only.
[[noreturn]] void rethrow_without_position(const Error& e);

py::list rules_to_python(const std::vector<RuleRef>& rules);
py::object choice_to_python(const Choice& choice);
py::list choices_to_python(const std::vector<Choice>& choices);
py::object explanation_to_python(const Explanation& explanation);

}  // namespace sumisura::python
