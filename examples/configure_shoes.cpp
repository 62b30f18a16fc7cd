// Configures shoes from C++: check a catalog, ask for the best product, explain an impossible wish,
// then click through an interactive session. Run: example_configure_shoes catalogs/shoes.yaml
#include <iostream>

#include <sumisura/sumisura.hpp>

int main(int argc, char** argv) {
  const char* path = argc > 1 ? argv[1] : "catalogs/shoes.yaml";
  try {
    sumisura::CheckReport report = sumisura::check_file(path);
    for (const auto& d : report.diagnostics) std::cerr << d.to_string() << "\n";
    if (!report.ok()) return 1;
    sumisura::Configurator shoes(report.catalog);

    // The best oxford in size 43 with a leather upper, preferring oxblood, within 450 EUR.
    sumisura::Spec spec;
    spec.requirements.push_back(sumisura::Requirement::product_of("oxford"));
    spec.requirements.push_back(sumisura::Requirement::parse_where("size=43"));
    spec.requirements.push_back(
        sumisura::Requirement::expression_of("upper.material == \"leather\""));
    spec.requirements.push_back(
        sumisura::Requirement::bound_of("price", sumisura::Decimal::from_integer(450)));
    spec.preferences.push_back({"color == oxblood", sumisura::Decimal::from_integer(3), {}});
    sumisura::ConfigureResult best = shoes.configure(spec);
    if (!best.has_product()) return 1;
    std::cout << "best: " << best.product << " for " << best.price.total.to_fixed(2) << " "
              << best.price.currency << "\n";
    for (const auto& line : best.bom)
      std::cout << "  " << line.quantity << " x " << line.block << "\n";

    // An impossible wish: the engine says why, and what to give up.
    sumisura::Spec wish;
    wish.requirements.push_back(sumisura::Requirement::product_of("sneaker"));
    wish.requirements.push_back(
        sumisura::Requirement::expression_of("sole.material == \"leather\""));
    sumisura::ConfigureResult none = shoes.configure(wish);
    if (none.status != sumisura::Status::infeasible || none.repairs.empty()) return 1;
    std::cout << "impossible: " << none.conflict.requirements.size()
              << " requirements clash with rule " << none.conflict.rules.front().id << "\n";

    // A session: choose a size, see what the sole can still be.
    sumisura::Session session = shoes.session();
    if (!session.choose("size", "47").accepted) return 1;
    sumisura::SessionState state = session.state();
    std::cout << "soles in size 47:";
    for (const auto& v : state.find("sole")->valid_values()) std::cout << " " << v.to_string();
    std::cout << "\n";
    return 0;
  } catch (const sumisura::Error& e) {
    std::cerr << e.what() << "\n";
    return 1;
  }
}
