// The UVL lexer: the text as logical lines of tokens, with their positions. Used by
// uvl_reader.cpp only.
#pragma once

#include <cctype>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/deadline.hpp"
#include "sumisura/error.hpp"

namespace sumisura::detail::uvl {

// 'text' in messages, cut at 60 characters. (Built with += : GCC 12 warns falsely on "'" + s.)
inline std::string quoted(std::string_view s) {
  std::string out(1, '\'');
  out.append(s.substr(0, 60));
  out += '\'';
  return out;
}

// Lexer: the text as logical lines of tokens. Newlines inside (), [] and {} do not end a line,
// so attribute blocks and parenthesised constraints may span several.

enum class Tok {
  name,    // unquoted identifier
  quoted,  // "name with spaces"
  string,  // 'text' (attribute values)
  number,
  lbrace,
  rbrace,
  lbracket,
  rbracket,
  lparen,
  rparen,
  comma,
  dot,
  range,
  star,
  bang,
  amp,
  bar,
  implies,
  iff,
  other,  // comparison and arithmetic symbols: never valid in the Boolean subset we read
};

struct Token {
  Tok kind;
  std::string text;
  Position where;
};

struct Line {
  std::string_view indent;  // the leading tabs and spaces
  Position where;           // of the first token
  std::vector<Token> tokens;
};

inline bool is_name_char(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return std::isalnum(u) || c == '_' || c == '#' || c == '%' || c == '?' || u >= 0x80;
}

inline std::string describe_indent(std::string_view indent) {
  size_t tabs = std::count(indent.begin(), indent.end(), '\t');
  size_t spaces = indent.size() - tabs;
  if (indent.empty()) return "no indentation";
  std::string out;
  if (tabs) out += std::to_string(tabs) + (tabs == 1 ? " tab" : " tabs");
  if (tabs && spaces) out += " and ";
  if (spaces) out += std::to_string(spaces) + (spaces == 1 ? " space" : " spaces");
  return out;
}

class Lexer {
 public:
  Lexer(std::string_view text, std::vector<Line>& lines) : s_(text), lines_(lines) {
    if (s_.substr(0, 3) == "\xEF\xBB\xBF") i_ = line_start_ = 3;  // a UTF-8 byte order mark
  }

  // Fills the lines; on a lexical error returns false with `failure` set.
  bool run(Diagnostic& failure) {
    bool line_start = true;
    std::string_view indent;
    while (i_ < s_.size()) {
      check_deadline();
      if (line_start && open_.empty()) {
        size_t j = i_;
        while (j < s_.size() && (s_[j] == ' ' || s_[j] == '\t')) ++j;
        indent = s_.substr(i_, j - i_);
        i_ = j;
        line_start = false;
        current_ = -1;
        continue;
      }
      char c = s_[i_];
      if (c == '\n') {
        newline();
        line_start = true;
        continue;
      }
      if (c == ' ' || c == '\t' || c == '\r') {
        ++i_;
        continue;
      }
      if (c == '/' && peek(1) == '/') {
        while (i_ < s_.size() && s_[i_] != '\n') ++i_;
        continue;
      }
      if (c == '/' && peek(1) == '*') {
        Position at = here();
        size_t end = s_.find("*/", i_ + 2);
        if (end == std::string_view::npos)
          return fail(failure, at, "comment '/*' is never closed with '*/'");
        while (i_ < end + 2) {
          if (s_[i_] == '\n')
            newline();
          else
            ++i_;
        }
        continue;
      }
      if (current_ < 0) {
        lines_.push_back({indent, here(), {}});
        current_ = static_cast<int>(lines_.size()) - 1;
      }
      if (!token(failure)) return false;
    }
    if (!open_.empty()) {
      auto [bracket, at] = open_.back();
      return fail(failure, at,
                  std::string("'") + bracket + "' is never closed; add the matching '" +
                      closing(bracket) + "'");
    }
    return true;
  }

 private:
  char peek(size_t ahead) const { return i_ + ahead < s_.size() ? s_[i_ + ahead] : '\0'; }
  Position here() const { return {line_, static_cast<int>(i_ - line_start_ + 1)}; }
  void newline() {
    ++i_;
    ++line_;
    line_start_ = i_;
  }
  static char closing(char open) { return open == '(' ? ')' : open == '[' ? ']' : '}'; }
  static bool fail(Diagnostic& failure, Position at, std::string message) {
    failure.position = at;
    failure.message = std::move(message);
    return false;
  }
  void push(Tok kind, std::string text, Position at) {
    lines_[current_].tokens.push_back({kind, std::move(text), at});
  }

