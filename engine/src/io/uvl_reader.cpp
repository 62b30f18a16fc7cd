// Reads UVL feature models: each feature becomes a Boolean option, the tree and each cross-tree
// constraint become rules in the expression language (docs/importers.md).
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/deadline.hpp"
#include "core/dispose.hpp"
#include "io/readers.hpp"
#include "io/uvl_lexer.hpp"
#include "model/expression.hpp"
#include "model/resolve.hpp"

namespace sumisura::detail {
namespace {

using namespace uvl;  // NOLINT: the lexer's types are this reader's vocabulary

constexpr int kMaxErrors = 50;
// Constraint nesting beyond this is refused: the expression language stops at 200 levels.
constexpr int kMaxNesting = 100;

// ---------------------------------------------------------------------------------------------
// The reader: sections, the feature tree, and constraints.

enum class GroupKind { mandatory, optional, alternative, or_group, cardinality };

struct Feature {
  std::string name;
  std::string description;
  int parent_group = -1;  // -1 for the root
  Position where;
};

struct Group {
  GroupKind kind;
  int64_t low = 0, high = -1;  // cardinality; high -1 means '*'
  int parent = -1;             // feature
  std::vector<int> children;   // features
  Position where;
};

// A constraint translated to the expression language, with how loosely it binds:
// 0 iff, 1 implies, 2 or, 3 and, 4 not and names.
struct Translated {
  std::string text;
  int level = 4;
};

class UvlReader {
 public:
  UvlReader(const std::string& text, std::string source, std::vector<Diagnostic>& diagnostics)
      : text_(text), source_(std::move(source)), diagnostics_(diagnostics) {}

  Catalog read() {
    Catalog c;  // when the time limit runs out, freed off the clock (40 ms and more)
    detail::DisposeOnThrow<Catalog> unless_done(c);
    c.source = source_;
    c.currency = "EUR";
    Diagnostic failure;
    Lexer lexer(text_, lines_);
    if (!lexer.run(failure)) {
      error(failure.position, failure.message);
      return c;
    }
    sections();
    if (errors_ == 0 && root_ < 0) {
      error({1, 1},
            "no features: a UVL model has a 'features' section with one root feature indented "
            "under it");
    }
    if (errors_ > 0) return c;
    build(c);
    return c;
  }

 private:
  void error(Position pos, std::string message) {
    if (errors_ >= kMaxErrors) return;
    ++errors_;
    diagnostics_.push_back({Severity::error, source_, pos, std::move(message)});
  }
  void warning(Position pos, std::string message) {
    diagnostics_.push_back({Severity::warning, source_, pos, std::move(message)});
  }

  static bool is_word(const Token& t, std::string_view word) {
    return t.kind == Tok::name && t.text == word;
  }

  // The indented lines after a section keyword at line `k`: [k + 1, end).
  size_t block_end(size_t k) const {
    size_t end = k + 1;
    while (end < lines_.size() && !lines_[end].indent.empty()) ++end;
    return end;
  }

  void sections() {
    bool seen_features = false, seen_constraints = false;
    size_t k = 0;
    while (k < lines_.size() && errors_ < kMaxErrors) {
      const Line& line = lines_[k];
      const Token& first = line.tokens.front();
      size_t end = block_end(k);
      if (!line.indent.empty()) {
        error(line.where,
              "unexpected indentation: a UVL model starts with 'namespace', 'features' or "
              "'constraints' at the beginning of a line");
        k = end;
        continue;
      }
      if (is_word(first, "namespace")) {
        if (line.tokens.size() != 2 ||
            (line.tokens[1].kind != Tok::name && line.tokens[1].kind != Tok::quoted)) {
          error(line.where, "write the namespace as 'namespace NAME'");
        } else {
          namespace_ = line.tokens[1].text;
        }
      } else if (is_word(first, "features") || is_word(first, "constraints")) {
        bool features = first.text == "features";
        bool& seen = features ? seen_features : seen_constraints;
        if (line.tokens.size() != 1) {
          error(line.tokens[1].where,
                "'" + first.text +
                    "' stands alone on its line; put what follows on the next lines, indented");
        } else if (seen) {
          error(line.where, "a second '" + first.text + "' section; a UVL model has one");
        } else if (!features && !seen_features) {
          error(line.where,
                "'constraints' comes before 'features'; constraints name features declared above "
                "them");
        } else if (features) {
          feature_tree(k + 1, end);
        } else if (!tree_failed_) {  // against a broken tree, every name would look unknown
          constraints(k + 1, end);
        }
        seen = true;
      } else if (is_word(first, "imports") || is_word(first, "include")) {
        error(line.where, "'" + first.text +
                              "' is not supported: Sumisura reads one self-contained UVL model "
                              "with Boolean features; merge the other models into this file");
      } else {
        error(first.where,
              "unexpected " + quoted(first.text) +
                  " at the top level: a UVL model has the sections "
                  "'namespace', 'features' and 'constraints', each at the beginning of a line");
        return;  // most likely not UVL at all: one message says it
      }
      k = end;
    }
  }

