// Reads XCSP 2.1 extension models: each variable becomes an integer option, each constraint a
// table rule over its relation's tuples (docs/importers.md).
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/deadline.hpp"
#include "core/dispose.hpp"
#include "io/readers.hpp"
#include "io/xml_tokenizer.hpp"
#include "model/expression.hpp"
#include "model/resolve.hpp"

namespace sumisura::detail {
namespace {

// ---------------------------------------------------------------------------------------------
// The XCSP 2.1 reader proper.

// Values beyond this cannot be exact decimals (Decimal holds value * 10^6 in 64 bits).
constexpr int64_t kMaxAbsValue = 1'000'000'000'000;
// The same bound as a YAML `range`: a guard against a mistyped 0..99999999.
constexpr size_t kMaxDomainValues = 100'000;
constexpr int kMaxErrors = 50;
// Variables share domains and constraints share relations, so a small file can ask for huge
// catalogs; these bound what the catalog may hold (renault-big: 1,273 values, 1.2 million cells).
constexpr size_t kMaxOptionValues = 10'000'000;
constexpr size_t kMaxTableCells = 50'000'000;

// 'text' in messages, cut at 60 characters. (Built with += : GCC 12 warns falsely on "'" + s.)
std::string quoted(std::string_view s) {
  std::string out(1, '\'');
  out.append(s.substr(0, 60));
  out += '\'';
  return out;
}

class XcspReader {
 public:
  XcspReader(const std::string& text, std::string source, std::vector<Diagnostic>& diagnostics)
      : xml_(text), source_(std::move(source)), diagnostics_(diagnostics) {}

  Catalog read() {
    Catalog c;  // when the time limit runs out, freed off the clock (40 ms and more)
    detail::DisposeOnThrow<Catalog> unless_done(c);
    c.source = source_;
    c.currency = "EUR";
    document();
    if (!stopped() && errors_ == 0) resolve();
    if (errors_ > 0) return c;
    build(c);
    return c;
  }

 private:
  struct Domain {
    std::string name;
    std::vector<int64_t> values;  // as written, ranges expanded
    std::vector<int64_t> sorted;  // for membership tests
    bool single_range = false;    // written as one "LOW..HIGH"
    Position where;
  };
  struct Variable {
    std::string name;
    std::string domain_name;
    int domain = -1;
    Position where;
  };
  struct Relation {
    std::string name;
    int arity = 0;
    bool supports = true;
    std::vector<int64_t> tuples;  // flat, arity values per tuple
    std::vector<int> tuple_lines;
    Position where;
  };
  struct Constraint {
    std::string name;
    std::vector<std::string> scope_names;
    std::vector<int> scope;
    std::string reference;
    int relation = -1;
    Position where;
  };

  // --- diagnostics ---------------------------------------------------------------------------
  void error(Position pos, std::string message) {
    if (errors_ >= kMaxErrors) return;
    ++errors_;
    diagnostics_.push_back({Severity::error, source_, pos, std::move(message)});
  }
  bool stopped() const { return fatal_ || errors_ >= kMaxErrors; }

  // --- event stream --------------------------------------------------------------------------
  XmlEvent next() {
    if (fatal_) return {};
    check_deadline(source_);
    XmlEvent e = xml_.next();
    if (e.kind == XmlKind::error) {
      error(e.where, e.message);
      fatal_ = true;
    }
    return e;
  }

  static bool blank(std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return is_space(c); });
  }

  static const XmlAttribute* attribute(const XmlEvent& e, std::string_view name) {
    for (const auto& a : e.attributes) {
      if (a.name == name) return &a;
    }
    return nullptr;
  }

  // A required attribute; reports its absence.
  const XmlAttribute* required(const XmlEvent& e, std::string_view name) {
    const XmlAttribute* a = attribute(e, name);
    if (!a) {
      error(e.where,
            "<" + std::string(e.name) + "> needs the attribute " + std::string(name) + "=\"...\"");
    } else if (a->value.empty()) {
      error(a->where,
            "attribute " + std::string(name) + " of <" + std::string(e.name) + "> is empty");
      return nullptr;
    }
    return a;
  }

