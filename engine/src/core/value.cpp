// Decimal and Value: exact numbers and the values of options, attributes and table cells.
#include "sumisura/value.hpp"

#include <limits>
#include <stdexcept>

namespace sumisura {

Decimal Decimal::from_integer(int64_t value) {
  int64_t units = 0;
  if (__builtin_mul_overflow(value, kScale, &units)) {
    throw std::overflow_error("number " + std::to_string(value) + " is too large");
  }
  return Decimal(units);
}

std::optional<Decimal> Decimal::parse(std::string_view text) {
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
    negative = text[i] == '-';
    ++i;
  }
  __int128 units = 0;
  int digits = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++digits) {
    units = units * 10 + (text[i] - '0');
    if (units > std::numeric_limits<int64_t>::max()) return std::nullopt;
  }
  units *= kScale;
  int decimals = 0;
  if (i < text.size() && text[i] == '.') {
    ++i;
    __int128 place = kScale;
    for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++decimals) {
      place /= 10;
      if (place == 0) {
        if (text[i] != '0') return std::nullopt;  // more than six significant decimals
        continue;
      }
      units += place * (text[i] - '0');
    }
  }
  if (i != text.size() || digits + decimals == 0) return std::nullopt;
  if (units > std::numeric_limits<int64_t>::max()) return std::nullopt;
  return Decimal(negative ? -static_cast<int64_t>(units) : static_cast<int64_t>(units));
}

std::string Decimal::to_string() const {
  // Work on the magnitude as unsigned so that the most negative value is printed correctly.
  uint64_t magnitude = units_ < 0 ? 0 - static_cast<uint64_t>(units_) : units_;
  std::string text = std::to_string(magnitude / kScale);
  uint64_t fraction = magnitude % kScale;
  if (fraction != 0) {
    std::string digits = std::to_string(fraction);
    digits.insert(0, kDigits - digits.size(), '0');
    while (!digits.empty() && digits.back() == '0') digits.pop_back();
    text += "." + digits;
  }
  return units_ < 0 ? "-" + text : text;
}

std::string Decimal::to_fixed(int decimals) const {
  if (decimals < 0) decimals = 0;
  if (decimals > kDigits) decimals = kDigits;
  int64_t step = 1;
  for (int i = decimals; i < kDigits; ++i) step *= 10;
  uint64_t magnitude = units_ < 0 ? 0 - static_cast<uint64_t>(units_) : units_;
  uint64_t rounded = (magnitude + step / 2) / step;  // half away from zero
  uint64_t place = kScale / step;
  std::string text = std::to_string(rounded / place);
  if (decimals > 0) {
    std::string digits = std::to_string(rounded % place);
    digits.insert(0, decimals - digits.size(), '0');
    text += "." + digits;
  }
  bool negative = units_ < 0 && rounded != 0;
  return negative ? "-" + text : text;
}

Value Value::boolean(bool b) {
  Value v;
  v.kind_ = ValueKind::boolean;
  v.boolean_ = b;
  return v;
}

Value Value::number(Decimal d) {
  Value v;
  v.kind_ = ValueKind::number;
  v.number_ = d;
  return v;
}

Value Value::string(std::string s) {
  Value v;
  v.kind_ = ValueKind::string;
  v.string_ = std::move(s);
  return v;
}

Value Value::list(std::vector<Value> items) {
  Value v;
  v.kind_ = ValueKind::list;
  v.list_ = std::move(items);
  return v;
}

std::string Value::to_string() const {
  switch (kind_) {
    case ValueKind::boolean:
      return boolean_ ? "true" : "false";
    case ValueKind::number:
      return number_.to_string();
    case ValueKind::string:
      return string_;
    case ValueKind::list: {
      std::string text = "[";
      for (size_t i = 0; i < list_.size(); ++i) {
        if (i) text += ", ";
        text += list_[i].to_string();
      }
      return text + "]";
    }
  }
  return {};
}

}  // namespace sumisura
