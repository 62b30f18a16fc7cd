// What a preference model holds: the catalog's variables (names and value texts) and the distinct
// past orders with how often each was sold. Orders are rows of value indices, -1 where an order
// does not name a variable.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "memory/chow_liu.hpp"
#include "sumisura/preferences.hpp"

namespace sumisura::detail {

class Engine;

/// The catalog's variables as orders name them (option, slot, service, product, SLOT.BLOCK).
struct OrderColumns {
  std::vector<std::string> names;
  std::vector<std::vector<std::string>> values;  ///< per column, value texts in catalog order
  std::unordered_map<std::string, int> column_of;

  static OrderColumns of(const Engine& engine);
  int column(const std::string& name) const;  ///< -1 when unknown
  /// The index of `text` among the column's values (numbers compare by value: `42.0` is `42`),
  /// or -1.
  int value_index(int column, const std::string& text) const;
};

/// Orders from a table or JSON text (see parse_orders). `lenient`: names and values the catalog
/// lacks are kept as they are (revalidation reports them) instead of refused.
std::vector<Order> read_orders(const Configurator& configurator, const OrderColumns& columns,
                               const std::string& text, const std::string& source, bool lenient);

using OrderRow = std::vector<int16_t>;

struct PreferenceData {
  std::string catalog_name, catalog_version;
  PreferenceMethod method = PreferenceMethod::neighbours;
  double bandwidth = 0.05;
  /// 0: every read choice an order disagrees with multiplies its weight by the bandwidth's
  /// mismatch factor. Above 0: by e^(-sharpness * relevance), so that the choices that tell most
  /// about the predicted variable count most (the bandwidth then only smooths the vote).
  double sharpness = 0;
  /// Per column: the kernel reads a known choice when predicting this variable only if it tells
  /// at least this share of the variable's uncertainty (relevance below); above 1: none is read.
  /// Empty: every known choice is read.
  std::vector<double> thresholds;
  /// relevance[k * columns + j]: the uncertainty coefficient I(k; j) / H(k) of the orders, how
  /// much knowing j tells about k. Learned with the rows; add() leaves it (and the bandwidth)
  /// as they are until the next learn or load.
  std::vector<float> relevance;
  ChowLiuTree tree;  ///< method tree
  OrderColumns columns;
  std::vector<char> named;  ///< per column: some order names it
  std::vector<OrderRow> rows;
  std::vector<uint32_t> counts;  ///< per row: how many orders were exactly this
  std::unordered_map<std::string, size_t> row_of;
  size_t total = 0;

  /// The order as a row; throws Error(kind spec) naming the order's line for unknown names
  /// or values.
  OrderRow row(const Order& order) const;
  void add(const OrderRow& row, uint32_t count = 1);
};

/// Joint counts of columns a and b over the orders that name both (a's value * d_b + b's value).
std::vector<double> joint_counts(const PreferenceData& data, int a, int b);

/// What the orders say of a pair of columns: their mutual information and each one's entropy,
/// from the orders that name both.
struct PairInformation {
  double info = 0, entropy_a = 0, entropy_b = 0;
};
PairInformation pair_information(const PreferenceData& data, int a, int b);

/// Computes `relevance` from the rows (method neighbours: the others do not read it).
void compute_relevance(PreferenceData& data);

/// A held-out order replayed in a session: the variables in the order they were chosen, and per
/// step the values still valid then.
struct Episode {
  size_t row;  ///< the held-out distinct order
  std::vector<int> columns;
  std::vector<std::vector<char>> valid;
};

/// A known choice as (column, value index).
struct KnownValue {
  int column;
  int value;
};

/// Unnormalised scores of every value of `column` given `known`, by `method` over the rows
/// (`skip`: a row index left out, for held-out prediction; -1 none).
std::vector<double> value_scores(const PreferenceData& data, PreferenceMethod method,
                                 double bandwidth, const std::vector<OrderRow>& rows,
                                 const std::vector<uint32_t>& counts,
                                 const std::vector<KnownValue>& known, int column, long skip = -1);

/// Held-out orders to tune on, drawn as sold (`seed`), each with a random order of its variables.
std::vector<Episode> held_out_orders(const PreferenceData& data, uint64_t seed);
/// Sets the bandwidth and threshold that predict the held-out orders best among the values the
/// catalog leaves (each order predicted from all the others, its copies left out).
void tune(PreferenceData& data, const std::vector<Episode>& episodes);

}  // namespace sumisura::detail
