// What the mock model answers to one Responses API request: a message, a tool call, a shell
// command (sent through whichever shell tool the request offers), an HTTP error, a
// `response.failed` event, or nothing at all (hang). Plain value type built by the factories.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

namespace diary::test {

// Reported in `response.completed` so token accounting can be tested; total = input + output.
struct Usage {
  std::int64_t input_tokens = 120;
  std::int64_t output_tokens = 30;
  std::int64_t cached_input_tokens = 0;
  std::int64_t reasoning_output_tokens = 0;

  friend bool operator==(const Usage&, const Usage&) = default;
};

struct Reply {
  enum class Kind { message, tool_call, shell, http_error, failed, hang };

  Kind kind = Kind::message;
  std::string text;                    // message: the assistant text
  std::optional<std::string> phase;    // message: e.g. "final_answer"; none = legacy model
  std::string tool_name;               // tool_call
  std::string tool_namespace;          // tool_call: empty = look the name up in tools[]
  nlohmann::json tool_arguments;       // tool_call: sent as a JSON string, as the API does
  std::string command;                 // shell
  int http_status = 200;               // http_error
  std::string error_code;              // failed
  std::string error_message;           // failed, http_error
  std::chrono::milliseconds delay{0};  // wait this long before answering
  Usage usage;

  static Reply message(std::string text);
  static Reply tool_call(std::string name, nlohmann::json arguments, std::string tool_namespace = {});
  static Reply shell(std::string command);
  static Reply http_error(int status, std::string message = {});
  static Reply failed(std::string code, std::string message = "mock model failure");
  static Reply hang();

  // Builder-style tweaks: Reply::message("x").after(std::chrono::milliseconds(50)).
  Reply after(std::chrono::milliseconds wait) const;
  Reply with_phase(std::string value) const;
  Reply with_usage(Usage value) const;

  friend bool operator==(const Reply&, const Reply&) = default;
};

std::string_view to_string(Reply::Kind kind);
void PrintTo(const Reply& reply, std::ostream* out);

}  // namespace diary::test
