// Catalog versions: what changed between two versions of a catalog, and what a version does to
// saved orders (engine/include/sumisura/versions.hpp). Both answer plain dicts: the JSON of
// `sumisura diff --json` and `sumisura revalidate --json` as the json module reads it.
#include "sumisura/versions.hpp"

#include <cmath>

#include "bindings.hpp"
#include "configure.hpp"
#include "containers.hpp"
#include "memory.hpp"

namespace sumisura::python {
namespace {

// A version to compare: a Configurator, or what its constructor takes (a Catalog or the path of
// a catalog file), compiled here.
std::shared_ptr<ConfiguratorObject> version_of(py::handle version, const char* what) {
  if (py::isinstance<ConfiguratorObject>(version)) {
    return version.cast<std::shared_ptr<ConfiguratorObject>>();
  }
  if (!py::isinstance<PyCatalog>(version) && !is_path(version)) {
    throw py::type_error(std::string("diff: ") + what +
                         " is a Configurator, a Catalog or the path of a catalog file, not " +
                         type_name(version.get_type()));
  }
  py::object configurator = py::module_::import("sumisura._core").attr("Configurator");
  return configurator(version).cast<std::shared_ptr<ConfiguratorObject>>();
}

py::object diff_versions(py::handle old_version, py::handle new_version, size_t examples,
                         uint64_t seed, std::optional<int64_t> work,
                         std::optional<int64_t> memory_mb, std::optional<double> time_limit) {
  DiffOptions options;
  options.examples = examples;
  options.seed = seed;
  if (work) {
    if (*work <= 0) throw_usage("work must be a positive number of steps, or None for the default");
    options.compile.work = static_cast<uint64_t>(*work);
  }
  if (memory_mb) {
    if (*memory_mb <= 0)
      throw_usage("memory_mb must be a positive number, or None for the default");
    options.compile.memory_mb = static_cast<size_t>(*memory_mb);
  }
  if (time_limit) {
    if (!std::isfinite(*time_limit) || *time_limit <= 0) {
      throw_usage("time_limit must be a positive number of seconds, or None for no limit");
    }
    options.compile.seconds = *time_limit;
  }
  const auto a = version_of(old_version, "old");
  const auto b = version_of(new_version, "new");
  std::string json;
  {
    py::gil_scoped_release release;
    json = to_json(diff(a->configurator, b->configurator, options));
  }
  return json_loads(json);
}

py::dict revalidate_orders(const ConfiguratorObject& self, py::handle orders,
                           std::optional<double> time_limit, std::optional<int64_t> conflict_limit,
                           int max_repairs, int threads) {
  RevalidateOptions options;
  options.limits = make_limits(time_limit, conflict_limit, max_repairs);
  options.max_repairs = max_repairs;
  if (threads < 0) throw_usage("threads must be at least 0 (0: one per core)");
  options.threads = threads;
  const std::vector<Order> book = orders_from_python(self, orders, "orders", true);
  std::string json;
  {
    py::gil_scoped_release release;
    json = to_json(revalidate(self.configurator, book, options));
  }
  // One JSON line per order, then {"summary": {...}}.
  py::list checks;
  py::object summary = py::dict();
  size_t at = 0;
  while (at < json.size()) {
    size_t end = json.find('\n', at);
    if (end == std::string::npos) end = json.size();
    if (end > at) {
      py::object line = json_loads(json.substr(at, end - at));
      if (line.contains("summary")) {
        summary = line["summary"];
      } else {
        checks.append(line);
      }
    }
    at = end + 1;
  }
  py::dict out;
  out["orders"] = checks;
  out["summary"] = summary;
  return out;
}

}  // namespace

void bind_versions(py::module_& m) {
  m.def("diff", &diff_versions, py::arg("old"), py::arg("new"), py::kw_only(),
        py::arg("examples") = 3, py::arg("seed") = 1, py::arg("work") = py::none(),
        py::arg("memory_mb") = py::none(), py::arg("time_limit") = py::none(),
        "What changed between two versions of a catalog, each a Configurator, a Catalog or the "
        "path of a catalog file: the dict `sumisura diff --json` prints, as the json module "
        "reads it. 'old' and 'new' {'name', 'version'}; 'changes', the structural changes "
        "[{'kind', 'id', 'change': 'added' | 'removed' | 'changed', 'fields': [{'field', "
        "'before', 'after'}]}]; 'products', the products each version makes, compared on the "
        "variables both have ({'counted', 'old', 'new', 'common', 'only_old', 'only_new' as "
        "decimal digits, `examples` products of each side drawn with `seed` as "
        "'only_old_examples' and 'only_new_examples', 'not_compared'}, or 'reason' when the "
        "counts are missing); 'became_dead' and 'became_available' ['NAME=VALUE', ...]; "
        "'same_products'. `work`, `memory_mb` and `time_limit` bound each of the three "
        "compilations behind the counts, as compile() takes them. Releases the GIL. Raises "
        "UsageError when a budget makes the comparison impossible, CatalogError or FileError "
        "for a catalog that cannot be read.");

  auto configurator =
      py::reinterpret_borrow<py::class_<ConfiguratorObject, std::shared_ptr<ConfiguratorObject>>>(
          m.attr("Configurator"));
  configurator.def(
      "revalidate", &revalidate_orders, py::arg("orders"), py::kw_only(),
      py::arg("time_limit") = 10.0, py::arg("conflict_limit") = py::none(),
      py::arg("max_repairs") = 3, py::arg("threads") = 0,
      "Checks orders saved under an earlier version of the catalog against this one: the path "
      "of an orders file (configure results, saved sessions or {'choices': {...}, 'total': N} "
      "as JSON or JSON lines, or a sales table), or a list of Orders, such dicts and "
      "ConfigureResults. Names and values this version lacks are reported, not raised. "
      "Returns {'orders': [one dict per order, in order: 'index', 'source', 'line', 'verdict' "
      "('valid', 'repriced', 'broken' or 'undecided'), 'old_total', 'new_total', 'complete', "
      "'problems', and for a broken order 'conflict' {'choices', 'rules'} and 'repairs' "
      "[{'drop', 'total', 'product'}], best first], 'summary': {'orders', 'valid', 'repriced', "
      "'broken', 'undecided', 'distinct', 'seconds'}}: the lines of `sumisura revalidate "
      "--json` as the json module reads them. `time_limit` and `conflict_limit` bound each "
      "distinct order (equal orders are checked once), `max_repairs` the repairs per broken "
      "order; `threads` 0 is one per core. Releases the GIL. Raises FileError or SpecError "
      "(malformed orders) and UsageError for negative limits.");
}

}  // namespace sumisura::python
