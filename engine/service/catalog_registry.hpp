// The catalogs a service serves, by id. Each is loaded from its file once, compiled on a thread
// of its own (the service answers by search until the compiled form is settled), and can be
// replaced by a new version while requests run: a request holds the version it started with.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "service.hpp"
#include "sumisura/configurator.hpp"

namespace sumisura::service {

struct LoadedCatalog {
  std::string id;
  std::string path;
  std::string preferences;
  int generation = 1;  ///< 1 when the service started, one more per reload
  std::shared_ptr<const Configurator> configurator;
  std::string description;  ///< describe_json of the catalog, made once
  /// The analysis of the catalog (JSON) once one has completed: it never changes for a version.
  std::string cached_analysis() const;
  void cache_analysis(std::string json) const;
  /// Whether the compiled form is settled (built, or known not to build within its budget).
  bool settled() const;

 private:
  mutable std::mutex analysis_mutex_;
  mutable std::string analysis_;
};

class CatalogRegistry {
 public:
  /// Loads every catalog (throws sumisura::Error naming the file on the first that fails) and
  /// starts compiling them in the background.
  explicit CatalogRegistry(const std::vector<CatalogSource>& sources);
  ~CatalogRegistry();  ///< waits for compilations in progress
  CatalogRegistry(const CatalogRegistry&) = delete;
  CatalogRegistry& operator=(const CatalogRegistry&) = delete;

  /// The current version of catalog `id`, or null.
  std::shared_ptr<const LoadedCatalog> find(const std::string& id) const;
  std::vector<std::shared_ptr<const LoadedCatalog>> list() const;
  /// Loads `id` again from its file and makes it current; requests and sessions that hold the
  /// old version keep it. Throws sumisura::Error when the file no longer loads (the old version
  /// stays), ApiError when there is no such catalog.
  std::shared_ptr<const LoadedCatalog> reload(const std::string& id);
  /// Every catalog loaded and its compiled form settled.
  bool ready() const;

 private:
  std::shared_ptr<const LoadedCatalog> load(const CatalogSource& source, int generation);
  mutable std::mutex mutex_;
  std::mutex reload_mutex_;  ///< one reload at a time, so generations count up by one
  std::map<std::string, std::shared_ptr<const LoadedCatalog>> catalogs_;
  std::vector<std::string> order_;
  std::vector<std::thread> compilers_;
};

}  // namespace sumisura::service
