#include "catalog_registry.hpp"

#include "api_error.hpp"
#include "sumisura/json.hpp"

namespace sumisura::service {

std::string LoadedCatalog::cached_analysis() const {
  std::lock_guard<std::mutex> lock(analysis_mutex_);
  return analysis_;
}

void LoadedCatalog::cache_analysis(std::string json) const {
  std::lock_guard<std::mutex> lock(analysis_mutex_);
  analysis_ = std::move(json);
}

bool LoadedCatalog::settled() const {
  CompileReport r = configurator->compiled_form();
  return r.compiled || !r.reason.empty();
}

CatalogRegistry::CatalogRegistry(const std::vector<CatalogSource>& sources) {
  for (const auto& s : sources) {
    if (catalogs_.count(s.id))
      throw Error(ErrorKind::usage, "catalog id '" + s.id + "' is given twice");
    catalogs_[s.id] = load(s, 1);
    order_.push_back(s.id);
  }
}

CatalogRegistry::~CatalogRegistry() {
  for (auto& t : compilers_) t.join();
}

std::shared_ptr<const LoadedCatalog> CatalogRegistry::load(const CatalogSource& source,
                                                           int generation) {
  auto loaded = std::make_shared<LoadedCatalog>();
  loaded->id = source.id;
  loaded->path = source.path;
  loaded->preferences = source.preferences;
  loaded->generation = generation;
  Configurator configurator_of_file = Configurator::from_file(source.path);
  if (!source.preferences.empty()) {
    configurator_of_file = configurator_of_file.with_preferences(
        PreferenceModel::load(configurator_of_file, source.preferences));
  }
  loaded->configurator = std::make_shared<const Configurator>(std::move(configurator_of_file));
  loaded->description = describe_json(loaded->configurator->catalog());
  // compile() is what makes configure answer on the compiled form (a session's background
  // compilation does not); the default budget bounds it.
  std::shared_ptr<const Configurator> configurator = loaded->configurator;
  std::lock_guard<std::mutex> lock(mutex_);
  compilers_.emplace_back([configurator] { configurator->compile(); });
  return loaded;
}

std::shared_ptr<const LoadedCatalog> CatalogRegistry::find(const std::string& id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = catalogs_.find(id);
  return it == catalogs_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<const LoadedCatalog>> CatalogRegistry::list() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::shared_ptr<const LoadedCatalog>> out;
  for (const auto& id : order_) out.push_back(catalogs_.at(id));
  return out;
}

std::shared_ptr<const LoadedCatalog> CatalogRegistry::reload(const std::string& id) {
  std::lock_guard<std::mutex> one_at_a_time(reload_mutex_);
  std::shared_ptr<const LoadedCatalog> old = find(id);
  if (!old) throw ApiError(404, "unknown_catalog", "no catalog '" + id + "'");
  // Loaded outside the lock: requests go on meanwhile, on the old version.
  std::shared_ptr<const LoadedCatalog> fresh =
      load({old->id, old->path, old->preferences}, old->generation + 1);
  std::lock_guard<std::mutex> lock(mutex_);
  catalogs_[id] = fresh;
  return fresh;
}

bool CatalogRegistry::ready() const {
  for (const auto& c : list())
    if (!c->settled()) return false;
  return true;
}

}  // namespace sumisura::service
