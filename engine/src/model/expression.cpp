// Lexer and recursive-descent parser of the rule expression language (docs/catalog-format.md).
#include "model/expression.hpp"

#include <array>
#include <cctype>

namespace sumisura::detail {
namespace {

enum class Tok {
  end,
  number,
  string,
  ident,
  quoted_ident,
  lparen,
  rparen,
  lbracket,
  rbracket,
  comma,
  dot,
  eq,
  ne,
  lt,
  le,
  gt,
  ge,
  plus,
  minus,
  star,
  bang,
  and_sym,
  or_sym,
  implies_sym,
  iff_sym,
  kw_and,
  kw_or,
  kw_not,
  kw_implies,
  kw_iff,
  kw_in,
  kw_true,
  kw_false,
  kw_none,
  bad,
};

struct Token {
  Tok kind = Tok::end;
  std::string text;
  Position pos;
};

constexpr int kMaxDepth = 200;  // nesting beyond this is refused rather than overflowing the stack

bool ident_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool ident_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

struct Keyword {
  const char* word;
  Tok tok;
};
constexpr std::array<Keyword, 9> kKeywords = {{{"and", Tok::kw_and},
                                               {"or", Tok::kw_or},
                                               {"not", Tok::kw_not},
                                               {"implies", Tok::kw_implies},
                                               {"iff", Tok::kw_iff},
                                               {"in", Tok::kw_in},
                                               {"true", Tok::kw_true},
                                               {"false", Tok::kw_false},
                                               {"none", Tok::kw_none}}};

class Lexer {
 public:
  Lexer(std::string_view text, Position start)
      : text_(text), line_(start.line), col_(start.column) {}

  Token next() {
    skip_space();
    Token t;
    t.pos = {line_, col_};
    if (i_ >= text_.size()) return t;
    char c = text_[i_];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      size_t s = i_;
      while (i_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[i_]))) advance();
      if (i_ + 1 < text_.size() && text_[i_] == '.' &&
          std::isdigit(static_cast<unsigned char>(text_[i_ + 1]))) {
        advance();
        while (i_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[i_]))) advance();
      }
      t.kind = Tok::number;
      t.text = std::string(text_.substr(s, i_ - s));
      return t;
    }
    if (ident_start(c)) {
      size_t s = i_;
      while (i_ < text_.size() && ident_char(text_[i_])) advance();
      t.text = std::string(text_.substr(s, i_ - s));
      t.kind = Tok::ident;
      for (const auto& k : kKeywords) {
        if (t.text == k.word) t.kind = k.tok;
      }
      return t;
    }
    if (c == '"' || c == '\'') return quoted(c, Tok::string);
    if (c == '`') return quoted('`', Tok::quoted_ident);
    advance();
    auto two = [&](char second, Tok yes, Tok no) {
      if (i_ < text_.size() && text_[i_] == second) {
        advance();
        return yes;
      }
      return no;
    };
    switch (c) {
      case '(':
        t.kind = Tok::lparen;
        break;
      case ')':
        t.kind = Tok::rparen;
        break;
      case '[':
        t.kind = Tok::lbracket;
        break;
      case ']':
        t.kind = Tok::rbracket;
        break;
      case ',':
        t.kind = Tok::comma;
        break;
      case '.':
        t.kind = Tok::dot;
        break;
      case '+':
        t.kind = Tok::plus;
        break;
      case '-':
        t.kind = Tok::minus;
        break;
      case '*':
        t.kind = Tok::star;
        break;
      case '!':
        t.kind = two('=', Tok::ne, Tok::bang);
        break;
      case '&':
        t.kind = Tok::and_sym;
        two('&', Tok::and_sym, Tok::and_sym);
        break;
      case '|':
        t.kind = Tok::or_sym;
        two('|', Tok::or_sym, Tok::or_sym);
        break;
      case '>':
        t.kind = two('=', Tok::ge, Tok::gt);
        break;
      case '=':
        if (i_ < text_.size() && text_[i_] == '>') {
          advance();
          t.kind = Tok::implies_sym;
        } else if (i_ < text_.size() && text_[i_] == '=') {
          advance();
          t.kind = Tok::eq;
        } else {
          t.kind = Tok::bad;
          t.text = "'=' is not an operator: write == to compare";
        }
        break;
      case '<':
        if (i_ + 1 < text_.size() && text_[i_] == '=' && text_[i_ + 1] == '>') {
          advance();
          advance();
          t.kind = Tok::iff_sym;
        } else {
          t.kind = two('=', Tok::le, Tok::lt);
        }
        break;
      default:
        t.kind = Tok::bad;
        t.text = std::string("unexpected character '") + c + "'";
        if (static_cast<unsigned char>(c) < 32 || static_cast<unsigned char>(c) >= 127) {
          t.text =
              "unexpected character (byte " + std::to_string(static_cast<unsigned char>(c)) + ")";
        }
    }
    return t;
  }

 private:
  void advance() {
    if (text_[i_] == '\n') {
      ++line_;
      col_ = 1;
    } else {
      ++col_;
    }
    ++i_;
  }
  void skip_space() {
    while (i_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[i_]))) advance();
  }
  Token quoted(char q, Tok kind) {
    Token t;
    t.pos = {line_, col_};
    advance();
    while (i_ < text_.size()) {
      char c = text_[i_];
      if (c == q) {
        // A doubled backtick stands for one backtick inside a quoted name.
        if (q == '`' && i_ + 1 < text_.size() && text_[i_ + 1] == '`') {
          t.text += '`';
          advance();
          advance();
          continue;
        }
        advance();
        t.kind = kind;
        return t;
      }
      if (c == '\\' && q != '`' && i_ + 1 < text_.size()) {
        advance();
        t.text += text_[i_];
        advance();
        continue;
      }
      t.text += c;
      advance();
    }
    t.kind = Tok::bad;
    t.text = q == '`' ? "unterminated quoted name: add the closing `"
                      : std::string("unterminated string: add the closing ") + q;
    return t;
  }

  std::string_view text_;
  size_t i_ = 0;
  int line_, col_;
};