  // A count attribute such as nbValues: a whole number >= 0. Absent: -1.
  int64_t count_attribute(const XmlEvent& e, std::string_view name) {
    const XmlAttribute* a = attribute(e, name);
    if (!a) return -1;
    int64_t n = -1;
    auto [p, ec] = std::from_chars(a->value.data(), a->value.data() + a->value.size(), n);
    if (ec != std::errc() || p != a->value.data() + a->value.size() || n < 0) {
      error(a->where, std::string(name) + "=" + quoted(a->value) + " is not a whole number >= 0");
      return -1;
    }
    return n;
  }

  // "relation 'R': nbTuples="5" but 2 tuples are given; fix nbTuples"
  void check_count(const XmlEvent& e, const std::string& owner, std::string_view count_name,
                   int64_t declared, size_t actual, std::string_view items) {
    const XmlAttribute* a = attribute(e, count_name);
    if (!a || declared < 0 || static_cast<size_t>(declared) == actual) return;
    error(a->where, owner + ": " + std::string(count_name) + "=\"" + a->value + "\" but " +
                        std::to_string(actual) + " " + std::string(items) +
                        (actual == 1 ? " is" : " are") + " given; fix " + std::string(count_name) +
                        " (is the file truncated?)");
  }

  // Consumes everything up to and including the end tag of `start` (already read).
  void skip_element(const XmlEvent& start) {
    if (start.self_closing) return;
    std::vector<std::pair<std::string_view, Position>> open{{start.name, start.where}};
    while (!open.empty() && !fatal_) {
      XmlEvent e = next();
      switch (e.kind) {
        case XmlKind::start:
          if (!e.self_closing) open.push_back({e.name, e.where});
          break;
        case XmlKind::end:
          if (!close_matches(e, open.back().first, open.back().second)) return;
          open.pop_back();
          break;
        case XmlKind::eof:
          never_closed(open.back().first, open.back().second);
          return;
        default:
          break;
      }
    }
  }

  bool close_matches(const XmlEvent& end, std::string_view name, Position opened) {
    if (end.name == name) return true;
    error(end.where, "</" + std::string(end.name) + "> does not close <" + std::string(name) +
                         "> opened at line " + std::to_string(opened.line) + "; add </" +
                         std::string(name) + "> before it");
    fatal_ = true;
    return false;
  }

  void never_closed(std::string_view name, Position opened) {
    // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on "<" + std::string(name).
    std::string message(1, '<');
    message.append(name)
        .append("> is never closed: add </")
        .append(name)
        .append("> (is the file truncated?)");
    error(opened, std::move(message));
    fatal_ = true;
  }

  // Calls `child` for each child element of `parent` (which must consume it), ignoring blank text.
  template <typename F>
  void children(const XmlEvent& parent, F&& child) {
    if (parent.self_closing) return;
    while (!fatal_ && errors_ < kMaxErrors) {
      XmlEvent e = next();
      switch (e.kind) {
        case XmlKind::start:
          child(e);
          break;
        case XmlKind::end:
          close_matches(e, parent.name, parent.where);
          return;
        case XmlKind::text:
          if (!blank(e.text)) {
            error(e.where, "unexpected text " + quoted(trimmed(e.text)) + " inside <" +
                               std::string(parent.name) + ">");
          }
          break;
        case XmlKind::eof:
          never_closed(parent.name, parent.where);
          return;
        case XmlKind::error:
          return;
      }
    }
  }

  static std::string_view trimmed(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
  }

  // The text content of a leaf element (domain, relation), consuming its end tag. `where` is
  // where the text begins. Child elements are errors.
  std::string leaf_text(const XmlEvent& start, Position& where) {
    where = start.where;
    std::string text;
    if (start.self_closing) return text;
    bool first = true;
    while (!fatal_) {
      XmlEvent e = next();
      switch (e.kind) {
        case XmlKind::text:
          if (first) where = e.where;
          first = false;
          text.append(e.text);
          text += ' ';  // a comment between two pieces separates them
          break;
        case XmlKind::start:
          error(e.where, "unexpected <" + std::string(e.name) + "> inside <" +
                             std::string(start.name) + ">");
          skip_element(e);
          break;
        case XmlKind::end:
          close_matches(e, start.name, start.where);
          return text;
        case XmlKind::eof:
          never_closed(start.name, start.where);
          return text;
        case XmlKind::error:
          return text;
      }
    }
    return text;
  }

