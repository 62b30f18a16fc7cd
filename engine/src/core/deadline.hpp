// A deadline for work that returns no result object (reading and compiling a catalog): set for
// the current thread by a scope, checked cheaply inside long loops, and reported as
// Error(ErrorKind::limit) naming what was being done.
#pragma once

#include <chrono>
#include <string>

namespace sumisura::detail {

/// Sets the calling thread's deadline for its lifetime (an earlier one already set stays).
/// `what` names the work in the error ("reading the catalog").
class ScopedDeadline {
 public:
  ScopedDeadline(std::chrono::steady_clock::time_point deadline, std::string what);
  /// `seconds` from now; 0 (or more than 1e8) is no deadline.
  ScopedDeadline(double seconds, std::string what);
  ~ScopedDeadline();
  ScopedDeadline(const ScopedDeadline&) = delete;
  ScopedDeadline& operator=(const ScopedDeadline&) = delete;

 private:
  const void* saved_;
};

/// Throws Error(ErrorKind::limit) once the thread's deadline has passed. Reads the clock on one
/// call in 256, so it can sit in any loop; `source` names the file when known.
void check_deadline(const std::string& source = {});

/// The calling thread's deadline (time_point::max() when none).
std::chrono::steady_clock::time_point current_deadline();

}  // namespace sumisura::detail
