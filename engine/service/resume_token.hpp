// Resume tokens: a session's saved form, carried by the client, so that a session continues on
// any replica or after a restart (no sticky routing). Base64url of
// {"catalog": ID, "session": <Session::to_json>}; not secret and not signed: a token holds only
// the customer's own choices, and resuming checks them against the catalog like any request.
#pragma once

#include <string>

namespace sumisura::service {

struct ResumeState {
  std::string catalog;       ///< the service's catalog id
  std::string session_json;  ///< Session::to_json
};

std::string make_resume_token(const std::string& catalog, const std::string& session_json);
/// Throws ApiError(400, "bad_token") on anything that is not a token this service made.
ResumeState read_resume_token(const std::string& token);

}  // namespace sumisura::service