class Parser {
 public:
  Parser(std::string_view text, Position start) : lexer_(text, start) { shift(); }

  ExprPtr parse(ParseFailure& failure) {
    ExprPtr e = iff();
    if (e && cur_.kind != Tok::end)
      fail(cur_.pos, "unexpected " + describe(cur_) + " after the expression");
    if (e && !failed_ && too_deep(*e))
      fail(e->pos, "expression nested too deeply (more than 200 levels)");
    if (failed_) {
      failure = failure_;
      return nullptr;
    }
    return e;
  }

 private:
  void shift() {
    cur_ = lexer_.next();
    if (cur_.kind == Tok::bad) fail(cur_.pos, cur_.text);
  }
  void fail(Position pos, std::string message) {
    if (failed_) return;
    failed_ = true;
    failure_ = {pos, std::move(message)};
  }
  // Iterative, so that checking a degenerate tree cannot itself overflow the stack.
  static bool too_deep(const Expr& root) {
    std::vector<std::pair<const Expr*, int>> stack{{&root, 1}};
    while (!stack.empty()) {
      auto [e, depth] = stack.back();
      stack.pop_back();
      if (depth > kMaxDepth) return true;
      for (const auto& a : e->args) stack.push_back({a.get(), depth + 1});
    }
    return false;
  }
  static std::string describe(const Token& t) {
    switch (t.kind) {
      case Tok::end:
        return "end of expression";
      case Tok::number:
        return "number " + t.text;
      case Tok::string:
        return "string \"" + t.text + "\"";
      case Tok::ident:
      case Tok::quoted_ident:
        return "name '" + t.text + "'";
      default: {
        // Appending rather than "'" + symbol(...): GCC 12 warns falsely (-Wrestrict) on the latter.
        std::string quoted = "'";
        quoted += symbol(t.kind);
        quoted += '\'';
        return quoted;
      }
    }
  }
  static std::string symbol(Tok k) {
    switch (k) {
      case Tok::lparen:
        return "(";
      case Tok::rparen:
        return ")";
      case Tok::lbracket:
        return "[";
      case Tok::rbracket:
        return "]";
      case Tok::comma:
        return ",";
      case Tok::dot:
        return ".";
      case Tok::eq:
        return "==";
      case Tok::ne:
        return "!=";
      case Tok::lt:
        return "<";
      case Tok::le:
        return "<=";
      case Tok::gt:
        return ">";
      case Tok::ge:
        return ">=";
      case Tok::plus:
        return "+";
      case Tok::minus:
        return "-";
      case Tok::star:
        return "*";
      case Tok::bang:
        return "!";
      case Tok::and_sym:
        return "&";
      case Tok::or_sym:
        return "|";
      case Tok::implies_sym:
        return "=>";
      case Tok::iff_sym:
        return "<=>";
      case Tok::kw_and:
        return "and";
      case Tok::kw_or:
        return "or";
      case Tok::kw_not:
        return "not";
      case Tok::kw_implies:
        return "implies";
      case Tok::kw_iff:
        return "iff";
      case Tok::kw_in:
        return "in";
      case Tok::kw_true:
        return "true";
      case Tok::kw_false:
        return "false";
      case Tok::kw_none:
        return "none";
      default:
        return "?";
    }
  }
  ExprPtr make(Op op, Position pos) {
    auto e = std::make_unique<Expr>();
    e->op = op;
    e->pos = pos;
    return e;
  }
  ExprPtr binary(Op op, Position pos, ExprPtr a, ExprPtr b) {
    if (!a || !b) return nullptr;
    // and / or / + are n-ary: long chains stay one flat node instead of a deep tree.
    if ((op == Op::logical_and || op == Op::logical_or || op == Op::add) && a->op == op) {
      a->args.push_back(std::move(b));
      return a;
    }
    auto e = make(op, pos);
    e->args.push_back(std::move(a));
    e->args.push_back(std::move(b));
    return e;
  }
  struct DepthGuard {
    Parser& p;
    bool ok;
    explicit DepthGuard(Parser& parser) : p(parser), ok(++parser.depth_ <= kMaxDepth) {
      if (!ok) p.fail(p.cur_.pos, "expression nested too deeply (more than 200 levels)");
    }
    ~DepthGuard() { --p.depth_; }
  };

