// The engine's version, from the CMake project (SUMISURA_VERSION).
#include "sumisura/version.hpp"

namespace sumisura {

const char* version() { return SUMISURA_VERSION; }

}  // namespace sumisura
