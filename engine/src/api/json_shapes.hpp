// The JSON pieces every answer is made of (values, decimals, rule references, configure results),
// shared by json.cpp and json_answers.cpp so that each shape has one definition.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "sumisura/result.hpp"

namespace sumisura::detail {

nlohmann::ordered_json decimal_json(Decimal d);
nlohmann::ordered_json value_json(const Value& v);
nlohmann::ordered_json rules_json(const std::vector<RuleRef>& rules);
nlohmann::ordered_json result_json(const ConfigureResult& r, bool with_repairs);

}  // namespace sumisura::detail