  // --- the feature tree ----------------------------------------------------------------------
  struct Open {
    std::string_view indent;
    bool group;
    int index;
  };

  // Reads the tree; stops at its first error, since what follows hangs on a misread structure.
  void feature_tree(size_t begin, size_t end) {
    int errors_before = errors_;
    tree(begin, end);
    tree_failed_ = errors_ > errors_before;
  }

  void tree(size_t begin, size_t end) {
    std::vector<Open> stack;
    for (size_t k = begin; k < end && errors_ < kMaxErrors; ++k) {
      check_deadline(source_);
      const Line& line = lines_[k];
      // Leave the lines indented as deep or deeper: the new line is their sibling or an uncle.
      bool dedented = false;
      while (!stack.empty() && stack.back().indent.size() > line.indent.size()) {
        stack.pop_back();
        dedented = true;
      }
      if (!stack.empty() && stack.back().indent.size() == line.indent.size()) {
        if (stack.back().indent != line.indent) {
          error(line.where, "indentation mixes tabs and spaces differently from the line above (" +
                                describe_indent(line.indent) + " here, " +
                                describe_indent(stack.back().indent) +
                                " there); indent consistently");
          return;
        }
        stack.pop_back();
      } else if (dedented) {
        error(line.where, "this line's indentation (" + describe_indent(line.indent) +
                              ") matches no enclosing line; indent it like its siblings");
        return;
      }
      if (!stack.empty() &&
          line.indent.substr(0, stack.back().indent.size()) != stack.back().indent) {
        error(line.where,
              "indentation mixes tabs and spaces differently from the enclosing line (" +
                  describe_indent(line.indent) + " here, " + describe_indent(stack.back().indent) +
                  " there); indent consistently");
        return;
      }
      const Open* parent = stack.empty() ? nullptr : &stack.back();
      int group = -1;
      if (group_line(line, group)) {
        if (group < 0) return;  // reported
        if (!parent || parent->group) {
          error(line.where, "group " + quoted(line.tokens[0].text) +
                                " must be indented under a feature: it says how that feature's "
                                "children are chosen");
          return;
        }
        groups_[group].parent = parent->index;
        stack.push_back({line.indent, true, group});
        continue;
      }
      if (parent && !parent->group) {
        const Token& t = line.tokens[0];
        error(t.where, quoted(t.text) + " under feature " + quoted(features_[parent->index].name) +
                           " is not a group: write mandatory, optional, alternative, or, or a "
                           "cardinality [n..m] "
                           "on its own line, and indent the child features under it");
        return;
      }
      if (!parent && root_ >= 0) {
        error(line.where,
              "a second root feature: a UVL model has exactly one root, and every other feature is "
              "indented under a group of its parent");
        return;
      }
      int feature = feature_line(line);
      if (feature < 0) return;  // reported
      if (parent) {
        features_[feature].parent_group = parent->index;
        groups_[parent->index].children.push_back(feature);
      } else {
        root_ = feature;
      }
      stack.push_back({line.indent, false, feature});
    }
  }

