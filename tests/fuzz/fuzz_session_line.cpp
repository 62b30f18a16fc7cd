// Fuzz target: the `sumisura session` JSON-lines protocol (engine/cli/session_protocol.hpp) on
// catalogs/shoes.yaml. Each input is a few request lines answered in turn by a fresh session;
// every answer must be one line of valid JSON, and nothing may escape the protocol.
#include <nlohmann/json.hpp>

#include "fuzz_common.hpp"
#include "session_protocol.hpp"

using namespace sumisura;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Configurator& configurator = fuzz::shoes();
  std::string text = fuzz::text_of(data, size);
  Session session = configurator.session();
  constexpr int kMaxLines = 8;  // at 0.5 s each at most: 4 s, under -timeout=10
  int lines = 0;
  size_t start = 0;
  while (start < text.size() && lines < kMaxLines) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    start = end + 1;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    ++lines;
    std::string answer;
    fuzz::must("answer_session_line", [&] {
      answer = cli::answer_session_line(session, configurator, line, fuzz::tight_limits(0.5));
    });
    if (answer.find('\n') != std::string::npos) fuzz::finding("an answer of several lines");
    auto json = nlohmann::json::parse(answer, nullptr, false);
    if (json.is_discarded() || !json.is_object() || !json.contains("ok"))
      fuzz::finding("an answer that is not a JSON object with \"ok\": " + answer);
  }
  return 0;
}
