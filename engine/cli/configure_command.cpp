// `sumisura configure CATALOG [--spec SPEC] [--where NAME=VALUE]... [--json]`: the best product.
#include <iostream>

#include "commands.hpp"
#include "sumisura/configurator.hpp"

namespace sumisura::cli {
namespace {

struct ConfigureOptions {
  std::string path, format, spec;
  std::vector<std::string> where;
  std::vector<std::string> prefer;
  std::string objective, tier;
  double seconds = 10;
  int64_t conflicts = -1;
  int repairs = 5;
  bool json = false;
  CustomerFlags customer;
};

std::string money(Decimal d) {
  return d.to_fixed(2);
}

void print_product(const ConfigureResult& r, const std::string& indent) {
  if (!r.product.empty()) std::cout << indent << "product: " << r.product << "\n";
  for (const auto& o : r.options) {
    std::cout << indent << o.option << " = " << o.value.to_string();
    if (!o.label.empty()) std::cout << " (" << o.label << ")";
    std::cout << "\n";
  }
  for (const auto& s : r.slots) {
    std::cout << indent << s.slot << " = ";
    if (s.blocks.empty()) std::cout << "none";
    for (size_t i = 0; i < s.blocks.size(); ++i) {
      std::cout << (i ? ", " : "") << s.blocks[i].block;
      if (s.blocks[i].quantity > 1) std::cout << " x" << s.blocks[i].quantity;
    }
    std::cout << "\n";
  }
  if (!r.services.empty()) {
    std::cout << indent << "services:";
    for (const auto& s : r.services) std::cout << " " << s;
    std::cout << "\n";
  }
  if (!r.bundles.empty()) {
    std::cout << indent << "bundles:";
    for (const auto& b : r.bundles) std::cout << " " << b;
    std::cout << "\n";
  }
}

void print_human(const ConfigureResult& r) {
  std::cout << "status: " << to_string(r.status) << "\n";
  if (r.has_product()) {
    print_product(r, "  ");
    if (!r.bom.empty()) {
      std::cout << "bill of materials (assembly order):\n";
      for (const auto& line : r.bom) {
        std::cout << "  " << line.quantity << " x " << line.block
                  << (line.label.empty() ? "" : " (" + line.label + ")") << " in " << line.slot
                  << " @ " << money(line.unit_price) << " = " << money(line.line_price) << "\n";
      }
    }
    const PriceBreakdown& p = r.price;
    std::cout << "price (" << p.currency << "):\n";
    auto row = [](const char* name, Decimal d) {
      if (d != Decimal()) std::cout << "  " << name << ": " << money(d) << "\n";
    };
    row("base", p.base);
    row("options", p.options);
    row("blocks", p.blocks);
    row("services", p.services);
    row("bundle discounts", p.bundles);
    row("tier discount", p.tier);
    std::cout << "  total: " << money(p.total) << "\n";
    for (const auto& m : r.measures) {
      std::cout << "  " << m.measure << ": " << m.value.to_string()
                << (m.unit.empty() ? "" : " " + m.unit) << "\n";
    }
    if (!r.preferences.empty()) {
      std::cout << "preferences:\n";
      for (const auto& p : r.preferences) {
        std::cout << "  [" << (p.met ? "met" : "not met") << "] " << p.text << " (weight "
                  << p.weight.to_string() << ")\n";
      }
    }
  }
  if (r.status == Status::infeasible) {
    std::cout << "no product meets these requirements together:\n";
    for (const auto& q : r.conflict.requirements) std::cout << "  - " << q << "\n";
    if (!r.conflict.rules.empty()) {
      std::cout << "because of:\n";
      for (const auto& rule : shopper_rules(r.conflict.rules)) {
        std::cout << "  - " << rule.id;
        if (!rule.message.empty()) std::cout << ": " << rule.message;
        if (rule.line > 0) std::cout << " (" << rule.file << ":" << rule.line << ")";
        std::cout << "\n";
      }
    }
    if (!r.repairs.empty()) std::cout << "what to change (best first):\n";
    for (size_t i = 0; i < r.repairs.size(); ++i) {
      const Repair& rep = r.repairs[i];
      std::cout << "  " << i + 1 << ". drop:";
      for (const auto& d : rep.drop) std::cout << " [" << d << "]";
      for (const auto& x : rep.relax)
        std::cout << " or relax [" << x.requirement << "] to " << x.to.to_string();
      if (rep.result && rep.result->has_product())
        std::cout << " -> total " << money(rep.result->price.total);
      std::cout << "\n";
    }
  }
}

int run_configure(const ConfigureOptions& o) {
  Configurator configurator = with_preferences(load_model(o.path, o.format, o.seconds), o.customer);
  std::optional<Profile> profile = customer_profile(o.customer);
  Spec spec = o.spec.empty() ? Spec{} : load_spec(o.spec);
  for (const auto& w : o.where) spec.requirements.push_back(Requirement::parse_where(w));
  for (const auto& p : o.prefer) spec.preferences.push_back({p, Decimal::from_integer(1), {}});
  if (!o.tier.empty()) spec.tier = o.tier;
  if (!o.objective.empty()) spec.objective = parse_objectives(o.objective);
  Limits limits;
  limits.seconds = seconds_left(o.seconds);
  limits.conflicts = o.conflicts;
  limits.max_repairs = o.repairs;
  ConfigureResult r = profile ? configurator.configure(spec, *profile, limits)
                              : configurator.configure(spec, limits);
  if (o.json) {
    std::cout << to_json(r, 2) << "\n";
  } else {
    print_human(r);
  }
  switch (r.status) {
    case Status::optimal:
    case Status::feasible:
      return 0;
    case Status::infeasible:
      return 2;
    case Status::unknown:
      return 3;
  }
  return 1;
}

}  // namespace

void add_configure_command(CLI::App& app, Action& action) {
  auto o = std::make_shared<ConfigureOptions>();
  CLI::App* cmd =
      app.add_subcommand("configure", "Assemble the best valid product for a specification");
  cmd->add_option("CATALOG", o->path, "Catalog or model file")->required();
  cmd->add_option("--spec", o->spec, "Customer specification (YAML or JSON)");
  cmd->add_option("--where", o->where, "Require NAME=VALUE (repeatable)");
  cmd->add_option("--prefer", o->prefer, "Prefer a condition, weight 1 (repeatable)");
  cmd->add_option("--objective", o->objective,
                  "cheapest, preferred, most_likely, minimize MEASURE or maximize MEASURE; a "
                  "comma-separated list is lexicographic (default: from the spec)")
      ->check(CLI::Validator(
          [](const std::string& text) {
            try {
              parse_objectives(text);
              return std::string();
            } catch (const Error& e) {
              return std::string(e.what());
            }
          },
          "OBJECTIVE"));
  add_customer_options(*cmd, o->customer);
  cmd->add_option("--tier", o->tier, "Customer tier");
  add_time_limit_option(*cmd, o->seconds, "Seconds for the whole call (default 10)");
  cmd->add_option("--conflict-limit", o->conflicts, "Conflicts per solver call (default: none)");
  cmd->add_option("--repairs", o->repairs, "Repairs to look for when infeasible (default 5)");
  add_format_option(*cmd, o->format);
  cmd->add_flag("--json", o->json, "Print one JSON object");
  cmd->callback([o, &action] { action = [o] { return run_configure(*o); }; });
}

}  // namespace sumisura::cli