  // --- document structure --------------------------------------------------------------------
  void document() {
    bool seen_instance = false;
    while (!stopped()) {
      XmlEvent e = next();
      if (e.kind == XmlKind::eof) break;
      if (e.kind == XmlKind::error) return;
      if (e.kind == XmlKind::text) {
        if (!blank(e.text)) {
          error(e.where, "text outside the <instance> element: is this an XCSP file?");
          return;
        }
        continue;
      }
      if (e.kind == XmlKind::end) {
        error(e.where, "</" + std::string(e.name) + "> closes nothing");
        return;
      }
      if (e.name != "instance" || seen_instance) {
        error(e.where, seen_instance
                           ? "a second root element <" + std::string(e.name) + "> after </instance>"
                           : "the root element is <" + std::string(e.name) +
                                 ">, not <instance>: this is not an XCSP 2.1 file");
        return;
      }
      seen_instance = true;
      instance(e);
    }
    if (!seen_instance && !fatal_ && errors_ == 0) {
      error({1, 1}, "no <instance> element: is this an XCSP 2.1 file?");
    }
  }

  void instance(const XmlEvent& start) {
    if (const XmlAttribute* f = attribute(start, "format");
        f && f->value.find("XCSP3") != std::string::npos) {
      error(
          f->where,
          "this is an XCSP3 file; Sumisura reads XCSP 2.1 (<domains>, <relations>, <constraints>)");
      fatal_ = true;
      return;
    }
    children(start, [&](const XmlEvent& e) {
      if (e.name == "presentation") {
        if (const XmlAttribute* n = attribute(e, "name")) name_ = n->value;
        if (const XmlAttribute* f = attribute(e, "format");
            f && f->value.find("XCSP") != std::string::npos &&
            f->value.find("2.") == std::string::npos) {
          error(f->where, "format " + quoted(f->value) + ": Sumisura reads XCSP 2.1 only");
        }
        skip_element(e);
      } else if (e.name == "domains") {
        section(e, "domain", "nbDomains", [&](const XmlEvent& d) { domain(d); });
      } else if (e.name == "variables") {
        section(e, "variable", "nbVariables", [&](const XmlEvent& v) { variable(v); });
      } else if (e.name == "relations") {
        section(e, "relation", "nbRelations", [&](const XmlEvent& r) { relation(r); });
      } else if (e.name == "constraints") {
        section(e, "constraint", "nbConstraints", [&](const XmlEvent& k) { constraint(k); });
      } else if (e.name == "predicates" || e.name == "functions") {
        error(e.where,
              "<" + std::string(e.name) +
                  "> (intension constraints) are not supported: Sumisura reads extension "
                  "constraints, "
                  "given as <relations>; write each predicate as a relation listing its tuples");
        remember_intension_names(e);
      } else {
        error(e.where,
              "unknown element <" + std::string(e.name) +
                  "> in <instance>; XCSP 2.1 has presentation, domains, variables, relations, "
                  "predicates, functions and constraints");
        skip_element(e);
      }
    });
  }

  // Reads <predicates>/<functions> only for the names, so that constraints naming them get a
  // precise message instead of "unknown relation".
  void remember_intension_names(const XmlEvent& start) {
    children(start, [&](const XmlEvent& e) {
      if (const XmlAttribute* n = attribute(e, "name")) intension_names_.insert(n->value);
      skip_element(e);
    });
  }

  // A list section (<domains nbDomains="...">) of `item` elements, checking the declared count.
  template <typename F>
  void section(const XmlEvent& start, std::string_view item, std::string_view count_name,
               F&& read_item) {
    int64_t declared = count_attribute(start, count_name);
    size_t seen = 0;
    children(start, [&](const XmlEvent& e) {
      if (e.name != item) {
        error(e.where, "unexpected <" + std::string(e.name) + "> in <" + std::string(start.name) +
                           ">; expected <" + std::string(item) + ">");
        skip_element(e);
        return;
      }
      ++seen;
      read_item(e);
    });
    if (!fatal_) {
      check_count(start, "<" + std::string(start.name) + ">", count_name, declared, seen,
                  std::string(item) + (seen == 1 ? "" : "s"));
    }
  }

