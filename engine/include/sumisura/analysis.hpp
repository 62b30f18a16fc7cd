// What a catalog can make: exact counts, per-value counts, dead and core values, false-optional
// options, uniform samples, and the compiled form behind them (Configurator::count, analyze,
// sample, compile, save_compiled).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "sumisura/value.hpp"

namespace sumisura {

/// How much a compilation may spend. Work and memory are counted in units that do not depend on
/// how busy the machine is, so whether a catalog compiles is the same on every run; `seconds`
/// adds a wall-clock limit for callers who want one.
struct CompileOptions {
  /// Elementary steps (propagations, visits, diagram operations): about 20 to 150 million a
  /// second. 0: the engine's default (1,000,000,000).
  uint64_t work = 0;
  size_t memory_mb = 0;  ///< memory of the compiler's own structures; 0: the default (256 MiB)
  size_t nodes = 0;      ///< nodes plus edges of the compiled form; 0: the default (20,000,000)
  double seconds = 0;    ///< wall-clock limit; 0: none (work and memory bound it)
  /// "auto" (the engine picks per catalog), "diagram" or "dnnf".
  std::string form = "auto";
  /// Called about twice a second while compiling: seconds, work done, nodes built so far.
  std::function<void(double seconds, uint64_t work, size_t nodes)> progress;
};

/// What compilation built, or why it built nothing.
struct CompileReport {
  bool compiled = false;
  std::string form;  ///< "decision diagram" or "d-DNNF" when compiled
  size_t nodes = 0, edges = 0;
  double seconds = 0;
  uint64_t work = 0;
  std::string reason;      ///< when not compiled: which budget ran out, or what cannot be stated
  bool from_file = false;  ///< loaded from a compiled file rather than compiled here
  /// Prices are on the compiled form too (a d-DNNF whose models carry their price: see
  /// docs/architecture.md): price ranges and configure answer there. False for a catalog with
  /// no prices, or when the priced form did not compile (`priced_reason` then says why).
  bool priced = false;
  std::string priced_reason;
  /// When the catalog did not compile whole (`compiled` false) but did without these rules: a
  /// relaxed form on which configure, domains and price ranges answer, each answer checked
  /// against them (search answers where one breaks them); counts and analysis do not use it.
  std::vector<std::string> left_out;
};

/// The number of valid products (under some choices).
struct Count {
  /// false when the catalog has no compiled form (the search back end cannot count): `count` is
  /// then empty and `reason` says why.
  bool exact = false;
  std::string count;  ///< decimal digits (counts reach hundreds of digits)
  std::string reason;
};

/// One value of an option, slot, service, product or block quantity, in an analysis.
struct ValueAnalysis {
  Value value;
  /// Valid products with this value (empty without a compiled form, or when the limit ran out
  /// before it was written: Analysis::complete is then false).
  std::string count;
  double share = 0;   ///< count / total (0 without a compiled form)
  bool dead = false;  ///< in no valid product
  bool core = false;  ///< in every valid product
};

struct VariableAnalysis {
  std::string name;
  std::string kind;  ///< option, slot, service, product, quantity (a block's count in a slot)
  std::vector<ValueAnalysis> values;
  /// An optional feature (a child of `parent` not declared mandatory) that every valid product
  /// with its parent has: declared optional, yet never optional.
  bool false_optional = false;
};

struct Analysis {
  bool feasible = true;  ///< false: the catalog makes no product at all
  /// false: a limit stopped the analysis: without a compiled form dead and core values are then
  /// unknown (`dead`/`core` empty) when it struck first; false-optional options and value counts
  /// may be missing.
  bool complete = true;
  bool counted = false;  ///< per-value counts and the total are exact (a compiled form exists)
  std::string total;     ///< number of valid products (when counted)
  std::string reason;    ///< why there are no counts
  std::vector<VariableAnalysis> variables;
  /// Shortcuts: "NAME=VALUE" for every dead and every core value, and the false-optional names.
  std::vector<std::string> dead, core, false_optional;
};

/// A variable of the catalog as counting, analysis and sampling see it: an option, a slot (values
/// `none` and its blocks), a service (false, true), the product, or for a slot that holds several
/// blocks, each block's quantity in it (named SLOT.BLOCK, values 0, 1, ...).
struct Column {
  std::string name;
  std::string kind;  ///< option, slot, service, product, quantity
  std::vector<Value> values;
};

/// Products drawn by sample(), as a value index per column (compact: a feature model has
/// thousands of columns).
struct Samples {
  /// false when the catalog has no compiled form: uniform sampling needs one (`reason` says why).
  bool uniform = false;
  std::string reason;
  std::vector<Column> columns;
  std::vector<std::vector<uint32_t>> products;  ///< per product, per column: index into values
  /// The value product `p` takes in column `c`.
  const Value& value(size_t p, size_t c) const { return columns[c].values[products[p][c]]; }
};

}  // namespace sumisura
