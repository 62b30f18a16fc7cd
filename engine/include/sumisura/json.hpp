// Every answer of the engine as JSON: the shapes of `sumisura session` (docs/cli.md) and of the
// HTTP service (docs/service.md), defined once for C++ callers, the CLI and the service.
// to_json(const ConfigureResult&) is in result.hpp.
#pragma once

#include <string>
#include <vector>

#include "sumisura/analysis.hpp"
#include "sumisura/catalog.hpp"
#include "sumisura/configurator.hpp"
#include "sumisura/session.hpp"

namespace sumisura {

/// {"consistent", "complete", "domains": {name: [valid values]}, "chosen", "implied", "defaults",
/// "price": {"min", "max", "currency"} (priced catalogs), "price_limited" (when set), "count"
/// (when the compiled form answers)}.
std::string to_json(const SessionState& state);
/// {"available", "choices": ["NAME=VALUE", ...], "rules": [{id, kind, message, file, line,
/// column}], "minimal"}.
std::string to_json(const Explanation& explanation);
/// {"catalog_changed", "saved_version", "kept": ["NAME=VALUE", ...], "dropped": [{"choice",
/// "reason", "explanation" (when the choice still exists)}]}.
std::string to_json(const ResumeReport& report);
/// [{"drop": ["NAME=VALUE", ...]}, ...], best first.
std::string to_json(const std::vector<ChoiceRepair>& repairs);
/// {"status": "ok" | "unknown" | "infeasible", "domains": {name: [values]}} or, when infeasible,
/// {"status", "conflict": [requirement labels]}.
std::string to_json(const Domains& domains);
/// {"exact", "count" (decimal digits, or null), "reason" (when not exact)}.
std::string to_json(const Count& count);
/// {"feasible", "complete", "counted", "total" (digits or null), "reason" (when not counted),
/// "dead", "core", "false_optional", "variables": [{"name", "kind", "false_optional",
/// "values": [{"value", "count", "share" (when counted), "dead", "core"}]}]}.
std::string to_json(const Analysis& analysis);
/// {"uniform", "reason" (when not uniform), "products": [{name: value, ...}]}.
std::string to_json(const Samples& samples);
/// [{"value", "score"}, ...], best first.
std::string to_json(const std::vector<ScoredValue>& ranking);
/// {"name", "values": [{"value", "score"}, ...]}.
std::string to_json(const Recommendation& recommendation);
/// What a page needs to show a catalog: name, version, currency, description, and every option
/// (with its values, labels and prices), product, slot, block, service, bundle, tier and measure.
/// Rules are left out: a page shows their effect through domains and explanations.
std::string describe_json(const Catalog& catalog);

}  // namespace sumisura
