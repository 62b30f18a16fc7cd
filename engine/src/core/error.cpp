// Error and Diagnostic.
#include "sumisura/error.hpp"

namespace sumisura {

std::string Diagnostic::to_string() const {
  std::string text;
  if (!file.empty()) text.append(file).append(":");
  if (position.line > 0) {
    text.append(std::to_string(position.line)).append(":");
    text.append(std::to_string(position.column)).append(":");
  }
  if (!text.empty()) text.append(" ");
  text.append(severity == Severity::error ? "error: " : "warning: ");
  return text.append(message);
}

bool has_errors(const std::vector<Diagnostic>& diagnostics) {
  for (const auto& d : diagnostics) {
    if (d.severity == Severity::error) return true;
  }
  return false;
}

static std::string locate(const std::string& message, const std::string& file, Position position) {
  if (file.empty()) return message;
  std::string where = file;
  if (position.line > 0) {
    where.append(":").append(std::to_string(position.line));
    where.append(":").append(std::to_string(position.column));
  }
  return where.append(": ").append(message);
}

Error::Error(ErrorKind kind, std::string message, std::string file, Position position,
             std::vector<Diagnostic> diagnostics)
    : std::runtime_error(locate(message, file, position)),
      kind_(kind),
      file_(std::move(file)),
      position_(position),
      diagnostics_(std::move(diagnostics)) {}

}  // namespace sumisura
