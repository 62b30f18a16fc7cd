// Configurators from files (plain or compiled), compiling on demand, and saving compiled files.
#include <stdexcept>

#include "api/compile_options.hpp"
#include "compile/model.hpp"
#include "core/deadline.hpp"
#include "io/compiled_file.hpp"
#include "io/readers.hpp"
#include "reason/configure.hpp"
#include "reason/engine.hpp"
#include "sumisura/configurator.hpp"
#include "sumisura/version.hpp"

namespace sumisura {

namespace detail {

CompileBudget budget_of(const CompileOptions& o) {
  CompileBudget b = default_compile_budget();
  if (o.work) b.max_work = o.work;
  if (o.memory_mb) b.max_memory = o.memory_mb << 20;
  if (o.nodes) b.max_nodes = o.nodes;
  if (o.seconds > 0)
    b.deadline = std::chrono::steady_clock::now() +
                 std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                     std::chrono::duration<double>(o.seconds));
  if (o.progress) {
    auto progress = o.progress;
    b.progress = [progress](const CompileProgress& p) {
      progress(p.seconds, p.work, p.nodes + p.edges);
    };
  }
  return b;
}

}  // namespace detail

using detail::budget_of;

namespace {

/// Attaches the compiled form a file holds to `engine`, after checking it was made for its model.
void settle_from_file(detail::Engine& engine, const detail::CompiledFile& file,
                      const std::string& path) {
  const std::string recompile =
      "; compile the catalog again with `sumisura compile MODEL -o " + path + "`";
  if (file.fingerprint != detail::model_fingerprint(engine.model()))
    throw Error(
        ErrorKind::io,
        "this compiled file was made from another catalog (or another version of it)" + recompile,
        path);
  if (!file.compiled) {
    engine.settle_compiled(nullptr, file.payload);
    return;
  }
  try {
    engine.settle_compiled(detail::CompiledCatalog::deserialize(engine.model(), file.payload), {});
  } catch (const std::runtime_error& e) {
    throw Error(ErrorKind::io, std::string("the compiled file holds ") + e.what() + recompile,
                path);
  }
}

detail::CompileChoice choice_of(const std::string& form) {
  if (form.empty() || form == "auto") return detail::CompileChoice::automatic;
  if (form == "diagram") return detail::CompileChoice::diagram;
  if (form == "dnnf" || form == "d-dnnf") return detail::CompileChoice::dnnf;
  if (form == "relaxed") return detail::CompileChoice::relaxed;
  throw Error(ErrorKind::usage,
              "unknown compiled form '" + form + "': use auto, diagram, dnnf or relaxed");
}

CompileReport report_of(const detail::Engine& engine, const detail::CompiledCatalog* c,
                        const std::string& why) {
  CompileReport r;
  r.from_file = engine.compiled_from_file();
  r.compiled = c != nullptr;
  r.reason = why;
  detail::BuildCost cost = engine.compile_cost();
  r.seconds = cost.seconds;
  r.work = cost.work;
  if (!c) {
    if (const detail::CompiledCatalog* relaxed = engine.relaxed()) {
      for (int g : relaxed->left_out()) r.left_out.push_back(engine.model().groups[g].id);
      r.priced = relaxed->has_prices();
      r.priced_reason = relaxed->prices_why_not();
    }
  }
  if (c) {
    r.form = c->kind_name();
    r.nodes = c->node_count();
    r.edges = c->edge_count();
    r.priced = c->has_prices();
    r.priced_reason = c->prices_why_not();
    if (r.from_file) {  // what it cost when the file was made
      r.seconds = c->build_seconds();
      r.work = c->build_work();
    }
  }
  return r;
}

}  // namespace

Configurator Configurator::from_file(const std::string& path, ModelFormat format) {
  return from_file(path, format, Limits{0});
}

Configurator Configurator::from_file(const std::string& path, ModelFormat format,
                                     const Limits& limits) {
  detail::search_limits(limits);  // the same validation as every other call's limits
  detail::ScopedDeadline deadline(limits.seconds, "reading and compiling " + path);
  std::string text = detail::read_file(path, detail::kMaxModelFileBytes);
  format = detail::sniff_format(path, text, format);
  if (format == ModelFormat::compiled) return from_compiled_bytes(text, path);
  Catalog catalog = parse_catalog(text, format, path);
  auto engine =
      std::make_shared<detail::Engine>(std::make_shared<const Catalog>(std::move(catalog)),
                                       detail::CatalogText{format, path, std::move(text)});
  return Configurator(std::move(engine));
}

Configurator Configurator::from_compiled_bytes(const std::string& bytes, const std::string& name) {
  detail::CompiledFile file = detail::read_compiled_file(bytes, name);
  // Positions in explanations refer to the catalog's own text, so they name its own file.
  const std::string& source = file.catalog_name.empty() ? name : file.catalog_name;
  Catalog catalog = parse_catalog(file.catalog_text, file.catalog_format, source);
  auto engine = std::make_shared<detail::Engine>(
      std::make_shared<const Catalog>(std::move(catalog)),
      detail::CatalogText{file.catalog_format, file.catalog_name, std::move(file.catalog_text)});
  settle_from_file(*engine, file, name);
  return Configurator(std::move(engine));
}

Configurator Configurator::from_compiled(Catalog catalog, const std::string& compiled_path) {
  return from_compiled_bytes(std::move(catalog),
                             detail::read_file(compiled_path, detail::kMaxModelFileBytes),
                             compiled_path);
}

Configurator Configurator::from_compiled_bytes(Catalog catalog, const std::string& bytes,
                                               const std::string& name) {
  detail::CompiledFile file = detail::read_compiled_file(bytes, name);
  auto engine =
      std::make_shared<detail::Engine>(std::make_shared<const Catalog>(std::move(catalog)));
  settle_from_file(*engine, file, name);
  return Configurator(std::move(engine));
}

CompileReport Configurator::compile(const CompileOptions& options) const {
  detail::CompileChoice choice = choice_of(options.form);
  detail::CompileBudget budget = budget_of(options);
  std::string why;
  const detail::CompiledCatalog* c = engine_->compile_now(budget, &why, choice);
  return report_of(*engine_, c, why);
}

CompileReport Configurator::compiled_form() const {
  std::string why;
  const detail::CompiledCatalog* c = engine_->settled_compiled(&why);
  return report_of(*engine_, c, why);
}

std::string Configurator::compiled_bytes() const {
  std::string why;
  const detail::CompiledCatalog* c = engine_->wait_compiled(&why);
  const detail::CatalogText& source = engine_->source();
  detail::CompiledFile file;
  if (source.text.empty()) {
    file.catalog_format = ModelFormat::yaml;
    file.catalog_name = catalog().source;
    file.catalog_text = to_yaml(catalog());
  } else {
    file.catalog_format = source.format;
    file.catalog_name = source.name;
    file.catalog_text = source.text;
  }
  file.engine_version = version();
  file.fingerprint = detail::model_fingerprint(engine_->model());
  // A relaxed form is saved too: loading it settles the engine as compiling it here did.
  const detail::CompiledCatalog* saved = c ? c : engine_->relaxed();
  file.compiled = saved != nullptr;
  file.payload = saved ? saved->serialize() : why;
  return detail::write_compiled_file(file);
}

void Configurator::save_compiled(const std::string& path) const {
  detail::write_file(path, compiled_bytes());
}

}  // namespace sumisura