  // Parses one integer token; reports what is wrong with it.
  bool integer(std::string_view token, Position where, int64_t& out, std::string_view context) {
    auto [p, ec] = std::from_chars(token.data(), token.data() + token.size(), out);
    if (ec == std::errc::result_out_of_range ||
        (ec == std::errc() && (out > kMaxAbsValue || out < -kMaxAbsValue))) {
      error(where, "value " + quoted(token) + " in " + std::string(context) +
                       " is out of range (at most 10^12 in size)");
      return false;
    }
    if (ec != std::errc() || p != token.data() + token.size()) {
      error(where, quoted(token) + " in " + std::string(context) +
                       " is not an integer; values are whole numbers such as 3 or -1, or ranges "
                       "such as 0..8");
      return false;
    }
    return true;
  }

  void domain(const XmlEvent& e) {
    Domain d;
    d.where = e.where;
    const XmlAttribute* n = required(e, "name");
    int64_t declared = count_attribute(e, "nbValues");
    Position text_at;
    std::string text = leaf_text(e, text_at);
    if (!n) return;
    d.name = n->value;
    std::string context = "domain " + quoted(d.name);
    TextCursor cur(text, text_at);
    size_t tokens = 0;
    bool ok = true;
    while (ok) {
      auto [token, where] = cur.token();
      if (token.empty()) break;
      ++tokens;
      size_t dots = token.find("..", 1);
      if (dots == std::string_view::npos) {
        int64_t v = 0;
        if (!(ok = integer(token, where, v, context))) break;
        if (d.values.size() >= kMaxDomainValues) {
          error(where, context + " has more than 100,000 values; Sumisura options are smaller");
          ok = false;
          break;
        }
        d.values.push_back(v);
        continue;
      }
      int64_t low = 0, high = 0;
      if (!(ok = integer(token.substr(0, dots), where, low, context) &&
                 integer(token.substr(dots + 2), where, high, context))) {
        break;
      }
      if (low > high) {
        error(where, "range " + quoted(token) + " in " + context + " is empty: write it LOW..HIGH");
        ok = false;
        break;
      }
      if (static_cast<uint64_t>(high - low) + d.values.size() >= kMaxDomainValues) {
        error(where, context + " has more than 100,000 values; Sumisura options are smaller");
        ok = false;
        break;
      }
      for (int64_t v = low; v <= high; ++v) d.values.push_back(v);
      d.single_range = tokens == 1;
    }
    if (!ok) return;
    if (tokens != 1) d.single_range = false;
    if (d.values.empty()) {
      error(e.where,
            context +
                " has no values; list them, e.g. <domain name=\"D\" nbValues=\"3\">0..2</domain>");
      return;
    }
    check_count(e, context, "nbValues", declared, d.values.size(),
                d.values.size() == 1 ? "value" : "values");
    d.sorted = d.values;
    std::sort(d.sorted.begin(), d.sorted.end());
    if (auto dup = std::adjacent_find(d.sorted.begin(), d.sorted.end()); dup != d.sorted.end()) {
      error(text_at, context + " lists the value " + std::to_string(*dup) + " twice");
      return;
    }
    if (!domain_index_.emplace(d.name, static_cast<int>(domains_.size())).second) {
      error(n->where, "domain " + quoted(d.name) + " is declared twice");
      return;
    }
    domains_.push_back(std::move(d));
  }

  void variable(const XmlEvent& e) {
    const XmlAttribute* n = required(e, "name");
    const XmlAttribute* d = required(e, "domain");
    skip_element(e);
    if (!n || !d) return;
    if (!variable_index_.emplace(n->value, static_cast<int>(variables_.size())).second) {
      error(n->where, "variable " + quoted(n->value) + " is declared twice");
      return;
    }
    variables_.push_back({n->value, d->value, -1, e.where});
  }

