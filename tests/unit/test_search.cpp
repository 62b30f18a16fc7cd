// The search back end's building blocks: clauses deferred until their selector is assumed, and
// budget refutations that name the assumptions they used.
#include <catch2/catch.hpp>

#include <algorithm>

#include "compile/circuit.hpp"
#include "search/optimize.hpp"
#include "search/sat_solver.hpp"

using namespace sumisura::detail;

TEST_CASE("a deferred clause holds once its selector is assumed, never before", "[search]") {
  SatSolver solver;
  Lit a = solver.new_var(), x = solver.new_var();
  int encoded = 0;
  solver.defer(a, [&] {
    ++encoded;
    solver.add({-a, x});
  });
  SearchLimits limits;
  // Not assumed: the clause is not there, even in a model that sets the selector.
  CHECK(solver.solve({-x}, limits) == SatResult::sat);
  CHECK(encoded == 0);
  CHECK(solver.solve({a, -x}, limits) == SatResult::unsat);
  CHECK(encoded == 1);
  // Encoded once, and it stays.
  CHECK(solver.solve({a}, limits) == SatResult::sat);
  CHECK(solver.value(x));
  CHECK(encoded == 1);

  // encode_deferred() adds what is still pending: a selector forced by a clause needs it.
  Lit b = solver.new_var(), y = solver.new_var();
  solver.defer(b, [&] { solver.add({-b, y}); });
  solver.encode_deferred();
  solver.add({b});
  CHECK(solver.solve({-y}, limits) == SatResult::unsat);
}

TEST_CASE("a budget refutation names the assumptions it used", "[search]") {
  SatSolver solver;
  Circuit circuit(solver);
  // Three parts priced 5, 7 and 11; s1 and s2 each force a part, s3 forces nothing priced.
  Lit p1 = solver.new_var(), p2 = solver.new_var(), p3 = solver.new_var();
  Lit s1 = solver.new_var(), s2 = solver.new_var(), s3 = solver.new_var(), q = solver.new_var();
  solver.add({-s1, p1});
  solver.add({-s2, p2});
  solver.add({-s3, q});
  Linear price;
  price.add(5, p1);
  price.add(7, p2);
  price.add(11, p3);
  SearchLimits limits;
  std::vector<Lit> all{s3, s1, s2};
  REQUIRE(solver.solve(all, limits) == SatResult::sat);
  Snapshot best(solver);
  std::vector<Lit> used;
  // 5 + 7 > 10: no product within 10 under s1 and s2, and s3 plays no part.
  REQUIRE(within_bound(solver, circuit, price, all, best, 10, limits, &used) == SatResult::unsat);
  std::sort(used.begin(), used.end());
  CHECK(used == std::vector<Lit>{s1, s2});
  // The same refutation under those alone; and 12 is within reach.
  REQUIRE(solver.solve(used, limits) == SatResult::sat);
  Snapshot again(solver);
  CHECK(within_bound(solver, circuit, price, used, again, 10, limits) == SatResult::unsat);
  REQUIRE(solver.solve(all, limits) == SatResult::sat);
  Snapshot within(solver);
  std::vector<Lit> none;
  CHECK(within_bound(solver, circuit, price, all, within, 12, limits, &none) == SatResult::sat);
  CHECK(none.empty());
}
