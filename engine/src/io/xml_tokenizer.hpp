// A small XML tokenizer, enough for XCSP 2.1 files: elements, attributes, text, comments, CDATA,
// the declaration and DOCTYPE; no namespaces, no DTD processing. Lines and byte columns are
// 1-based. Used by xcsp_reader.cpp only.
#pragma once

#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sumisura/error.hpp"

namespace sumisura::detail {

struct XmlAttribute {
  std::string_view name;
  std::string value;  // entities decoded
  Position where;
};

enum class XmlKind { start, end, text, eof, error };

struct XmlEvent {
  XmlKind kind = XmlKind::eof;
  std::string_view name;                 // start and end tags
  std::vector<XmlAttribute> attributes;  // start tags
  bool self_closing = false;             // <name ... />
  std::string_view text;                 // text and CDATA, raw
  Position where;                        // where the tag or the text begins
  std::string message;                   // errors
};

inline bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

inline bool is_name_char(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '_' || c == ':' || c == '-' || c == '.' || u >= 0x80;
}

// Appends the UTF-8 encoding of a character reference (&#65; &#x41;).
inline void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// The five predefined entities and character references; anything else is kept as written.
inline std::string decode_entities(std::string_view raw) {
  if (raw.find('&') == std::string_view::npos) return std::string(raw);
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '&') {
      out += raw[i];
      continue;
    }
    size_t semi = raw.find(';', i);
    if (semi == std::string_view::npos || semi - i > 10) {
      out += raw[i];
      continue;
    }
    std::string_view name = raw.substr(i + 1, semi - i - 1);
    uint32_t cp = 0;
    bool numeric = false;
    if (name.size() > 1 && name[0] == '#') {
      bool hex = name[1] == 'x' || name[1] == 'X';
      std::string_view digits = name.substr(hex ? 2 : 1);
      auto [p, ec] =
          std::from_chars(digits.data(), digits.data() + digits.size(), cp, hex ? 16 : 10);
      numeric = ec == std::errc() && p == digits.data() + digits.size() && !digits.empty() &&
                cp <= 0x10FFFF;
    }
    if (numeric)
      append_utf8(out, cp);
    else if (name == "lt")
      out += '<';
    else if (name == "gt")
      out += '>';
    else if (name == "amp")
      out += '&';
    else if (name == "quot")
      out += '"';
    else if (name == "apos")
      out += '\'';
    else {
      out += raw[i];
      continue;
    }
    i = semi;
  }
  return out;
}