  void relation(const XmlEvent& e) {
    Relation r;
    r.where = e.where;
    const XmlAttribute* n = required(e, "name");
    const XmlAttribute* semantics = required(e, "semantics");
    int64_t arity = count_attribute(e, "arity");
    int64_t declared = count_attribute(e, "nbTuples");
    if (!attribute(e, "arity")) error(e.where, "<relation> needs the attribute arity=\"...\"");
    Position text_at;
    std::string text = leaf_text(e, text_at);
    if (!n || !semantics || arity < 0) return;
    r.name = n->value;
    std::string context = "relation " + quoted(r.name);
    if (arity < 1 || arity > 10'000) {
      error(attribute(e, "arity")->where,
            context + " has arity " + std::to_string(arity) + "; it must be at least 1");
      return;
    }
    r.arity = static_cast<int>(arity);
    if (semantics->value == "supports") {
      r.supports = true;
    } else if (semantics->value == "conflicts") {
      r.supports = false;
    } else if (semantics->value == "soft") {
      error(semantics->where,
            context + " is soft (weighted): Sumisura reads hard constraints only");
      return;
    } else {
      error(semantics->where, context + " has semantics " + quoted(semantics->value) +
                                  "; it must be \"supports\" or \"conflicts\"");
      return;
    }
    if (declared > 0) {
      // Each value takes at least two characters: never reserve more than the text can hold.
      uint64_t wanted = std::min<uint64_t>(declared, text.size()) * r.arity;
      r.tuples.reserve(std::min<uint64_t>(wanted, text.size() / 2 + 1));
    }
    if (!tuples(text, text_at, r, context)) return;
    size_t count = r.tuples.size() / r.arity;
    check_count(e, context, "nbTuples", declared, count, count == 1 ? "tuple" : "tuples");
    if (!relation_index_.emplace(r.name, static_cast<int>(relations_.size())).second) {
      error(n->where, "relation " + quoted(r.name) + " is declared twice");
      return;
    }
    relations_.push_back(std::move(r));
  }

  // Whitespace-separated tokens of a text, with their positions; stops at '|' (tuple separator).
  class TextCursor {
   public:
    TextCursor(std::string_view text, Position start)
        : s_(text), line_(start.line), column0_(start.column) {}
    // Next token before the next '|' or the end; empty at a separator or the end.
    std::pair<std::string_view, Position> token() {
      while (i_ < s_.size() && is_space(s_[i_])) step();
      size_t start = i_;
      Position at = here();
      while (i_ < s_.size() && !is_space(s_[i_]) && s_[i_] != '|') ++i_;
      return {s_.substr(start, i_ - start), at};
    }
    // At a '|': consumes it and says so.
    bool separator() {
      while (i_ < s_.size() && is_space(s_[i_])) step();
      if (i_ < s_.size() && s_[i_] == '|') {
        ++i_;
        return true;
      }
      return false;
    }
    bool at_end() {
      while (i_ < s_.size() && is_space(s_[i_])) step();
      return i_ >= s_.size();
    }
    Position here() const {
      int column = static_cast<int>(i_ - line_start_) + (line_start_ == 0 ? column0_ : 1);
      return {line_, column};
    }

   private:
    void step() {
      if (s_[i_] == '\n') {
        ++line_;
        line_start_ = i_ + 1;
      }
      ++i_;
    }
    std::string_view s_;
    size_t i_ = 0, line_start_ = 0;
    int line_, column0_;
  };

  bool tuples(std::string_view text, Position text_at, Relation& r, const std::string& context) {
    TextCursor cur(text, text_at);
    size_t index = 0;
    while (!cur.at_end()) {
      check_deadline(source_);
      ++index;
      Position tuple_at = cur.here();
      int values = 0;
      while (true) {
        auto [token, where] = cur.token();
        if (token.empty()) break;
        int64_t v = 0;
        if (!integer(token, where, v, context)) return false;
        if (values < r.arity) r.tuples.push_back(v);
        ++values;
      }
      if (values == 0 && cur.at_end()) break;  // a '|' after the last tuple
      if (values != r.arity) {
        error(tuple_at, "tuple " + std::to_string(index) + " of " + context + " has " +
                            std::to_string(values) + " values but the relation's arity is " +
                            std::to_string(r.arity) + "; tuples are separated by '|'");
        return false;
      }
      r.tuple_lines.push_back(tuple_at.line);
      if (!cur.separator() && !cur.at_end())
        return false;  // unreachable: tokens stop at '|' or the end
    }
    return true;
  }

