// The JSON type of the command-line tool: objects keep their keys in the order they were written,
// as the engine's own JSON answers (sumisura/json.hpp) do.
#pragma once

#include <nlohmann/json.hpp>

namespace sumisura::cli {

using Json = nlohmann::ordered_json;

}  // namespace sumisura::cli
