// The mock model's default, prompt-driven behaviour: directive lines in the latest user message
// (RUN:, CALL:, ANSWER:, ANSWER_JSON:, SLEEP_MS:, HANG, FAIL_HTTP:, FAIL_HTTP_MODEL:,
// RESPONSE_FAILED:, PHASE:, USAGE:) decide the reply. Stateless: the progress through the steps
// is read from the tool outputs in the request, so parallel conversations never interfere.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/mock_model/model_request.h"
#include "support/mock_model/reply.h"

namespace diary::test {

struct Directives {
  std::vector<Reply> steps;                                  // RUN: (shell) and CALL: (tool) lines, in prompt order
  std::optional<std::string> answer;                         // ANSWER: lines joined by "\n", or ANSWER_JSON:
  std::optional<std::string> phase;                          // PHASE: of the final message
  std::optional<Usage> usage;                                // USAGE: <input_tokens> <output_tokens>
  std::chrono::milliseconds delay{0};                        // SLEEP_MS:
  bool hang = false;                                         // HANG
  std::optional<int> fail_http;                              // FAIL_HTTP: <status>
  std::vector<std::pair<std::string, int>> fail_http_model;  // FAIL_HTTP_MODEL: <model> <status>
  std::optional<std::string> response_failed;                // RESPONSE_FAILED: <code>
  std::vector<std::string> errors;                           // malformed directive lines, reported as failures
};

Directives parse_directives(std::string_view prompt);

// The reply for one request: failures and hangs first, then the next unfinished step (k =
// number of function_call_output items after the latest user message), then the final message
// (default "done").
Reply reply_from_directives(const ModelRequest& request);

}  // namespace diary::test