  // Whether `line` is a group line (mandatory, optional, alternative, or, [n..m]). Sets `group`
  // to the new group, or -1 when the line was malformed (and reported).
  bool group_line(const Line& line, int& group) {
    const Token& t = line.tokens[0];
    Group g;
    g.where = t.where;
    if (t.kind == Tok::lbracket) {
      if (!cardinality(line, g)) {
        group = -1;
        return true;
      }
    } else if (t.kind == Tok::name && line.tokens.size() == 1) {
      if (t.text == "mandatory")
        g.kind = GroupKind::mandatory;
      else if (t.text == "optional")
        g.kind = GroupKind::optional;
      else if (t.text == "alternative")
        g.kind = GroupKind::alternative;
      else if (t.text == "or")
        g.kind = GroupKind::or_group;
      else
        return false;
    } else if (t.kind == Tok::name && line.tokens.size() > 1 &&
               (t.text == "mandatory" || t.text == "optional" || t.text == "alternative" ||
                t.text == "or") &&
               line.tokens[1].kind != Tok::lbrace) {
      error(line.tokens[1].where, "group " + quoted(t.text) +
                                      " stands alone on its line; put its features on the "
                                      "next lines, indented under it");
      group = -1;
      return true;
    } else {
      return false;
    }
    group = static_cast<int>(groups_.size());
    groups_.push_back(std::move(g));
    return true;
  }

  // [n], [n..m], [n..*]
  bool cardinality(const Line& line, Group& g) {
    const auto& t = line.tokens;
    auto number = [&](const Token& token, int64_t& out) {
      auto [p, ec] = std::from_chars(token.text.data(), token.text.data() + token.text.size(), out);
      return token.kind == Tok::number && ec == std::errc() &&
             p == token.text.data() + token.text.size() && out <= 1'000'000;
    };
    g.kind = GroupKind::cardinality;
    bool ok = false;
    if (t.size() == 3 && number(t[1], g.low) && t[2].kind == Tok::rbracket) {
      g.high = g.low;
      ok = true;
    } else if (t.size() == 5 && number(t[1], g.low) && t[2].kind == Tok::range &&
               t[4].kind == Tok::rbracket) {
      if (t[3].kind == Tok::star) {
        g.high = -1;
        ok = true;
      } else {
        ok = number(t[3], g.high);
      }
    }
    if (!ok) {
      error(t[0].where,
            "malformed group cardinality: write [n], [n..m] or [n..*] with whole numbers, alone on "
            "its line");
      return false;
    }
    if (g.high >= 0 && g.low > g.high) {
      error(t[0].where, "group cardinality [" + std::to_string(g.low) + ".." +
                            std::to_string(g.high) + "]: the lower bound exceeds the upper bound");
      return false;
    }
    return true;
  }

  // NAME, "NAME", Boolean NAME, each optionally followed by {attributes}. Returns the feature or
  // -1.
  int feature_line(const Line& line) {
    const auto& t = line.tokens;
    size_t i = 0;
    if (t.size() > 1 && t[0].kind == Tok::name &&
        (t[1].kind == Tok::name || t[1].kind == Tok::quoted)) {
      if (t[0].text == "Integer" || t[0].text == "Real" || t[0].text == "String") {
        error(t[0].where, t[0].text + " feature " + quoted(t[1].text) +
                              ": typed (numeric or text) features are not "
                              "supported; Sumisura reads Boolean features only");
        return -1;
      }
      if (t[0].text == "Boolean") i = 1;
    }
    if (t[i].kind != Tok::name && t[i].kind != Tok::quoted) {
      error(t[i].where, "expected a feature name, found " + quoted(t[i].text));
      return -1;
    }
    Feature f;
    f.name = t[i].text;
    f.where = t[i].where;
    if (f.name.empty()) {
      error(t[i].where, "empty feature name \"\"");
      return -1;
    }
    ++i;
    if (i < t.size() && t[i].kind == Tok::dot) {
      error(
          t[i].where,
          "dotted names refer to features of imported models, which are not supported; write names "
          "with dots in double quotes");
      return -1;
    }
    if (i < t.size() && is_word(t[i], "cardinality")) {
      error(t[i].where,
            "feature cardinalities (clones of " + quoted(f.name) + ") are not supported");
      return -1;
    }
    if (i < t.size() && t[i].kind == Tok::lbrace) {
      if (!attributes(t, i, f)) return -1;
    }
    if (i < t.size()) {
      error(t[i].where,
            "unexpected " + quoted(t[i].text) + " after feature " + quoted(f.name) +
                "; names with spaces or special characters are written in double quotes");
      return -1;
    }
    auto [it, fresh] = feature_index_.emplace(f.name, static_cast<int>(features_.size()));
    if (!fresh) {
      error(f.where, "feature " + quoted(f.name) + " is declared twice (first at line " +
                         std::to_string(features_[it->second].where.line) +
                         "); feature names are unique");
      return -1;
    }
    features_.push_back(std::move(f));
    return static_cast<int>(features_.size()) - 1;
  }