  ExprPtr iff() {
    DepthGuard guard(*this);
    if (!guard.ok) return nullptr;
    ExprPtr left = implies();
    while (!failed_ && (cur_.kind == Tok::kw_iff || cur_.kind == Tok::iff_sym)) {
      Position pos = cur_.pos;
      shift();
      left = binary(Op::iff, pos, std::move(left), implies());
    }
    return left;
  }
  ExprPtr implies() {
    ExprPtr left = disjunction();
    if (!failed_ && (cur_.kind == Tok::kw_implies || cur_.kind == Tok::implies_sym)) {
      Position pos = cur_.pos;
      shift();
      DepthGuard guard(*this);
      if (!guard.ok) return nullptr;
      return binary(Op::implies, pos, std::move(left), implies());  // right-associative
    }
    return left;
  }
  ExprPtr disjunction() {
    ExprPtr left = conjunction();
    while (!failed_ && (cur_.kind == Tok::kw_or || cur_.kind == Tok::or_sym)) {
      Position pos = cur_.pos;
      shift();
      left = binary(Op::logical_or, pos, std::move(left), conjunction());
    }
    return left;
  }
  ExprPtr conjunction() {
    ExprPtr left = negation();
    while (!failed_ && (cur_.kind == Tok::kw_and || cur_.kind == Tok::and_sym)) {
      Position pos = cur_.pos;
      shift();
      left = binary(Op::logical_and, pos, std::move(left), negation());
    }
    return left;
  }
  ExprPtr negation() {
    if (cur_.kind == Tok::kw_not || cur_.kind == Tok::bang) {
      DepthGuard guard(*this);
      if (!guard.ok) return nullptr;
      Position pos = cur_.pos;
      shift();
      ExprPtr inner = negation();
      if (!inner) return nullptr;
      auto e = make(Op::logical_not, pos);
      e->args.push_back(std::move(inner));
      return e;
    }
    return comparison();
  }
  ExprPtr comparison() {
    ExprPtr left = additive();
    if (failed_) return nullptr;
    Op op;
    switch (cur_.kind) {
      case Tok::eq:
        op = Op::eq;
        break;
      case Tok::ne:
        op = Op::ne;
        break;
      case Tok::lt:
        op = Op::lt;
        break;
      case Tok::le:
        op = Op::le;
        break;
      case Tok::gt:
        op = Op::gt;
        break;
      case Tok::ge:
        op = Op::ge;
        break;
      case Tok::kw_in:
        op = Op::in;
        break;
      case Tok::kw_not:
        op = Op::not_in;
        break;
      default:
        return left;
    }
    Position pos = cur_.pos;
    shift();
    if (op == Op::not_in) {
      if (cur_.kind != Tok::kw_in) {
        fail(cur_.pos, "expected 'in' after 'not' (write 'x not in [...]', or put 'not' first)");
        return nullptr;
      }
      shift();
    }
    ExprPtr right = additive();
    auto e = binary(op, pos, std::move(left), std::move(right));
    if (!failed_) {
      switch (cur_.kind) {
        case Tok::eq:
        case Tok::ne:
        case Tok::lt:
        case Tok::le:
        case Tok::gt:
        case Tok::ge:
        case Tok::kw_in:
          fail(cur_.pos, "comparisons cannot be chained: write 'a < b and b < c'");
          return nullptr;
        default:
          break;
      }
    }
    return e;
  }
  ExprPtr additive() {
    ExprPtr left = multiplicative();
    while (!failed_ && (cur_.kind == Tok::plus || cur_.kind == Tok::minus)) {
      Op op = cur_.kind == Tok::plus ? Op::add : Op::sub;
      Position pos = cur_.pos;
      shift();
      left = binary(op, pos, std::move(left), multiplicative());
    }
    return left;
  }
  ExprPtr multiplicative() {
    ExprPtr left = unary();
    while (!failed_ && cur_.kind == Tok::star) {
      Position pos = cur_.pos;
      shift();
      left = binary(Op::mul, pos, std::move(left), unary());
    }
    return left;
  }
  ExprPtr unary() {
    if (cur_.kind == Tok::minus) {
      DepthGuard guard(*this);
      if (!guard.ok) return nullptr;
      Position pos = cur_.pos;
      shift();
      ExprPtr inner = unary();
      if (!inner) return nullptr;
      if (inner->op == Op::number) {  // fold "-3" into a literal
        auto value = Decimal::from_units(-inner->number.units());
        inner->number = value;
        inner->pos = pos;
        return inner;
      }
      auto e = make(Op::negate, pos);
      e->args.push_back(std::move(inner));
      return e;
    }
    return postfix();
  }
  ExprPtr postfix() {
    ExprPtr e = primary();
    while (e && !failed_) {
      // `hd_units[2]`, `hd_units[1].cages[2]`: an instance of an assembly is a name or a path
      // step with its number in brackets (a list never follows a name directly).
      if ((e->op == Op::name || e->op == Op::member) && cur_.kind == Tok::lbracket) {
        Lexer saved = lexer_;
        Token bracket = cur_;
        shift();
        Token number = cur_;
        if (number.kind == Tok::number && number.text.find('.') == std::string::npos) {
          shift();
          if (cur_.kind == Tok::rbracket) {
            shift();
            e->text += "[" + number.text + "]";
            continue;
          }
        }
        lexer_ = saved;  // not an instance number: leave the tokens to the caller
        cur_ = bracket;
        break;
      }
      if (cur_.kind != Tok::dot) break;
      Position pos = cur_.pos;
      shift();
      if (cur_.kind != Tok::ident && cur_.kind != Tok::quoted_ident) {
        fail(cur_.pos, "expected an attribute name after '.', found " + describe(cur_));
        return nullptr;
      }
      auto m = make(Op::member, pos);
      m->text = cur_.text;
      m->args.push_back(std::move(e));
      e = std::move(m);
      shift();
    }
    return e;
  }
  ExprPtr primary() {
    Token t = cur_;
    switch (t.kind) {
      case Tok::number: {
        shift();
        auto value = Decimal::parse(t.text);
        if (!value) {
          fail(t.pos, "number " + t.text + " is too large or has more than 6 decimals");
          return nullptr;
        }
        auto e = make(Op::number, t.pos);
        e->number = *value;
        return e;
      }
      case Tok::string: {
        shift();
        auto e = make(Op::string, t.pos);
        e->text = t.text;
        return e;
      }
      case Tok::kw_true:
      case Tok::kw_false: {
        shift();
        auto e = make(Op::boolean, t.pos);
        e->boolean = t.kind == Tok::kw_true;
        return e;
      }
      case Tok::kw_none:
        shift();
        return make(Op::none, t.pos);
      case Tok::ident:
      case Tok::quoted_ident: {
        shift();
        if (cur_.kind == Tok::lparen && t.kind == Tok::ident) return call(t);
        auto e = make(Op::name, t.pos);
        e->text = t.text;
        e->quoted = t.kind == Tok::quoted_ident;
        return e;
      }
      case Tok::lparen: {
        shift();
        ExprPtr inner = iff();
        if (failed_) return nullptr;
        if (cur_.kind != Tok::rparen) {
          fail(cur_.pos, "expected ')' to close the '(' at column " + std::to_string(t.pos.column) +
                             ", found " + describe(cur_));
          return nullptr;
        }
        shift();
        return inner;
      }
      case Tok::lbracket: {
        shift();
        auto e = make(Op::list, t.pos);
        if (!items(e.get(), Tok::rbracket, "]")) return nullptr;
        return e;
      }
      case Tok::bad:
        return nullptr;
      default:
        fail(t.pos, "expected a value, a name or '(', found " + describe(t));
        return nullptr;
    }
  }
  ExprPtr call(const Token& name) {
    auto e = make(Op::call, name.pos);
    e->text = name.text;
    shift();  // '('
    if (!items(e.get(), Tok::rparen, ")")) return nullptr;
    return e;
  }
  bool items(Expr* parent, Tok close, const char* close_text) {
    DepthGuard guard(*this);
    if (!guard.ok) return false;
    if (cur_.kind == close) {
      shift();
      return true;
    }
    while (true) {
      ExprPtr item = iff();
      if (!item || failed_) return false;
      parent->args.push_back(std::move(item));
      if (cur_.kind == Tok::comma) {
        shift();
        continue;
      }
      if (cur_.kind == close) {
        shift();
        return true;
      }
      fail(cur_.pos, std::string("expected ',' or '") + close_text + "', found " + describe(cur_));
      return false;
    }
  }

