// The engine's JSON answers (sumisura/json.hpp) read back as ordered JSON, in time linear in their
// size. Shared by the front ends over the façade: the command-line tool and the HTTP service.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sumisura/error.hpp"

namespace sumisura::frontend {

using Json = nlohmann::ordered_json;

/// Builds a Json from parse events, appending each member of an object (Json::parse looks every
/// key up among the members before it, which is quadratic in an object's size), and stops at
/// malformed text or at nesting deeper than `max_depth`.
class LinearJsonBuilder {
 public:
  explicit LinearJsonBuilder(std::size_t max_depth) : max_depth_(max_depth) {}
  bool null() { return put(nullptr); }
  bool boolean(bool b) { return put(b); }
  bool number_integer(Json::number_integer_t n) { return put(n); }
  bool number_unsigned(Json::number_unsigned_t n) { return put(n); }
  bool number_float(Json::number_float_t n, const Json::string_t&) { return put(n); }
  bool string(Json::string_t& s) { return put(std::move(s)); }
  bool binary(Json::binary_t& b) { return put(Json::binary(std::move(b))); }
  bool start_object(std::size_t) { return open(Json::object()); }
  bool start_array(std::size_t) { return open(Json::array()); }
  bool key(Json::string_t& k) {
    open_.back().key = std::move(k);
    return true;
  }
  bool end_object() { return close(); }
  bool end_array() { return close(); }
  template <class Exception>
  bool parse_error(std::size_t, const std::string&, const Exception& e) {
    error_ = e.what();
    return false;
  }
  bool too_deep() const { return too_deep_; }
  const std::string& error() const { return error_; }
  Json take() { return std::move(root_); }

 private:
  struct Open {
    Json value;
    std::string key;
    std::unordered_map<std::string, std::size_t> index;  // objects: member by key
  };
  bool open(Json value) {
    if (open_.size() >= max_depth_) {
      too_deep_ = true;
      return false;
    }
    open_.push_back({std::move(value), {}, {}});
    return true;
  }
  bool close() {
    Json value = std::move(open_.back().value);
    open_.pop_back();
    return put(std::move(value));
  }
  bool put(Json value) {
    if (open_.empty()) {
      root_ = std::move(value);
      return true;
    }
    Open& o = open_.back();
    if (o.value.is_array()) {
      o.value.get_ref<Json::array_t&>().push_back(std::move(value));
      return true;
    }
    auto& members = o.value.get_ref<Json::object_t&>();
    auto [at, fresh] = o.index.emplace(o.key, members.size());
    if (fresh)
      members.emplace_back(o.key, std::move(value));
    else  // a repeated key keeps its first place and takes the last value, as Json::parse does
      (members.begin() + static_cast<std::ptrdiff_t>(at->second))->second = std::move(value);
    return true;
  }
  std::size_t max_depth_;
  bool too_deep_ = false;
  std::string error_;
  std::vector<Open> open_;
  Json root_;
};

/// One of the engine's JSON answers (to_json, Session::to_json) as Json, in time linear in its
/// size: a session state of 40,000 options took 11 s through Json::parse. Throws Error(kind
/// internal) when the text is not JSON.
inline Json parse_answer(const std::string& text) {
  LinearJsonBuilder builder(1000);
  if (!Json::sax_parse(text, &builder))
    throw Error(ErrorKind::internal, "an answer of the engine is not JSON: " + builder.error());
  return builder.take();
}

}  // namespace sumisura::frontend
