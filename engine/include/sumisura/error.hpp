// The one exception type of Sumisura, and the diagnostics that validation reports.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

namespace sumisura {

/// A place in a text file. Line and column are 1-based; 0 means "unknown".
struct Position {
  int line = 0;
  int column = 0;
  // Positions never make two catalogs different: a catalog loaded from a file equals the same
  // catalog built in code. This keeps defaulted equality on catalog types meaningful.
  bool operator==(const Position&) const { return true; }
};

enum class Severity { error, warning };

/// One problem found in a catalog, a specification or a model file.
struct Diagnostic {
  Severity severity = Severity::error;
  std::string file;     ///< may be empty for catalogs built in code
  Position position;    ///< where the problem is, when known
  std::string message;  ///< what is wrong and how to fix it
  /// `FILE:LINE:COL: error: message` (the format of `sumisura check`).
  std::string to_string() const;
};

bool has_errors(const std::vector<Diagnostic>& diagnostics);

/// What kind of failure an Error reports; mapped once to the Python exception hierarchy.
enum class ErrorKind {
  catalog,  ///< a catalog or model file cannot be read or is invalid
  spec,     ///< a customer specification or a choice is malformed or names nothing real
  io,       ///< a file cannot be opened or written
  usage,    ///< an API was called in a way it does not support (e.g. undo with nothing to undo)
  /// a time limit ran out before the operation could give any answer (reading or compiling a
  /// catalog): operations that return a result report a limit there instead, as a status
  limit,
  internal,  ///< a bug in Sumisura: please report it
};

/// Thrown only when an operation cannot go on. Expected outcomes (infeasible, limit reached) are
/// statuses in results, never exceptions.
class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, std::string message, std::string file = {}, Position position = {},
        std::vector<Diagnostic> diagnostics = {});
  ErrorKind kind() const { return kind_; }
  const std::string& file() const { return file_; }
  int line() const { return position_.line; }
  int column() const { return position_.column; }
  /// Every problem found, when the error summarises a validation (may be empty).
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

 private:
  ErrorKind kind_;
  std::string file_;
  Position position_;
  std::vector<Diagnostic> diagnostics_;
};

}  // namespace sumisura