  Lexer lexer_;
  Token cur_;
  bool failed_ = false;
  ParseFailure failure_;
  int depth_ = 0;
};

}  // namespace

ExprPtr parse_expression(std::string_view text, Position start, ParseFailure& failure) {
  if (start.line <= 0) start = {1, 1};
  Parser parser(text, start);
  ExprPtr e = parser.parse(failure);
  if (!e && failure.message.empty()) failure = {start, "empty expression"};
  return e;
}

bool is_plain_identifier(std::string_view name) {
  if (name.empty() || !ident_start(name[0])) return false;
  for (char c : name) {
    if (!ident_char(c)) return false;
  }
  for (const auto& k : kKeywords) {
    if (name == k.word) return false;
  }
  return true;
}

std::string quote_name(std::string_view name) {
  if (is_plain_identifier(name)) return std::string(name);
  std::string out = "`";
  for (char c : name) {
    out += c;
    if (c == '`') out += '`';
  }
  return out + "`";
}

std::string quote_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

const char* op_symbol(Op op) {
  switch (op) {
    case Op::eq:
      return "==";
    case Op::ne:
      return "!=";
    case Op::lt:
      return "<";
    case Op::le:
      return "<=";
    case Op::gt:
      return ">";
    case Op::ge:
      return ">=";
    case Op::in:
      return "in";
    case Op::not_in:
      return "not in";
    case Op::add:
      return "+";
    case Op::sub:
      return "-";
    case Op::mul:
      return "*";
    case Op::logical_and:
      return "and";
    case Op::logical_or:
      return "or";
    case Op::logical_not:
      return "not";
    case Op::implies:
      return "implies";
    case Op::iff:
      return "iff";
    case Op::negate:
      return "-";
    default:
      return "?";
  }
}

}  // namespace sumisura::detail
