// Translation of app-server *requests* (the server asking the client) into neutral approval
// requests, and of decisions back into each method's result shape. Requests that are not
// approvals get a fixed, fail-closed answer; unknown ones get -32601. Pure functions.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "agent/agent_config.h"
#include "codex/codex_protocol.h"

namespace diary::codex {

using json = nlohmann::json;

// The approval an approval request asks for (its params decoded by protocol::decode_approval).
agent::ApprovalRequest approval_request_from(const std::string& method, const protocol::ApprovalParams& params);

// The result to send for an approval method and decision.
json approval_result(const std::string& method, agent::ApprovalDecision decision);

// The fail-closed result for known non-approval requests (user input, elicitation, dynamic
// tools); nullopt when the method is unknown (answer -32601).
std::optional<json> fallback_result(const std::string& method);

}  // namespace diary::codex