  // {abstract, abstract true, featureDescription__ "text", key value, ...} from t[i] ('{'); leaves
  // i after the '}'. Descriptions are kept; other attributes carry no Boolean meaning and are
  // skipped.
  bool attributes(const std::vector<Token>& t, size_t& i, Feature& f) {
    ++i;
    while (i < t.size() && t[i].kind != Tok::rbrace) {
      const Token& key = t[i];
      if (key.kind != Tok::name && key.kind != Tok::quoted && key.kind != Tok::string) {
        error(key.where, "expected an attribute name in the braces of " + quoted(f.name) +
                             ", found " + quoted(key.text));
        return false;
      }
      if (key.text == "constraint" || key.text == "constraints") {
        error(key.where,
              "constraints inside feature attributes are not supported; move them to the "
              "'constraints' section");
        return false;
      }
      ++i;
      size_t value = i;
      int depth = 0;
      while (i < t.size() && (depth > 0 || (t[i].kind != Tok::comma && t[i].kind != Tok::rbrace))) {
        if (t[i].kind == Tok::lbrace || t[i].kind == Tok::lbracket || t[i].kind == Tok::lparen)
          ++depth;
        if (t[i].kind == Tok::rbrace || t[i].kind == Tok::rbracket || t[i].kind == Tok::rparen)
          --depth;
        ++i;
      }
      bool text_value =
          i == value + 1 && (t[value].kind == Tok::quoted || t[value].kind == Tok::string);
      if ((key.text == "featureDescription__" || key.text == "description") && text_value) {
        f.description = t[value].text;
      }
      if (i < t.size() && t[i].kind == Tok::comma) ++i;
    }
    if (i >= t.size()) {
      error(t.back().where, "the attributes of " + quoted(f.name) + " are not closed with '}'");
      return false;
    }
    ++i;  // '}'
    return true;
  }

  // --- cross-tree constraints ----------------------------------------------------------------
  void constraints(size_t begin, size_t end) {
    for (size_t k = begin; k < end && errors_ < kMaxErrors; ++k) {
      check_deadline(source_);
      const Line& line = lines_[k];
      tokens_ = &line.tokens;
      next_ = 0;
      depth_ = 0;
      failed_ = false;
      Translated e = equivalence();
      if (!failed_ && next_ < tokens_->size()) {
        const Token& t = (*tokens_)[next_];
        fail(t, t.kind == Tok::rparen
                    ? "')' closes nothing"
                    : "unexpected " + quoted(t.text) + "; expected an operator (&, |, =>, <=>)");
      }
      if (failed_) continue;
      constraints_.push_back({std::move(e.text), line.where});
    }
  }

  const Token* peek() const { return next_ < tokens_->size() ? &(*tokens_)[next_] : nullptr; }
  void fail(const Token& at, std::string message) {
    if (failed_) return;
    failed_ = true;
    error(at.where, std::move(message));
  }
  void fail_at_end(std::string message) {
    if (failed_) return;
    failed_ = true;
    error(tokens_->back().where, std::move(message));
  }

  static std::string wrap(const Translated& t, int at_least) {
    return t.level >= at_least ? t.text : "(" + t.text + ")";
  }

  // UVL's operators bind, loosest first: <=>, =>, |, &, ! (left-associative). The expression
  // language has the same order, but its `implies` groups to the right, so parentheses keep
  // UVL's reading wherever they could differ.
  // Counts nesting ('(' and '!') so that a pathological line cannot exhaust the stack.
  struct Nesting {
    UvlReader& r;
    bool ok;
    explicit Nesting(UvlReader& reader) : r(reader), ok(++reader.depth_ <= kMaxNesting) {
      if (ok) return;
      if (const Token* t = r.peek())
        r.fail(*t, "constraint nested too deeply (more than 100 levels)");
      else
        r.fail_at_end("constraint nested too deeply (more than 100 levels)");
    }
    ~Nesting() { --r.depth_; }
  };

