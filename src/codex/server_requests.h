// Translation of app-server *requests* (the server asking the client) into neutral approval
// requests, and of decisions back into each method's result shape. Requests that are not
// approvals get a fixed, fail-closed answer; unknown ones get -32601. Pure functions.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "agent/agent_config.h"

namespace diary::codex {

using json = nlohmann::json;

// The approval a request asks for, or nullopt if the method is not an approval.
std::optional<agent::ApprovalRequest> approval_request_from(const std::string& method, const json& params);

// The result to send for an approval method and decision.
json approval_result(const std::string& method, agent::ApprovalDecision decision);

// The fail-closed result for known non-approval requests (user input, elicitation, dynamic
// tools); nullopt when the method is unknown (answer -32601).
std::optional<json> fallback_result(const std::string& method);

}  // namespace diary::codex