  void constraint(const XmlEvent& e) {
    Constraint k;
    k.where = e.where;
    const XmlAttribute* n = required(e, "name");
    const XmlAttribute* scope = required(e, "scope");
    const XmlAttribute* reference = required(e, "reference");
    int64_t arity = count_attribute(e, "arity");
    if (!e.self_closing) {
      // Parameters make a constraint intensional (a predicate or a global constraint).
      bool has_children = false;
      children(e, [&](const XmlEvent& child) {
        if (!has_children) {
          error(child.where, "<" + std::string(child.name) +
                                 "> inside a constraint: intension constraints are not "
                                 "supported; reference a relation instead");
        }
        has_children = true;
        skip_element(child);
      });
      if (has_children) return;
    }
    if (!n || !scope || !reference) return;
    k.name = n->value;
    TextCursor cur(scope->value, scope->where);
    while (true) {
      auto [token, where] = cur.token();
      if (token.empty()) {
        if (cur.separator()) {
          error(scope->where, "'|' in the scope of constraint " + quoted(k.name) +
                                  ": the scope lists variable names");
          return;
        }
        break;
      }
      k.scope_names.emplace_back(token);
    }
    if (k.scope_names.empty()) {
      error(scope->where, "constraint " + quoted(k.name) + " has an empty scope");
      return;
    }
    if (arity >= 0 && static_cast<size_t>(arity) != k.scope_names.size()) {
      error(attribute(e, "arity")->where, "constraint " + quoted(k.name) + " declares arity " +
                                              std::to_string(arity) + " but its scope names " +
                                              std::to_string(k.scope_names.size()) +
                                              " variables; fix arity or scope");
      return;
    }
    k.reference = reference->value;
    if (!constraint_names_.insert(k.name).second) {
      error(n->where, "constraint " + quoted(k.name) + " is declared twice");
      return;
    }
    constraints_.push_back(std::move(k));
  }

  // --- references ----------------------------------------------------------------------------
  template <typename T>
  std::string did_you_mean(const std::string& name, const std::vector<T>& items) {
    std::vector<std::string> names;
    names.reserve(items.size());
    for (const auto& item : items) names.push_back(item.name);
    std::string best = closest_name(name, names);
    return best.empty() ? "" : " (did you mean " + quoted(best) + "?)";
  }

  void resolve() {
    size_t values = 0, cells = 0;
    for (auto& v : variables_) {
      auto it = domain_index_.find(v.domain_name);
      if (it == domain_index_.end()) {
        error(v.where, "variable " + quoted(v.name) + " has unknown domain " +
                           quoted(v.domain_name) + did_you_mean(v.domain_name, domains_) +
                           "; declare it in <domains>");
        continue;
      }
      v.domain = it->second;
      values += domains_[v.domain].values.size();
      if (values > kMaxOptionValues) {
        error(v.where,
              "the domains of the variables up to " + quoted(v.name) +
                  " hold more than 10,000,000 values in all; Sumisura reads smaller models");
        return;
      }
    }
    for (auto& k : constraints_) {
      if (stopped()) return;
      std::string context = "constraint " + quoted(k.name);
      bool ok = true;
      std::unordered_set<std::string> seen;
      for (const auto& name : k.scope_names) {
        auto it = variable_index_.find(name);
        if (it == variable_index_.end()) {
          error(k.where, context + " names unknown variable " + quoted(name) +
                             did_you_mean(name, variables_) + " in its scope");
          ok = false;
          continue;
        }
        if (!seen.insert(name).second) {
          error(k.where, context + " names variable " + quoted(name) +
                             " twice in its scope; a table names each option once");
          ok = false;
        }
        k.scope.push_back(it->second);
      }
      auto rel = relation_index_.find(k.reference);
      if (rel == relation_index_.end()) {
        if (intension_names_.count(k.reference)) {
          error(k.where, context + " references the predicate " + quoted(k.reference) +
                             ": intension constraints are not supported");
        } else if (k.reference.rfind("global:", 0) == 0) {
          error(k.where, context + " is the global constraint " + quoted(k.reference) +
                             ", which is not supported; give it as a relation");
        } else {
          error(k.where, context + " references unknown relation " + quoted(k.reference) +
                             did_you_mean(k.reference, relations_) + "; declare it in <relations>");
        }
        continue;
      }
      k.relation = rel->second;
      const Relation& r = relations_[k.relation];
      cells += r.tuples.size();
      if (cells > kMaxTableCells) {
        error(k.where,
              "the tables of the constraints up to " + quoted(k.name) +
                  " hold more than 50,000,000 cells in all; Sumisura reads smaller models");
        return;
      }
      if (static_cast<size_t>(r.arity) != k.scope_names.size()) {
        error(k.where, context + " has " + std::to_string(k.scope_names.size()) +
                           " variables but relation " + quoted(r.name) + " has arity " +
                           std::to_string(r.arity));
        continue;
      }
      if (ok) check_values(k, r);
    }
  }

