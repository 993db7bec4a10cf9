// Translation of app-server payloads into the neutral agent types: completed items into
// AgentTurnEvents, tokenUsage into TokenUsage, turn.error/codexErrorInfo into TurnError.
// Pure functions.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "agent/agent_turn.h"

namespace diary::codex {

using json = nlohmann::json;

// nullopt for items that are not worth an event (e.g. the echo of our own user message).
std::optional<agent::AgentTurnEvent> event_from_item(const json& item);

agent::TokenUsage usage_from_breakdown(const json& breakdown);

// turn.error {message, codexErrorInfo, additionalDetails} -> TurnError with the cause mapped by
// cause_from_codex_error_info (codex_error_causes.h).
agent::TurnError turn_error_from(const json& error);

// The thread id and turn id a notification belongs to ("" when absent). Looks at threadId,
// turnId and the nested turn.id / turn.threadId.
std::string thread_id_of(const json& params);
std::string turn_id_of(const json& params);

}  // namespace diary::codex