  Translated equivalence() {
    Nesting nesting(*this);
    if (!nesting.ok) return {};
    Translated left = implication();
    while (!failed_ && peek() && peek()->kind == Tok::iff) {
      ++next_;
      Translated right = implication();
      left = {wrap(left, 0) + " iff " + wrap(right, 1), 0};
    }
    return left;
  }
  Translated implication() {
    Translated left = disjunction();
    while (!failed_ && peek() && peek()->kind == Tok::implies) {
      ++next_;
      Translated right = disjunction();
      left = {wrap(left, 2) + " implies " + wrap(right, 2), 1};
    }
    return left;
  }
  Translated disjunction() {
    Translated left = conjunction();
    while (!failed_ && peek() && peek()->kind == Tok::bar) {
      ++next_;
      Translated right = conjunction();
      if (left.level != 2) left = {wrap(left, 2), 2};
      left.text += " or " + wrap(right, 2);
    }
    return left;
  }
  Translated conjunction() {
    Translated left = negation();
    while (!failed_ && peek() && peek()->kind == Tok::amp) {
      ++next_;
      Translated right = negation();
      if (left.level != 3) left = {wrap(left, 3), 3};
      left.text += " and " + wrap(right, 3);
    }
    return left;
  }
  Translated negation() {
    const Token* t = peek();
    if (!t) {
      fail_at_end("the constraint ends where a feature name or '(' is expected");
      return {};
    }
    if (t->kind == Tok::bang) {
      Nesting nesting(*this);
      if (!nesting.ok) return {};
      ++next_;
      Translated inner = negation();
      return {"not " + wrap(inner, 4), 4};
    }
    if (t->kind == Tok::lparen) {
      ++next_;
      Translated inner = equivalence();
      if (failed_) return {};
      if (!peek() || peek()->kind != Tok::rparen) {
        if (peek())
          fail(*peek(), "expected ')' to close the '(' at column " +
                            std::to_string(t->where.column) + ", found " + quoted(peek()->text));
        else
          fail_at_end("the '(' at column " + std::to_string(t->where.column) + " is never closed");
        return {};
      }
      ++next_;
      return inner;
    }
    if (t->kind == Tok::name || t->kind == Tok::quoted) {
      ++next_;
      const Token* after = peek();
      if (after && after->kind == Tok::dot) {
        fail(*after,
             "dotted names refer to features of imported models or attributes, which are not "
             "supported");
        return {};
      }
      if (after && after->kind == Tok::lparen && t->kind == Tok::name) {
        fail(*t, "function " + t->text +
                     "(...) is not supported: Sumisura reads Boolean constraints "
                     "(!, &, |, =>, <=>) over features");
        return {};
      }
      if (after && after->kind == Tok::other) {
        fail(*after, "numeric constraints (comparisons and arithmetic such as " +
                         quoted(after->text) +
                         ") are not supported: Sumisura reads Boolean constraints (!, &, |, =>, "
                         "<=>) over features");
        return {};
      }
      auto it = feature_index_.find(t->text);
      if (it == feature_index_.end()) {
        fail(*t, "unknown feature " + quoted(t->text) + " in a constraint" + suggestion(t->text) +
                     "; every feature is declared in the 'features' section");
        return {};
      }
      return {quote_name(t->text), 4};
    }
    if (t->kind == Tok::number || t->kind == Tok::string || t->kind == Tok::other) {
      fail(*t,
           "numeric and text constraints are not supported: Sumisura reads Boolean constraints (!, "
           "&, |, =>, "
           "<=>) over features");
      return {};
    }
    fail(*t, "unexpected " + quoted(t->text) + " where a feature name, '!' or '(' is expected");
    return {};
  }

  std::string suggestion(const std::string& name) {
    if (features_.size() > 5000) return "";  // too many names for a cheap hint
    std::vector<std::string> names;
    for (const auto& f : features_) names.push_back(f.name);
    std::string best = closest_name(name, names);
    return best.empty() ? "" : " (did you mean " + quoted(best) + "?)";
  }

  // --- the catalog ---------------------------------------------------------------------------
  void rule(Catalog& c, std::string id, std::string expression, Position where,
            std::string message) {
    Rule r;
    r.id = std::move(id);
    r.kind = RuleKind::require;
    r.expression = std::move(expression);
    r.message = std::move(message);
    r.where = where;
    r.expression_where = where;
    c.rules.push_back(std::move(r));
  }