  // Every value of every tuple must be in the domain of its column's variable.
  void check_values(const Constraint& k, const Relation& r) {
    size_t count = r.tuples.size() / r.arity;
    for (int col = 0; col < r.arity; ++col) {
      const Variable& v = variables_[k.scope[col]];
      if (v.domain < 0) continue;
      const Domain& d = domains_[v.domain];
      int64_t low = d.sorted.front(), high = d.sorted.back();
      bool contiguous = static_cast<size_t>(high - low) + 1 == d.sorted.size();
      for (size_t t = 0; t < count; ++t) {
        int64_t value = r.tuples[t * r.arity + col];
        bool in = contiguous ? value >= low && value <= high
                             : std::binary_search(d.sorted.begin(), d.sorted.end(), value);
        if (!in) {
          error(k.where, "constraint " + quoted(k.name) + ": tuple " + std::to_string(t + 1) +
                             " of relation " + quoted(r.name) + " (line " +
                             std::to_string(r.tuple_lines[t]) + ") gives variable " +
                             quoted(v.name) + " the value " + std::to_string(value) +
                             ", which is not in its domain " + quoted(d.name));
          return;
        }
      }
    }
  }

  // --- the catalog ---------------------------------------------------------------------------
  void build(Catalog& c) {
    c.name = name_.empty() ? source_ : name_;
    std::vector<std::vector<OptionValue>> domain_values(domains_.size());
    c.options.reserve(variables_.size());
    for (const auto& v : variables_) {
      const Domain& d = domains_[v.domain];
      Option o;
      o.id = v.name;
      o.kind = OptionKind::integer;
      o.values.reserve(d.values.size());
      for (int64_t x : d.values) o.values.push_back({Value::integer(x), "", {}, v.where});
      if (d.single_range) {
        o.range_min = d.values.front();
        o.range_max = d.values.back();
      }
      o.where = v.where;
      c.options.push_back(std::move(o));
    }
    c.rules.reserve(constraints_.size());
    for (const auto& k : constraints_) {
      const Relation& r = relations_[k.relation];
      Rule rule;
      rule.id = k.name;
      rule.kind = RuleKind::table;
      rule.columns = k.scope_names;
      rule.rows_allowed = r.supports;
      size_t count = r.tuples.size() / r.arity;
      rule.rows.resize(count);
      for (size_t t = 0; t < count; ++t) {
        check_deadline(source_);
        auto& row = rule.rows[t];
        row.reserve(r.arity);
        for (int col = 0; col < r.arity; ++col)
          row.push_back(std::to_string(r.tuples[t * r.arity + col]));
      }
      std::string scope;
      for (size_t i = 0; i < k.scope_names.size() && i < 8; ++i)
        scope += (i ? ", " : "") + k.scope_names[i];
      if (k.scope_names.size() > 8) scope += ", ...";
      rule.message = (r.supports ? "only some combinations of " : "some combinations of ") + scope +
                     (r.supports ? " are possible" : " are not possible");
      rule.where = k.where;
      c.rules.push_back(std::move(rule));
    }
  }

  XmlTokenizer xml_;
  std::string source_;
  std::vector<Diagnostic>& diagnostics_;
  int errors_ = 0;
  bool fatal_ = false;  // the XML itself is broken: nothing after it can be trusted
  std::string name_;
  std::vector<Domain> domains_;
  std::vector<Variable> variables_;
  std::vector<Relation> relations_;
  std::vector<Constraint> constraints_;
  std::unordered_map<std::string, int> domain_index_, variable_index_, relation_index_;
  std::unordered_set<std::string> constraint_names_, intension_names_;
};

}  // namespace

Catalog read_xcsp(const std::string& text, const std::string& source,
                  std::vector<Diagnostic>& diagnostics) {
  XcspReader reader(text, source, diagnostics);
  return reader.read();
}

}  // namespace sumisura::detail
