// Sumisura: made-to-measure product configuration.
//
// A shop describes what it sells as a catalog (options, prebuilt blocks in slots, products,
// services, bundles, rules); the engine assembles the best valid product for a customer, prices it,
// explains what cannot be had and what to change, and answers every click of an interactive
// configurator with the exact set of values that can still lead to a valid product.
//
// A complete example:
//
//   #include <sumisura/sumisura.hpp>
//   #include <iostream>
//
//   int main() {
//     // 1. Read and check a catalog. Problems come back as diagnostics with file:line:col.
//     sumisura::CheckReport report = sumisura::check_file("catalogs/shoes.yaml");
//     for (const auto& d : report.diagnostics) std::cerr << d.to_string() << "\n";
//     if (!report.ok()) return 1;
//
//     // 2. Compile it once; the Configurator is immutable and safe to share between threads.
//     sumisura::Configurator shoes(report.catalog);
//
//     // 3. A customer's wish: hard requirements, weighted preferences, a budget.
//     using sumisura::Decimal;
//     using sumisura::Requirement;
//     sumisura::Spec spec;
//     spec.requirements.push_back(Requirement::parse_where("size=42"));
//     spec.requirements.push_back(
//         Requirement::expression_of("upper.material == \"leather\""));
//     spec.requirements.push_back(Requirement::bound_of("price", Decimal::from_integer(300)));
//     spec.preferences.push_back({"color == black", Decimal::from_integer(3), {}});
//
//     // 4. The best product, or why there is none. Limits bound every call.
//     sumisura::Limits limits;
//     limits.seconds = 2;
//     sumisura::ConfigureResult r = shoes.configure(spec, limits);
//     if (r.has_product()) {
//       std::cout << "total " << r.price.total.to_fixed(2) << " " << r.price.currency << "\n";
//       for (const auto& line : r.bom) std::cout << line.quantity << " x " << line.block << "\n";
//     } else if (r.status == sumisura::Status::infeasible) {
//       for (const auto& q : r.conflict.requirements) std::cout << "conflicting: " << q << "\n";
//       for (const auto& repair : r.repairs)
//         std::cout << "drop " << repair.drop.size() << " requirement(s)\n";
//     }
//
//     // 5. Interactive: one click at a time, complete domains after each.
//     sumisura::Session session = shoes.session();
//     session.choose("size", "42");
//     const sumisura::SessionState& state = session.state();
//     for (const auto& v : state.variables)
//       std::cout << v.name << ": " << v.valid_values().size() << " values\n";
//     std::string saved = session.to_json();  // resume later with Session::from_json
//
//     // 6. What the catalog can make: exact counts from its compiled form.
//     sumisura::Count all = shoes.count();
//     sumisura::Count size_42 = shoes.count({Requirement::parse_where("size=42")});
//     std::cout << all.count << " products, " << size_42.count << " in size 42\n";
//     shoes.save_compiled("shoes.sumisura");  // Configurator::from_file loads it, compiled
//   }
//
// Errors: only sumisura::Error is thrown, and only when an operation cannot go on (unreadable file,
// malformed specification, unknown name). Infeasible requests and reached limits are statuses.
#pragma once

#include "sumisura/analysis.hpp"
#include "sumisura/catalog.hpp"
#include "sumisura/check.hpp"
#include "sumisura/configurator.hpp"
#include "sumisura/error.hpp"
#include "sumisura/preferences.hpp"
#include "sumisura/result.hpp"
#include "sumisura/session.hpp"
#include "sumisura/spec.hpp"
#include "sumisura/value.hpp"
#include "sumisura/version.hpp"
#include "sumisura/versions.hpp"
