// The `sumisura session` protocol (docs/cli.md, "session"), one line at a time: shared by the
// command (session_command.cpp) and its fuzz target (tests/fuzz/fuzz_session_line.cpp).
#pragma once

#include <string>

#include "sumisura/session.hpp"

namespace sumisura::cli {

/// The answer to one request line (a JSON object with "op"), as one line of JSON without the
/// newline. A bad request (malformed or too deeply nested JSON, an unknown op, a wrong field, a
/// name the catalog lacks) is answered {"ok": false, "error": ...} and leaves the session as it
/// was; "load" replaces `session`. Throws only what is not the request's fault (out of memory,
/// Error(kind internal)).
std::string answer_session_line(Session& session, const Configurator& configurator,
                                const std::string& line, const Limits& limits);

}  // namespace sumisura::cli