class XmlTokenizer {
 public:
  explicit XmlTokenizer(std::string_view text) : s_(text) {
    if (s_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = line_start_ = 3;  // a UTF-8 byte order mark
  }

  XmlEvent next() {
    while (true) {
      if (pos_ >= s_.size()) return event(XmlKind::eof, here());
      if (s_[pos_] != '<') return text_event();
      if (starts_with("<!--")) {
        Position at = here();
        size_t end = s_.find("-->", pos_ + 4);
        if (end == std::string_view::npos)
          return error(at, "comment '<!--' is never closed with '-->'");
        advance_to(end + 3);
        continue;
      }
      if (starts_with("<![CDATA[")) {
        Position at = here();
        size_t end = s_.find("]]>", pos_ + 9);
        if (end == std::string_view::npos)
          return error(at, "CDATA section is never closed with ']]>'");
        XmlEvent e = event(XmlKind::text, at);
        e.text = s_.substr(pos_ + 9, end - pos_ - 9);
        advance_to(end + 3);
        return e;
      }
      if (starts_with("<?")) {
        Position at = here();
        size_t end = s_.find("?>", pos_ + 2);
        if (end == std::string_view::npos)
          return error(at, "'<?' declaration is never closed with '?>'");
        advance_to(end + 2);
        continue;
      }
      if (starts_with("<!")) {
        if (!skip_declaration()) return error(here(), "'<!' declaration is never closed with '>'");
        continue;
      }
      if (starts_with("</")) return end_tag();
      return start_tag();
    }
  }

 private:
  Position here() const { return {line_, static_cast<int>(pos_ - line_start_ + 1)}; }

  // Moves to `target`, counting the lines passed on the way.
  void advance_to(size_t target) {
    target = std::min(target, s_.size());
    const char* p = s_.data() + pos_;
    const char* end = s_.data() + target;
    while (p < end) {
      const void* nl = std::memchr(p, '\n', end - p);
      if (!nl) break;
      p = static_cast<const char*>(nl) + 1;
      ++line_;
      line_start_ = p - s_.data();
    }
    pos_ = target;
  }

  bool starts_with(std::string_view prefix) const {
    return s_.substr(pos_, prefix.size()) == prefix;
  }

  XmlEvent event(XmlKind kind, Position at) const {
    XmlEvent e;
    e.kind = kind;
    e.where = at;
    return e;
  }
  XmlEvent error(Position at, std::string message) {
    XmlEvent e = event(XmlKind::error, at);
    e.message = std::move(message);
    pos_ = s_.size();  // there is no reliable way to go on after malformed markup
    return e;
  }

  XmlEvent text_event() {
    XmlEvent e = event(XmlKind::text, here());
    size_t end = s_.find('<', pos_);
    if (end == std::string_view::npos) end = s_.size();
    e.text = s_.substr(pos_, end - pos_);
    advance_to(end);
    return e;
  }

  // <!DOCTYPE ...> possibly with an internal subset in brackets.
  bool skip_declaration() {
    int brackets = 0;
    for (size_t i = pos_ + 2; i < s_.size(); ++i) {
      if (s_[i] == '[')
        ++brackets;
      else if (s_[i] == ']')
        --brackets;
      else if (s_[i] == '>' && brackets <= 0) {
        advance_to(i + 1);
        return true;
      }
    }
    return false;
  }

  std::string_view name() {
    size_t start = pos_;
    while (pos_ < s_.size() && is_name_char(s_[pos_])) ++pos_;
    return s_.substr(start, pos_ - start);
  }
  void skip_spaces() {
    size_t i = pos_;
    while (i < s_.size() && is_space(s_[i])) ++i;
    advance_to(i);
  }

  XmlEvent end_tag() {
    XmlEvent e = event(XmlKind::end, here());
    pos_ += 2;
    e.name = name();
    if (e.name.empty()) return error(e.where, "expected an element name after '</'");
    skip_spaces();
    if (pos_ >= s_.size() || s_[pos_] != '>') {
      return error(here(), "closing tag </" + std::string(e.name) + " is not ended by '>'");
    }
    ++pos_;
    return e;
  }

  XmlEvent start_tag() {
    XmlEvent e = event(XmlKind::start, here());
    ++pos_;
    e.name = name();
    if (e.name.empty()) {
      return error(e.where,
                   "'<' must start a tag such as <domain ...>; write '&lt;' for a literal '<'");
    }
    std::string tag = "<" + std::string(e.name);
    while (true) {
      size_t before = pos_;
      skip_spaces();
      if (pos_ >= s_.size())
        return error(e.where,
                     "tag " + tag + " is cut off by the end of the file: is it truncated?");
      char c = s_[pos_];
      if (c == '>') {
        ++pos_;
        return e;
      }
      if (c == '/') {
        if (pos_ + 1 < s_.size() && s_[pos_ + 1] == '>') {
          pos_ += 2;
          e.self_closing = true;
          return e;
        }
        return error(here(), "stray '/' in tag " + tag + "; a tag ends with '>' or '/>'");
      }
      if (c == '<')
        return error(e.where, "tag " + tag + " is not closed with '>' before the next '<'");
      if (pos_ == before)
        return error(here(), "attributes of tag " + tag + " must be separated by spaces");
      Position at = here();
      std::string_view attr = name();
      if (attr.empty()) {
        return error(at, "unexpected '" + std::string(1, c) + "' in tag " + tag +
                             "; expected an attribute name=\"value\"");
      }
      skip_spaces();
      if (pos_ >= s_.size() || s_[pos_] != '=') {
        return error(here(), "attribute " + std::string(attr) + " of " + tag +
                                 " needs a value: " + std::string(attr) + "=\"...\"");
      }
      ++pos_;
      skip_spaces();
      if (pos_ >= s_.size() || (s_[pos_] != '"' && s_[pos_] != '\'')) {
        return error(here(), "the value of attribute " + std::string(attr) + " must be in quotes");
      }
      char quote = s_[pos_];
      size_t close = s_.find(quote, pos_ + 1);
      if (close == std::string_view::npos) {
        return error(here(), "the value of attribute " + std::string(attr) +
                                 " is never closed with " + std::string(1, quote));
      }
      std::string value = decode_entities(s_.substr(pos_ + 1, close - pos_ - 1));
      advance_to(close + 1);
      for (const auto& a : e.attributes) {
        if (a.name == attr)
          return error(at, "attribute " + std::string(attr) + " is given twice in " + tag);
      }
      e.attributes.push_back({attr, std::move(value), at});
    }
  }

  std::string_view s_;
  size_t pos_ = 0;
  size_t line_start_ = 0;
  int line_ = 1;
};

}  // namespace sumisura::detail
