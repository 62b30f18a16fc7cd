// QuickXplain and rule explanations.
#include "reason/explain.hpp"

#include <algorithm>

namespace sumisura::detail {
namespace {

struct LimitReached {};

class QuickXplain {
 public:
  QuickXplain(SatSolver& solver, const SearchLimits& limits) : solver_(solver), limits_(limits) {}

  bool consistent(const std::vector<Lit>& assumptions) {
    SatResult r = solver_.solve(assumptions, limits_);
    if (r == SatResult::unknown) throw LimitReached{};
    return r == SatResult::sat;
  }

  // Junker 2004: returns a minimal subset of c inconsistent with b; `has_delta` says whether b
  // grew since the caller last checked it.
  std::vector<Lit> run(const std::vector<Lit>& b, bool has_delta, const std::vector<Lit>& c) {
    if (has_delta && !consistent(b)) return {};
    if (c.size() == 1) return c;
    size_t half = c.size() / 2;
    std::vector<Lit> c1(c.begin(), c.begin() + half), c2(c.begin() + half, c.end());
    std::vector<Lit> b1 = b;
    b1.insert(b1.end(), c1.begin(), c1.end());
    std::vector<Lit> d2 = run(b1, !c1.empty(), c2);
    std::vector<Lit> b2 = b;
    b2.insert(b2.end(), d2.begin(), d2.end());
    std::vector<Lit> d1 = run(b2, !d2.empty(), c1);
    d1.insert(d1.end(), d2.begin(), d2.end());
    return d1;
  }

 private:
  SatSolver& solver_;
  const SearchLimits& limits_;
};

}  // namespace

std::vector<Lit> quickxplain(SatSolver& solver, const std::vector<Lit>& background,
                             std::vector<Lit> candidates, const SearchLimits& limits,
                             bool& complete) {
  complete = true;
  QuickXplain qx(solver, limits);
  try {
    // The solver's own core is a good start: keep only the candidates it used, in their order.
    std::vector<Lit> all = background;
    all.insert(all.end(), candidates.begin(), candidates.end());
    if (qx.consistent(all)) return {};  // not a conflict at all
    std::vector<Lit> used = solver.failed(candidates);
    if (!used.empty() || candidates.empty()) candidates = used;
    if (candidates.empty() || !qx.consistent(background)) return {};
    return qx.run(background, false, candidates);
  } catch (const LimitReached&) {
    complete = false;
    return candidates;
  }
}

RuleRef rule_ref(const Engine& engine, int group) {
  const ConstraintGroup& g = engine.model().groups[group];
  RuleRef r;
  r.id = g.id;
  r.message = g.message;
  // A rule without a message of its own (an imported clause) is explained by its expression.
  if (r.message.empty() && g.kind == ConstraintGroup::Kind::rule && g.index >= 0)
    r.message = engine.catalog().rules[g.index].expression;
  r.file = engine.catalog().source;
  r.line = g.where.line;
  r.column = g.where.column;
  switch (g.kind) {
    case ConstraintGroup::Kind::rule:
      r.kind = "rule";
      break;
    case ConstraintGroup::Kind::block_requires:
      r.kind = "requires";
      break;
    case ConstraintGroup::Kind::block_excludes:
      r.kind = "excludes";
      break;
    case ConstraintGroup::Kind::slot_cardinality:
      r.kind = "slot";
      break;
    case ConstraintGroup::Kind::service_offer:
      r.kind = "service";
      break;
    case ConstraintGroup::Kind::product_scope:
      r.kind = "product";
      break;
    case ConstraintGroup::Kind::bundle:
      r.kind = "bundle";
      break;
  }
  return r;
}

std::vector<RuleRef> explain_rules(const Engine& engine, const PreparedSpec& spec,
                                   const std::vector<int>& required, const SearchLimits& limits,
                                   bool& complete) {
  Request request = open_request(engine, spec, /*explanation=*/true);
  std::vector<Lit> background;
  for (int i : required) background.push_back(request.selectors[i]);
  std::vector<Lit> groups = request.groups;
  std::vector<Lit> core = quickxplain(*request.solver, background, groups, limits, complete);
  std::unordered_map<Lit, int> group_of;
  for (size_t g = 0; g < request.groups.size(); ++g) group_of[request.groups[g]] = g;
  std::vector<int> chosen;
  for (Lit l : core) chosen.push_back(group_of.at(l));
  std::sort(chosen.begin(), chosen.end());
  std::vector<RuleRef> out;
  for (int g : chosen) out.push_back(rule_ref(engine, g));
  return out;
}

}  // namespace sumisura::detail
