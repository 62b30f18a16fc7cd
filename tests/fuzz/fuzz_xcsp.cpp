// Fuzz target: the XCSP model (docs/importers.md) reader, then what is done with a catalog that
// reads.
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  sumisura::fuzz::fuzz_catalog(data, size, sumisura::ModelFormat::xcsp, "model.xml");
  return 0;
}
