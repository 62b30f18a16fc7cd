// The JSON type of the command-line tool: objects keep their keys in the order they were written,
// as the engine's own JSON answers (sumisura/json.hpp) do.
#pragma once

#include "answer_json.hpp"

namespace sumisura::cli {

using frontend::Json;
using frontend::LinearJsonBuilder;
using frontend::parse_answer;

}  // namespace sumisura::cli
