// Translation of decoded app-server payloads (codex_protocol.h) into the neutral agent types:
// completed items into AgentTurnEvents, turn.error/codexErrorInfo into TurnError.
// Pure functions.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "agent/agent_turn.h"
#include "codex/codex_protocol.h"

namespace diary::codex {

using json = nlohmann::json;

// nullopt for items that are not worth an event (e.g. the echo of our own user message).
std::optional<agent::AgentTurnEvent> event_from_item(const protocol::ThreadItem& item);

// turn.error {message, codexErrorInfo, additionalDetails} -> TurnError with the cause mapped by
// cause_from_codex_error_info (codex_error_causes.h).
agent::TurnError turn_error_from(const json& error);

}  // namespace diary::codex
