// Value types describing one turn: what the caller asks (TurnOptions) and what comes back
// (AgentTurnResult with its AgentTurnEvents). Plain values with operator== and printers so
// test failures read well.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/error.h"

namespace diary::agent {

enum class EventKind {
  agent_message,
  reasoning,
  command,
  file_change,
  tool_call,
  web_search,
  approval,
  warning,  // a transient, retried error reported mid-turn
  other,
};

std::string_view to_string(EventKind kind);

// One completed item of a turn, reduced to what a ledger or progress line needs.
struct AgentTurnEvent {
  EventKind kind = EventKind::other;
  std::string summary;      // one line, safe to print
  nlohmann::json metadata;  // kind-specific details (command, exit code, paths, ...)

  friend bool operator==(const AgentTurnEvent&, const AgentTurnEvent&) = default;
};

struct TokenUsage {
  std::int64_t input_tokens = 0;
  std::int64_t cached_input_tokens = 0;
  std::int64_t output_tokens = 0;
  std::int64_t reasoning_output_tokens = 0;
  std::int64_t total_tokens = 0;

  TokenUsage& operator+=(const TokenUsage& other);
  friend bool operator==(const TokenUsage&, const TokenUsage&) = default;
};

nlohmann::json to_json(const TokenUsage& usage);

// timed_out: the turn ran past TurnOptions::timeout and was interrupted; what it did until then
// (events, usage, turn id) is kept in the result.
enum class TurnStatus { completed, failed, interrupted, timed_out };

std::string_view to_string(TurnStatus status);

// Why a turn that ran did not succeed. `cause` is what a caller acts on (retry, fall back to
// another model, stop, ask the user to log in); the adapter maps its backend's own error codes to
// it, so no backend's wire vocabulary crosses the port.
struct TurnError {
  ErrorKind kind = ErrorKind::turn_failed;
  std::string message;
  FailureCause cause = FailureCause::unknown;
  std::optional<int> http_status;

  // Transient provider trouble (rate limit, overload, 5xx, a dropped connection): another turn,
  // or a fallback model, may succeed.
  bool retryable() const { return is_transient(cause); }
  friend bool operator==(const TurnError&, const TurnError&) = default;
};

// {kind, cause, message, http_status, retryable}
nlohmann::json to_json(const TurnError& error);

struct AgentTurnResult {
  std::string turn_id;
  TurnStatus status = TurnStatus::completed;
  std::string assistant_text;                       // the final answer
  std::optional<nlohmann::json> structured_output;  // parsed final answer when a schema was given
  std::vector<AgentTurnEvent> events;
  TokenUsage usage;  // this turn's usage (zero when the backend reported none)
  std::optional<TurnError> error;
  std::chrono::milliseconds duration{0};
  std::string model;  // the model the backend ran the turn with, when it says (empty = unknown)

  bool ok() const { return status == TurnStatus::completed && !error; }
  friend bool operator==(const AgentTurnResult&, const AgentTurnResult&) = default;
};

void PrintTo(const AgentTurnEvent& event, std::ostream* out);
void PrintTo(const AgentTurnResult& result, std::ostream* out);
nlohmann::json to_json(const AgentTurnEvent& event);
nlohmann::json to_json(const AgentTurnResult& result);

using EventSink = std::function<void(const AgentTurnEvent&)>;

struct TurnOptions {
  std::chrono::milliseconds timeout = std::chrono::seconds(600);
  std::optional<nlohmann::json> output_schema;
  std::optional<std::string> model;  // overrides the conversation's model from this turn on
  EventSink on_event;                // called for each completed item, as it completes
};

}  // namespace diary::agent
