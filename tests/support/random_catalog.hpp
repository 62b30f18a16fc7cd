// Random small catalogs, conditions, specifications and choices for the property tests.
// Everything is a function of the Rng's seed, so a failing case is replayed from its seed alone.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "property_rng.hpp"
#include "sumisura/catalog.hpp"
#include "sumisura/spec.hpp"

namespace sumisura::proptest {

class BruteForce;

struct CatalogShape {
  size_t max_configs = 20000;  ///< complete assignments (before any constraint) at most
  int price_in_rules = 8;      ///< percent of rule atoms that mention `price`
  bool products = true;        ///< may have 0, 1 or 2 products
  bool bundles = true;
  bool price_with_overlapping_bundles = true;  ///< false: no `price` in rules when bundles overlap
};

/// A random catalog that passes validate() with at most shape.max_configs complete assignments.
Catalog random_catalog(Rng& rng, const CatalogShape& shape = {});

/// Whether two bundles of the catalog share an item (a product may then have several packings).
bool bundles_overlap(const Catalog& c);

/// The number of complete assignments (product x options x slot contents x services).
size_t count_configs(const Catalog& c);

/// Random conditions that type-check against a catalog.
class ConditionMaker {
 public:
  ConditionMaker(const Catalog& catalog, Rng& rng);
  /// A condition of nesting depth at most `depth`; `price_percent`: chance that an atom is about
  /// the price (thresholds near `price_scale`).
  std::string condition(int depth, int price_percent = 0);
  std::string atom(int price_percent = 0);
  void set_price_scale(std::vector<std::string> prices) { price_scale_ = std::move(prices); }

 private:
  std::string attribute_atom(const std::string& slot);
  std::string number_threshold();
  bool has_attribute(const std::string& id) const;
  AttributeType attribute_type(const std::string& id) const;

  const Catalog& c_;
  Rng& rng_;
  std::vector<std::string> price_scale_;
};

/// A random NAME=VALUE choice: an option value, a slot's block or `none`, a service or block
/// true/false, `product=ID`.
std::pair<std::string, std::string> random_choice(Rng& rng, const Catalog& c);

struct SpecShape {
  int max_requirements = 4;
  int max_preferences = 3;
  int price_in_conditions = 12;                ///< percent of atoms about the price
  bool price_with_overlapping_bundles = true;  ///< false: no `price` atoms when bundles overlap
};

/// A random specification: requirements (expressions, NAME=VALUE, products, bounds on the price
/// and on measures), weighted preferences, an objective and sometimes a tier. Thresholds are taken
/// from the prices and measures of the world's valid products, so that bounds sometimes bite.
Spec random_spec(Rng& rng, const BruteForce& world, const SpecShape& shape = {});

/// The specification in the YAML spec format (docs: spec-format). Requirements are grouped by
/// kind there (require, max, product), so their order may differ from spec.requirements.
std::string spec_to_yaml(const Spec& spec);
/// One requirement per line, in order, with weights: the exact form for a report.
std::string spec_to_text(const Spec& spec);

}  // namespace sumisura::proptest
