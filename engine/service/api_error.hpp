// Errors the service answers with: an HTTP status, a stable code clients can test, and a message
// for people (docs/service.md, "Errors").
#pragma once

#include <stdexcept>
#include <string>

namespace sumisura::service {

class ApiError : public std::runtime_error {
 public:
  ApiError(int status, std::string code, const std::string& message)
      : std::runtime_error(message), status_(status), code_(std::move(code)) {}
  int status() const { return status_; }
  const std::string& code() const { return code_; }

 private:
  int status_;
  std::string code_;
};

}  // namespace sumisura::service
