// The JSON pieces every answer is made of (values, decimals, rule references, configure results),
// shared by json.cpp and json_answers.cpp so that each shape has one definition.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sumisura/result.hpp"

namespace sumisura::detail {

nlohmann::ordered_json decimal_json(Decimal d);
nlohmann::ordered_json value_json(const Value& v);
nlohmann::ordered_json rules_json(const std::vector<RuleRef>& rules);
nlohmann::ordered_json result_json(const ConfigureResult& r, bool with_repairs);

/// A JSON object keyed by names (options, variables, measures), filled in linear time. An
/// ordered_json object finds a key by scanning its members, so filling one with operator[] costs
/// n^2/2 comparisons: 40,000 options took 10 s to answer (found by fuzzing, tests/fuzz). A name
/// set again keeps its first place and takes the new value, as operator[] does.
class NamedObject {
 public:
  void set(const std::string& name, nlohmann::ordered_json value) {
    auto& members = object_.get_ref<nlohmann::ordered_json::object_t&>();
    auto [at, fresh] = index_.emplace(name, members.size());
    if (fresh)
      members.emplace_back(name, std::move(value));
    else
      (members.begin() + static_cast<std::ptrdiff_t>(at->second))->second = std::move(value);
  }
  nlohmann::ordered_json take() && { return std::move(object_); }

 private:
  nlohmann::ordered_json object_ = nlohmann::ordered_json::object();
  std::unordered_map<std::string, size_t> index_;
};

}  // namespace sumisura::detail
