// Building catalog parts the one way every reader builds them.
#include "sumisura/catalog.hpp"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace sumisura {

Option boolean_option(std::string id, Decimal price_when_true, Position where) {
  Option o;
  o.id = std::move(id);
  o.kind = OptionKind::boolean;
  o.values = {{Value::boolean(false), "", {}, where},
              {Value::boolean(true), "", price_when_true, where}};
  o.where = where;
  return o;
}

namespace {

/// The highest count a cardinality with gaps may name: its counts are listed one by one.
constexpr int kMaxListedCount = 10000;

}  // namespace

bool parse_cardinality(std::string_view text, Slot& slot) {
  auto trim = [](std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
  };
  auto count = [](std::string_view part, int& out) {
    auto d = Decimal::parse(std::string(part));
    if (!d || !d->is_integer() || d->integer_part() < 0 || d->integer_part() > 1000000)
      return false;
    out = static_cast<int>(d->integer_part());
    return true;
  };
  // Intervals first, merged, so that "0..1000000" costs nothing and many of them little.
  std::vector<std::pair<int, int>> ranges;
  while (true) {
    size_t comma = text.find(',');
    std::string_view item = trim(text.substr(0, comma));
    int low = 0, high = 0;
    size_t dots = item.find("..");
    bool ok = dots == std::string_view::npos ? count(item, low) && count(item, high)
                                             : count(trim(item.substr(0, dots)), low) &&
                                                   count(trim(item.substr(dots + 2)), high);
    if (ok && low > high && comma == std::string_view::npos && ranges.empty()) {
      // "3..1" alone: taken as written, for validation to say which bound is wrong.
      slot.min = low;
      slot.max = high;
      slot.counts.clear();
      return true;
    }
    if (!ok || low > high) return false;
    ranges.push_back({low, high});
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  std::sort(ranges.begin(), ranges.end());
  std::vector<std::pair<int, int>> merged;
  for (const auto& r : ranges) {
    if (!merged.empty() && r.first <= merged.back().second + 1)
      merged.back().second = std::max(merged.back().second, r.second);
    else
      merged.push_back(r);
  }
  // Gaps are listed count by count: up to kMaxListedCount.
  if (merged.size() > 1 && merged.back().second > kMaxListedCount) return false;
  slot.min = merged.front().first;
  slot.max = merged.back().second;
  slot.counts.clear();
  if (merged.size() > 1) {
    for (const auto& [low, high] : merged)
      for (int k = low; k <= high; ++k) slot.counts.push_back(k);
  }
  return true;
}

std::string cardinality_text(const Slot& s) {
  if (s.counts.empty())
    return s.min == s.max ? std::to_string(s.min)
                          : std::to_string(s.min) + ".." + std::to_string(s.max);
  std::string out;
  for (size_t i = 0; i < s.counts.size(); ++i) {
    // Runs of three or more consecutive counts are written as ranges.
    size_t j = i;
    while (j + 1 < s.counts.size() && s.counts[j + 1] == s.counts[j] + 1) ++j;
    if (!out.empty()) out += ", ";
    if (j >= i + 2) {
      out += std::to_string(s.counts[i]) + ".." + std::to_string(s.counts[j]);
      i = j;
    } else {
      out += std::to_string(s.counts[i]);
    }
  }
  return out;
}

bool allows_count(const Slot& s, int count) {
  if (count < s.min || count > s.max) return false;
  return s.counts.empty() || std::binary_search(s.counts.begin(), s.counts.end(), count);
}

const char* to_string(AttributeType t) {
  switch (t) {
    case AttributeType::number:
      return "number";
    case AttributeType::string:
      return "string";
    case AttributeType::boolean:
      return "boolean";
    case AttributeType::number_set:
      return "number_set";
    case AttributeType::string_set:
      return "string_set";
  }
  return "number";
}

}  // namespace sumisura
