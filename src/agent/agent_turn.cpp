#include "agent/agent_turn.h"

#include "agent/agent_config.h"

namespace diary::agent {

std::string_view to_string(ApprovalDecision decision) {
  switch (decision) {
    case ApprovalDecision::accept: return "accept";
    case ApprovalDecision::accept_for_session: return "accept_for_session";
    case ApprovalDecision::decline: return "decline";
    case ApprovalDecision::cancel: return "cancel";
  }
  return "decline";
}

std::string_view to_string(EventKind kind) {
  switch (kind) {
    case EventKind::agent_message: return "agent_message";
    case EventKind::reasoning: return "reasoning";
    case EventKind::command: return "command";
    case EventKind::file_change: return "file_change";
    case EventKind::tool_call: return "tool_call";
    case EventKind::web_search: return "web_search";
    case EventKind::approval: return "approval";
    case EventKind::warning: return "warning";
    case EventKind::other: return "other";
  }
  return "other";
}

std::string_view to_string(TurnStatus status) {
  switch (status) {
    case TurnStatus::completed: return "completed";
    case TurnStatus::failed: return "failed";
    case TurnStatus::interrupted: return "interrupted";
    case TurnStatus::timed_out: return "timeout";
  }
  return "failed";
}

TokenUsage& TokenUsage::operator+=(const TokenUsage& other) {
  input_tokens += other.input_tokens;
  cached_input_tokens += other.cached_input_tokens;
  output_tokens += other.output_tokens;
  reasoning_output_tokens += other.reasoning_output_tokens;
  total_tokens += other.total_tokens;
  return *this;
}

nlohmann::json to_json(const TokenUsage& usage) {
  return {{"input_tokens", usage.input_tokens},
          {"cached_input_tokens", usage.cached_input_tokens},
          {"output_tokens", usage.output_tokens},
          {"reasoning_output_tokens", usage.reasoning_output_tokens},
          {"total_tokens", usage.total_tokens}};
}

nlohmann::json to_json(const TurnError& error) {
  return {{"kind", to_string(error.kind)},
          {"cause", to_string(error.cause)},
          {"message", error.message},
          {"http_status", error.http_status ? nlohmann::json(*error.http_status) : nlohmann::json(nullptr)},
          {"retryable", error.retryable()}};
}

nlohmann::json to_json(const AgentTurnEvent& event) {
  return {{"kind", to_string(event.kind)}, {"summary", event.summary}, {"metadata", event.metadata}};
}

nlohmann::json to_json(const AgentTurnResult& result) {
  nlohmann::json events = nlohmann::json::array();
  for (const auto& event : result.events) events.push_back(to_json(event));
  nlohmann::json out = {{"turn_id", result.turn_id},
                        {"status", to_string(result.status)},
                        {"final_message", result.assistant_text},
                        {"structured_output", result.structured_output.value_or(nullptr)},
                        {"events", std::move(events)},
                        {"usage", to_json(result.usage)},
                        {"duration_ms", result.duration.count()},
                        {"error", nullptr}};
  if (!result.model.empty()) out["model"] = result.model;
  if (result.error) out["error"] = to_json(*result.error);
  return out;
}

void PrintTo(const AgentTurnEvent& event, std::ostream* out) { *out << to_json(event).dump(); }
void PrintTo(const AgentTurnResult& result, std::ostream* out) { *out << to_json(result).dump(); }

}  // namespace diary::agent
