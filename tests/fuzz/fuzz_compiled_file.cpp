// Fuzz target: compiled catalog files (`sumisura compile`), read as Configurator::from_file reads
// them. A checksum guards the file, so each input is tried twice: as it is (the container's own
// checks), and resealed with a checksum that matches, which lets mutations reach the catalog text
// and the compiled form inside. A file that loads must count, sample and configure.
#include <cstring>

#include "core/bytes.hpp"
#include "fuzz_common.hpp"
#include "io/compiled_file.hpp"

using namespace sumisura;

namespace {

void load(const std::string& bytes) {
  std::optional<Configurator> configurator;
  if (!fuzz::expect("from_compiled_bytes", {ErrorKind::io, ErrorKind::catalog}, [&] {
        configurator.emplace(Configurator::from_compiled_bytes(bytes, "catalog.sumisura"));
      }))
    return;
  fuzz::must("a loaded compiled file", [&] {
    (void)to_json(configurator->count());
    (void)to_json(configurator->sample(2, 1));
    (void)to_json(configurator->configure(Spec{}, fuzz::tight_limits()));
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string bytes = fuzz::text_of(data, size);
  load(bytes);
  if (!detail::is_compiled_file(bytes) || bytes.size() < 40) return 0;
  uint64_t checksum = detail::hash_bytes(std::string_view(bytes).substr(0, bytes.size() - 8));
  std::memcpy(bytes.data() + bytes.size() - 8, &checksum, 8);
  load(bytes);
  return 0;
}