  void build(Catalog& c) {
    c.name = namespace_.empty() ? source_ : namespace_;
    c.options.reserve(features_.size());
    std::vector<std::string> names(features_.size());
    for (size_t f = 0; f < features_.size(); ++f) {
      names[f] = quote_name(features_[f].name);
      Option o = sumisura::boolean_option(features_[f].name, {}, features_[f].where);
      o.description = features_[f].description;
      c.options.push_back(std::move(o));
    }
    for (const Group& g : groups_) {
      for (int child : g.children) {
        c.options[child].parent = features_[g.parent].name;
        c.options[child].mandatory = g.kind == GroupKind::mandatory;
      }
    }
    int tree = 0;
    auto tree_rule = [&](std::string expression, Position where, std::string message) {
      rule(c, "tree-" + std::to_string(++tree), std::move(expression), where, std::move(message));
    };
    auto plain = [&](int f) { return features_[f].name; };
    tree_rule(names[root_], features_[root_].where, plain(root_) + " is always selected");
    for (const Group& g : groups_) {
      const std::string& parent = names[g.parent];
      if (g.children.empty()) {
        warning(g.where, "group without features under " + quoted(features_[g.parent].name) +
                             "; it is ignored");
        continue;
      }
      std::string list, shown;  // shown: the children's names for messages, at most eight
      for (size_t i = 0; i < g.children.size(); ++i) {
        int child = g.children[i];
        tree_rule(names[child] + " implies " + parent, features_[child].where,
                  plain(child) + " needs " + plain(g.parent));
        if (g.kind == GroupKind::mandatory)
          tree_rule(parent + " implies " + names[child], features_[child].where,
                    plain(g.parent) + " always includes " + plain(child));
        list += (list.empty() ? "" : ", ") + names[child];
        if (i < 8) shown += (shown.empty() ? "" : ", ") + plain(child);
        if (i == 8) shown += ", ...";
      }
      const std::string& owner = plain(g.parent);
      std::string count = "count(" + list + ")";
      switch (g.kind) {
        case GroupKind::mandatory:
        case GroupKind::optional:
          break;
        case GroupKind::alternative:
          tree_rule(parent + " implies " + count + " == 1", g.where,
                    owner + " takes exactly one of " + shown);
          break;
        case GroupKind::or_group: {
          std::string any;
          for (int child : g.children) any += (any.empty() ? "" : " or ") + names[child];
          tree_rule(parent + " implies " + (g.children.size() > 1 ? "(" + any + ")" : any), g.where,
                    owner + " takes at least one of " + shown);
          break;
        }
        case GroupKind::cardinality: {
          std::string low = g.low > 0 ? std::to_string(g.low) + " <= " + count : "";
          std::string high = g.high >= 0 ? count + " <= " + std::to_string(g.high) : "";
          std::string bounds = g.high < 0        ? "at least " + std::to_string(g.low)
                               : g.low == g.high ? "exactly " + std::to_string(g.low)
                                                 : "between " + std::to_string(g.low) + " and " +
                                                       std::to_string(g.high);
          std::string message = owner + " takes " + bounds + " of " + shown;
          if (!low.empty() && !high.empty())
            tree_rule(parent + " implies (" + low + " and " + high + ")", g.where, message);
          else if (!low.empty() || !high.empty())
            tree_rule(parent + " implies " + low + high, g.where, message);
          break;
        }
      }
    }
    for (size_t k = 0; k < constraints_.size(); ++k) {
      check_deadline(source_);
      std::string message = "constraint " + std::to_string(k + 1) + ": " + constraints_[k].first;
      rule(c, "constraint-" + std::to_string(k + 1), std::move(constraints_[k].first),
           constraints_[k].second, std::move(message));
    }
  }

  const std::string& text_;
  std::string source_;
  std::vector<Diagnostic>& diagnostics_;
  int errors_ = 0;
  std::vector<Line> lines_;
  std::string namespace_;
  std::vector<Feature> features_;
  std::vector<Group> groups_;
  std::unordered_map<std::string, int> feature_index_;
  int root_ = -1;
  bool tree_failed_ = false;
  std::vector<std::pair<std::string, Position>> constraints_;
  // The constraint being parsed.
  const std::vector<Token>* tokens_ = nullptr;
  size_t next_ = 0;
  int depth_ = 0;
  bool failed_ = false;
};

}  // namespace

Catalog read_uvl(const std::string& text, const std::string& source,
                 std::vector<Diagnostic>& diagnostics) {
  UvlReader reader(text, source, diagnostics);
  return reader.read();
}

}  // namespace sumisura::detail
