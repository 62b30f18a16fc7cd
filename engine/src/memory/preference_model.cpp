// PreferenceModel: past orders counted as distinct rows, scored by preference_scoring.cpp,
// saved as JSON.
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "api/variables.hpp"
#include "io/readers.hpp"
#include "memory/json_input.hpp"
#include "memory/preference_data.hpp"
#include "reason/engine.hpp"
#include "sumisura/configurator.hpp"
#include "sumisura/session.hpp"

namespace sumisura {
namespace detail {

OrderColumns OrderColumns::of(const Engine& engine) {
  const Model& m = engine.model();
  OrderColumns out;
  for (size_t v = 0; v < m.vars.size(); ++v) {
    Column c = describe_variable(m, static_cast<int>(v));
    out.column_of.emplace(c.name, static_cast<int>(out.names.size()));
    out.names.push_back(c.name);
    std::vector<std::string> texts;
    for (const auto& value : c.values) texts.push_back(value.to_string());
    out.values.push_back(std::move(texts));
  }
  return out;
}

int OrderColumns::column(const std::string& name) const {
  auto it = column_of.find(name);
  return it == column_of.end() ? -1 : it->second;
}

int OrderColumns::value_index(int column, const std::string& text) const {
  const auto& texts = values[column];
  auto it = std::find(texts.begin(), texts.end(), text);
  if (it != texts.end()) return static_cast<int>(it - texts.begin());
  if (auto number = Decimal::parse(text)) {
    it = std::find(texts.begin(), texts.end(), number->to_string());
    if (it != texts.end()) return static_cast<int>(it - texts.begin());
  }
  return -1;
}

OrderRow PreferenceData::row(const Order& order) const {
  OrderRow out(columns.names.size(), -1);
  for (const auto& c : order.choices) {
    int col = columns.column(c.name);
    if (col < 0) {
      bad_input(order.source, order.where.line,
                "the catalog has no option, slot, service or quantity '" + c.name + "'");
    }
    int v = columns.value_index(col, c.value);
    if (v < 0) {
      bad_input(order.source, order.where.line,
                "'" + c.name + "' has no value '" + c.value + "' in the catalog");
    }
    out[col] = static_cast<int16_t>(v);
  }
  return out;
}

void PreferenceData::add(const OrderRow& r, uint32_t count) {
  std::string key(reinterpret_cast<const char*>(r.data()), r.size() * sizeof(int16_t));
  auto [it, fresh] = row_of.emplace(std::move(key), rows.size());
  if (fresh) {
    rows.push_back(r);
    counts.push_back(0);
  }
  counts[it->second] += count;
  total += count;
  for (size_t c = 0; c < r.size(); ++c) {
    if (r[c] >= 0) named[c] = 1;
  }
}

namespace {

std::unique_ptr<PreferenceData> empty_data(const Configurator& configurator) {
  auto d = std::make_unique<PreferenceData>();
  d->catalog_name = configurator.catalog().name;
  d->catalog_version = configurator.catalog().version;
  d->columns = OrderColumns::of(*configurator.engine());
  d->named.assign(d->columns.names.size(), 0);
  return d;
}

std::vector<double> normalised(std::vector<double> s) {
  double sum = 0;
  for (double x : s) sum += x;
  for (auto& x : s) x = sum > 0 ? x / sum : 1.0 / static_cast<double>(s.size());
  return s;
}

}  // namespace
}  // namespace detail

std::string to_string(PreferenceMethod method) {
  switch (method) {
    case PreferenceMethod::neighbours:
      return "neighbours";
    case PreferenceMethod::tree:
      return "tree";
    case PreferenceMethod::naive_bayes:
      return "naive_bayes";
    case PreferenceMethod::frequency:
      return "frequency";
  }
  return "neighbours";
}

std::optional<PreferenceMethod> preference_method_from_name(const std::string& name) {
  for (auto m : {PreferenceMethod::neighbours, PreferenceMethod::tree,
                 PreferenceMethod::naive_bayes, PreferenceMethod::frequency}) {
    if (to_string(m) == name) return m;
  }
  return std::nullopt;
}

PreferenceModel::PreferenceModel() : data_(std::make_unique<detail::PreferenceData>()) {}
PreferenceModel::~PreferenceModel() = default;
PreferenceModel::PreferenceModel(const PreferenceModel& other)
    : data_(std::make_unique<detail::PreferenceData>(*other.data_)) {}
PreferenceModel& PreferenceModel::operator=(const PreferenceModel& other) {
  if (this != &other) data_ = std::make_unique<detail::PreferenceData>(*other.data_);
  return *this;
}
PreferenceModel::PreferenceModel(PreferenceModel&&) noexcept = default;
PreferenceModel& PreferenceModel::operator=(PreferenceModel&&) noexcept = default;

PreferenceModel PreferenceModel::learn(const Configurator& configurator,
                                       const std::vector<Order>& orders,
                                       const LearnOptions& options) {
  if (!(options.bandwidth >= 0 && options.bandwidth < 0.5)) {
    throw Error(ErrorKind::usage, "the bandwidth must be at least 0 and below 0.5 (0: learn it)");
  }
  PreferenceModel out;
  out.data_ = detail::empty_data(configurator);
  out.data_->method = options.method;
  detail::PreferenceData& d = *out.data_;
  for (const auto& o : orders) d.add(d.row(o));
  if (options.method == PreferenceMethod::neighbours) detail::compute_relevance(d);
  if (options.method == PreferenceMethod::tree) d.tree = detail::learn_tree(d);
  if (options.bandwidth > 0) d.bandwidth = options.bandwidth;
  if (options.bandwidth > 0 || options.method != PreferenceMethod::neighbours) return out;
  // Tuned on held-out orders replayed in a session, so that what is tuned is what is used: a
  // ranking of the values the catalog still allows.
  std::vector<detail::Episode> episodes = detail::held_out_orders(d, options.seed);
  Session session = configurator.session();
  Limits limits;
  limits.price_seconds = 1e-6;  // the price range plays no part here
  for (auto& e : episodes) {
    session.reset();
    for (int c : e.columns) {
      const VariableState* v = session.state(limits).find(d.columns.names[c]);
      std::vector<char> valid(d.columns.values[c].size(), 1);
      if (v && v->values.size() == valid.size()) {
        for (size_t k = 0; k < valid.size(); ++k) valid[k] = v->valid[k];
      }
      e.valid.push_back(std::move(valid));
      const std::string& value = d.columns.values[c][d.rows[e.row][c]];
      if (!session.choose(d.columns.names[c], value, limits).accepted) break;
    }
    e.columns.resize(e.valid.size());
  }
  detail::tune(d, episodes);
  return out;
}

void PreferenceModel::add(const Order& order) {
  if (data_->columns.names.empty()) {
    throw Error(ErrorKind::usage, "this preference model belongs to no catalog: learn or load one");
  }
  detail::OrderRow row = data_->row(order);
  data_->add(row);
  if (!data_->tree.empty()) detail::count_in_tree(data_->tree, row);
}

void PreferenceModel::check(const Order& order) const {
  data_->row(order);
}

PreferenceMethod PreferenceModel::method() const {
  return data_->method;
}
double PreferenceModel::bandwidth() const {
  return data_->bandwidth;
}
double PreferenceModel::threshold(const std::string& name) const {
  int c = data_->columns.column(name);
  return c < 0 || data_->thresholds.empty() ? 0 : data_->thresholds[c];
}
std::string PreferenceModel::describe() const {
  const detail::PreferenceData& d = *data_;
  std::string out = to_string(d.method);
  if (d.method != PreferenceMethod::neighbours) return out;
  auto num = [](double x) {
    std::string s = std::to_string(x);
    s.erase(s.find_last_not_of('0') + 1);
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
  };
  out += ", bandwidth " + num(d.bandwidth);
  if (d.sharpness > 0) out += ", sharpness " + num(d.sharpness);
  double threshold = d.thresholds.empty() ? 0 : d.thresholds[0];
  bool same = std::all_of(d.thresholds.begin(), d.thresholds.end(),
                          [&](double t) { return t == threshold; });
  if (same && threshold > 1) return out + ", reads no choice (frequencies)";
  if (same) return out + ", reads choices of relevance >= " + num(threshold);
  return out + ", a relevance threshold per variable";
}

size_t PreferenceModel::orders() const {
  return data_->total;
}

bool PreferenceModel::names(const std::string& variable) const {
  int c = data_->columns.column(variable);
  return c >= 0 && data_->named[c];
}

std::vector<std::string> PreferenceModel::variables() const {
  std::vector<std::string> out;
  for (size_t c = 0; c < data_->named.size(); ++c) {
    if (data_->named[c]) out.push_back(data_->columns.names[c]);
  }
  return out;
}

std::vector<double> PreferenceModel::scores(const std::string& name,
                                            const std::vector<Choice>& known,
                                            const std::vector<Value>& candidates,
                                            const std::vector<Order>& own) const {
  const detail::PreferenceData& d = *data_;
  std::vector<double> uniform(candidates.size(), 1.0 / std::max<size_t>(candidates.size(), 1));
  int column = d.columns.column(name);
  if (column < 0 || candidates.empty()) return uniform;
  // Choices of variables the orders never name (a block chosen by name, a multi-block slot)
  // carry nothing the model knows.
  std::vector<detail::KnownValue> given;
  for (const auto& c : known) {
    int col = d.columns.column(c.name);
    if (col < 0 || col == column || !d.named[col]) continue;
    int v = d.columns.value_index(col, c.value);
    if (v >= 0) given.push_back({col, v});
  }
  std::vector<int> index;
  for (const auto& value : candidates)
    index.push_back(d.columns.value_index(column, value.to_string()));
  auto pick = [&](const std::vector<double>& all) {
    std::vector<double> s;
    for (int k : index) s.push_back(k >= 0 ? all[k] : 0);
    return detail::normalised(std::move(s));
  };
  std::vector<double> out =
      d.named[column] && !d.rows.empty()
          ? pick(detail::value_scores(d, d.method, d.bandwidth, d.rows, d.counts, given, column))
          : uniform;
  // The customer's own orders, scored by the same kernel, weigh n/(n+1) against the history.
  std::vector<detail::OrderRow> mine;
  for (const auto& o : own) {
    detail::OrderRow r = d.row(o);
    if (r[column] >= 0) mine.push_back(std::move(r));
  }
  if (!mine.empty()) {
    std::vector<uint32_t> ones(mine.size(), 1);
    std::vector<double> personal = pick(detail::value_scores(
        d, PreferenceMethod::neighbours, d.bandwidth, mine, ones, given, column));
    double share = static_cast<double>(mine.size()) / static_cast<double>(mine.size() + 1);
    if (d.rows.empty() || !d.named[column]) share = 1;
    for (size_t i = 0; i < out.size(); ++i) out[i] = (1 - share) * out[i] + share * personal[i];
  }
  return out;
}

std::string PreferenceModel::to_json() const {
  const detail::PreferenceData& d = *data_;
  nlohmann::ordered_json j;
  j["format"] = "sumisura-preferences/1";
  j["catalog"] = {{"name", d.catalog_name}, {"version", d.catalog_version}};
  j["method"] = to_string(d.method);
  j["bandwidth"] = d.bandwidth;
  j["sharpness"] = d.sharpness;
  j["orders"] = d.total;
  std::vector<size_t> cols;
  nlohmann::ordered_json vars = nlohmann::ordered_json::array();
  for (size_t c = 0; c < d.named.size(); ++c) {
    if (!d.named[c]) continue;
    cols.push_back(c);
    vars.push_back({{"name", d.columns.names[c]},
                    {"values", d.columns.values[c]},
                    {"threshold", d.thresholds.empty() ? 0.0 : d.thresholds[c]}});
  }
  j["variables"] = vars;
  // One row per distinct order: its count, then a value index per variable (-1: not named).
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (size_t r = 0; r < d.rows.size(); ++r) {
    nlohmann::ordered_json row = nlohmann::ordered_json::array();
    row.push_back(d.counts[r]);
    for (size_t c : cols) row.push_back(d.rows[r][c]);
    rows.push_back(row);
  }
  j["rows"] = rows;
  return j.dump();
}

void PreferenceModel::save(const std::string& path) const {
  detail::write_file(path, to_json());
}

PreferenceModel PreferenceModel::from_json(const Configurator& configurator,
                                           const std::string& text, const std::string& source) {
  nlohmann::json j = detail::parse_json_input(text, source);
  auto bad = [&](const std::string& why) {
    detail::bad_input(source, 1, "not a preference model (" + why + ")");
  };
  if (!j.is_object() || j.value("format", nlohmann::json()) != "sumisura-preferences/1")
    bad("no \"format\": \"sumisura-preferences/1\"");
  PreferenceModel out;
  out.data_ = detail::empty_data(configurator);
  detail::PreferenceData& d = *out.data_;
  auto method = j.contains("method") && j["method"].is_string()
                    ? preference_method_from_name(j["method"].get<std::string>())
                    : std::nullopt;
  if (!method) bad("\"method\" must be neighbours, tree, naive_bayes or frequency");
  d.method = *method;
  if (!j.contains("bandwidth") || !j["bandwidth"].is_number())
    bad("\"bandwidth\" must be a number");
  d.bandwidth = j["bandwidth"].get<double>();
  if (!(d.bandwidth > 0 && d.bandwidth < 0.5)) bad("\"bandwidth\" must lie between 0 and 0.5");
  d.thresholds.assign(d.columns.names.size(), 0);
  if (j.contains("sharpness")) {
    if (!j["sharpness"].is_number() || !(j["sharpness"].get<double>() >= 0))
      bad("\"sharpness\" must be a number, 0 or more");
    d.sharpness = j["sharpness"].get<double>();
  }
  if (!j.contains("variables") || !j["variables"].is_array()) bad("\"variables\" must be a list");
  // Each saved variable and value is found in this catalog by name (not by position).
  std::vector<int> col_of;
  std::vector<std::vector<int>> value_of;
  for (const auto& v : j["variables"]) {
    if (!v.is_object() || !v.contains("name") || !v["name"].is_string() || !v.contains("values") ||
        !v["values"].is_array())
      bad("each variable must be {\"name\": ..., \"values\": [...]}");
    std::string name = v["name"].get<std::string>();
    int col = d.columns.column(name);
    if (col < 0)
      detail::bad_input(source, 1, "the catalog has no variable '" + name + "' the model names");
    std::vector<int> map;
    for (const auto& value : v["values"]) {
      if (!value.is_string()) bad("values must be text");
      int k = d.columns.value_index(col, value.get<std::string>());
      if (k < 0) {
        detail::bad_input(
            source, 1,
            "'" + name + "' has no value '" + value.get<std::string>() + "' in the catalog");
      }
      map.push_back(k);
    }
    if (v.contains("threshold")) {
      if (!v["threshold"].is_number() || !(v["threshold"].get<double>() >= 0))
        bad("a variable's \"threshold\" must be a number, 0 or more");
      d.thresholds[col] = v["threshold"].get<double>();
    }
    col_of.push_back(col);
    value_of.push_back(std::move(map));
  }
  if (!j.contains("rows") || !j["rows"].is_array()) bad("\"rows\" must be a list");
  for (const auto& row : j["rows"]) {
    if (!row.is_array() || row.size() != col_of.size() + 1 || !row[0].is_number_unsigned())
      bad("each row is [count, one value index per variable]");
    detail::OrderRow r(d.columns.names.size(), -1);
    for (size_t i = 0; i < col_of.size(); ++i) {
      const auto& x = row[i + 1];
      if (!x.is_number_integer()) bad("value indices must be integers");
      long k = x.get<long>();
      if (k < -1 || k >= static_cast<long>(value_of[i].size())) bad("value index out of range");
      if (k >= 0) r[col_of[i]] = static_cast<int16_t>(value_of[i][k]);
    }
    uint64_t count = row[0].get<uint64_t>();
    if (count == 0 || count > UINT32_MAX) bad("row counts must be 1 or more");
    d.add(r, static_cast<uint32_t>(count));
  }
  if (d.method == PreferenceMethod::neighbours) detail::compute_relevance(d);
  if (d.method == PreferenceMethod::tree) d.tree = detail::learn_tree(d);
  return out;
}

PreferenceModel PreferenceModel::load(const Configurator& configurator, const std::string& path) {
  return from_json(configurator, detail::read_file(path, detail::kMaxModelFileBytes), path);
}

}  // namespace sumisura
