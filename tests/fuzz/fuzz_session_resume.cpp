// Fuzz target: resuming a saved session (Session::from_json) on catalogs/shoes.yaml. A session
// that resumes must answer its state, and save and resume again.
#include "fuzz_common.hpp"

using namespace sumisura;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Configurator& configurator = fuzz::shoes();
  std::string text = fuzz::text_of(data, size);
  std::optional<Session> session;
  ResumeReport report;
  if (!fuzz::expect("Session::from_json", {ErrorKind::spec}, [&] {
        session.emplace(Session::from_json(configurator, text, &report, fuzz::tight_limits()));
      }))
    return 0;
  fuzz::must("resumed session", [&] {
    (void)to_json(report);
    (void)to_json(session->state(fuzz::tight_limits()));
    Session again =
        Session::from_json(configurator, session->to_json(), nullptr, fuzz::tight_limits());
    (void)again.choices();
  });
  return 0;
}
