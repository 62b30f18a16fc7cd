// --preferences and --profile, shared by configure, domains and session.
#include "commands.hpp"

namespace sumisura::cli {

void add_customer_options(CLI::App& command, CustomerFlags& flags) {
  command.add_option("--preferences", flags.preferences,
                     "Preference model learned from sales (sumisura learn)");
  command.add_option("--profile", flags.profile,
                     "Customer profile (YAML or JSON): stated preferences, past orders, tier");
}

Configurator with_preferences(const Configurator& configurator, const CustomerFlags& flags) {
  if (flags.preferences.empty()) return configurator;
  return configurator.with_preferences(PreferenceModel::load(configurator, flags.preferences));
}

std::optional<Profile> customer_profile(const CustomerFlags& flags) {
  if (flags.profile.empty()) return std::nullopt;
  return load_profile(flags.profile);
}

}  // namespace sumisura::cli
