// The calling thread's deadline for reading and compiling.
#include "core/deadline.hpp"

#include "sumisura/error.hpp"

namespace sumisura::detail {
namespace {

struct Frame {
  std::chrono::steady_clock::time_point deadline;
  std::string what;
  double seconds;  // as given, for the message
};

thread_local const Frame* current = nullptr;
thread_local unsigned calls = 0;

constexpr double kForever = 1e8;  // beyond this a deadline would overflow the clock

}  // namespace

ScopedDeadline::ScopedDeadline(std::chrono::steady_clock::time_point deadline, std::string what)
    : saved_(current) {
  auto now = std::chrono::steady_clock::now();
  double seconds = std::chrono::duration<double>(deadline - now).count();
  if (current && current->deadline <= deadline) {
    current = new Frame{current->deadline, current->what, current->seconds};
  } else {
    current = new Frame{deadline, std::move(what), seconds};
  }
}

ScopedDeadline::ScopedDeadline(double seconds, std::string what)
    : ScopedDeadline(seconds > 0 && seconds < kForever
                         ? std::chrono::steady_clock::now() +
                               std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                   std::chrono::duration<double>(seconds))
                         : std::chrono::steady_clock::time_point::max(),
                     std::move(what)) {}

ScopedDeadline::~ScopedDeadline() {
  delete current;
  current = static_cast<const Frame*>(saved_);
}

std::chrono::steady_clock::time_point current_deadline() {
  return current ? current->deadline : std::chrono::steady_clock::time_point::max();
}

void check_deadline(const std::string& source) {
  if (!current || (++calls & 255) != 0) return;
  if (std::chrono::steady_clock::now() < current->deadline) return;
  char limit[32];
  std::snprintf(limit, sizeof limit, "%.3g", current->seconds);
  throw Error(ErrorKind::limit,
              "the time limit ran out while " + current->what + " (" + limit +
                  " s were left for it): give a larger time limit, or compile the catalog once "
                  "with `sumisura compile` and load the compiled file",
              source);
}

}  // namespace sumisura::detail
