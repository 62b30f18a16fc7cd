// The engine's version: compiled catalog files record it, and only the engine that wrote one
// reads it back (recompile after an upgrade).
#pragma once

namespace sumisura {

/// "MAJOR.MINOR.PATCH" of this build.
const char* version();

}  // namespace sumisura
