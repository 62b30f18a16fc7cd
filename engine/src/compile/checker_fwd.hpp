// Forward declaration of Checker, so that model.hpp need not include checker.hpp.
#pragma once

namespace sumisura::detail {
class Checker;
}  // namespace sumisura::detail