  bool token(Diagnostic& failure) {
    Position at = here();
    char c = s_[i_];
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isdigit(u)) {
      size_t j = i_;
      while (j < s_.size() && std::isdigit(static_cast<unsigned char>(s_[j]))) ++j;
      // 64BIT: a name starting with digits (UVL asks for quotes; reading it is harmless)
      bool name = j < s_.size() && is_name_char(s_[j]);
      while (name && j < s_.size() && is_name_char(s_[j])) ++j;
      if (!name && j + 1 < s_.size() && s_[j] == '.' &&
          std::isdigit(static_cast<unsigned char>(s_[j + 1]))) {
        ++j;  // a decimal (attribute value)
        while (j < s_.size() && std::isdigit(static_cast<unsigned char>(s_[j]))) ++j;
      }
      push(name ? Tok::name : Tok::number, std::string(s_.substr(i_, j - i_)), at);
      i_ = j;
      return true;
    }
    if (is_name_char(c)) {
      size_t j = i_;
      while (j < s_.size() && is_name_char(s_[j])) ++j;
      push(Tok::name, std::string(s_.substr(i_, j - i_)), at);
      i_ = j;
      return true;
    }
    if (c == '"' || c == '\'') {
      size_t j = i_ + 1;
      while (j < s_.size() && s_[j] != c && s_[j] != '\n') ++j;
      if (j >= s_.size() || s_[j] != c) {
        return fail(failure, at,
                    std::string(c == '"' ? "quoted name" : "string") + " is not closed with " +
                        std::string(1, c) + " on the same line");
      }
      push(c == '"' ? Tok::quoted : Tok::string, std::string(s_.substr(i_ + 1, j - i_ - 1)), at);
      i_ = j + 1;
      return true;
    }
    if (u < 0x20 || u == 0x7f) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02x", u);
      return fail(
          failure, at,
          std::string("unexpected control character ") + hex + ": is this a UVL text file?");
    }
    auto symbol = [&](Tok kind, size_t length) {
      push(kind, std::string(s_.substr(i_, length)), at);
      i_ += length;
      return true;
    };
    switch (c) {
      case '(':
      case '[':
      case '{':
        open_.push_back({c, at});
        break;
      case ')':
      case ']':
      case '}':
        if (open_.empty() || closing(open_.back().first) != c) {
          return fail(failure, at,
                      open_.empty()
                          ? std::string("'") + c + "' closes nothing"
                          : std::string("'") + c + "' does not match the '" + open_.back().first +
                                "' at line " + std::to_string(open_.back().second.line));
        }
        open_.pop_back();
        break;
      default:
        break;
    }
    switch (c) {
      case '(':
        return symbol(Tok::lparen, 1);
      case ')':
        return symbol(Tok::rparen, 1);
      case '[':
        return symbol(Tok::lbracket, 1);
      case ']':
        return symbol(Tok::rbracket, 1);
      case '{':
        return symbol(Tok::lbrace, 1);
      case '}':
        return symbol(Tok::rbrace, 1);
      case ',':
        return symbol(Tok::comma, 1);
      case '*':
        return symbol(Tok::star, 1);
      case '!':
        return peek(1) == '=' ? symbol(Tok::other, 2) : symbol(Tok::bang, 1);
      case '&':
        return symbol(Tok::amp, peek(1) == '&' ? 2 : 1);
      case '|':
        return symbol(Tok::bar, peek(1) == '|' ? 2 : 1);
      case '.':
        return peek(1) == '.' ? symbol(Tok::range, 2) : symbol(Tok::dot, 1);
      case '=':
        if (peek(1) == '>') return symbol(Tok::implies, 2);
        return symbol(Tok::other, peek(1) == '=' ? 2 : 1);
      case '<':
        if (peek(1) == '=' && peek(2) == '>') return symbol(Tok::iff, 3);
        return symbol(Tok::other, peek(1) == '=' ? 2 : 1);
      case '>':
        return symbol(Tok::other, peek(1) == '=' ? 2 : 1);
      case '+':
      case '-':
      case '/':
        return symbol(Tok::other, 1);
      default:
        break;
    }
    return fail(failure, at,
                "unexpected character " + quoted(std::string_view(&s_[i_], 1)) +
                    "; names with spaces or special characters are written in double quotes");
  }

  std::string_view s_;
  std::vector<Line>& lines_;
  size_t i_ = 0, line_start_ = 0;
  int line_ = 1;
  int current_ = -1;
  std::vector<std::pair<char, Position>> open_;
};

}  // namespace sumisura::detail::uvl
