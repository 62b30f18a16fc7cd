// Fuzz target: customer specifications (docs/spec-format.md), parsed, then configured on
// catalogs/shoes.yaml within tight limits.
#include "fuzz_common.hpp"

using namespace sumisura;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Configurator& configurator = fuzz::shoes();
  std::string text = fuzz::text_of(data, size);
  std::optional<Spec> spec;
  if (!fuzz::expect("parse_spec", {ErrorKind::spec, ErrorKind::io},
                    [&] { spec = parse_spec(text, "spec.yaml"); }))
    return 0;
  fuzz::expect("configure", {ErrorKind::spec},
               [&] { (void)to_json(configurator.configure(*spec, fuzz::tight_limits())); });
  return 0;
}
