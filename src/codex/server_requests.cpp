#include "codex/server_requests.h"

namespace diary::codex {

agent::ApprovalRequest approval_request_from(const std::string& method, const protocol::ApprovalParams& params) {
  agent::ApprovalRequest request;
  request.method = method;
  request.reason = params.reason;
  if (method == "item/commandExecution/requestApproval" || method == "execCommandApproval") {
    request.kind = agent::ApprovalKind::command;
    request.command = params.command;
    request.cwd = params.cwd;
  } else if (method == "item/fileChange/requestApproval" || method == "applyPatchApproval") {
    request.kind = agent::ApprovalKind::file_change;
    request.paths.assign(params.paths.begin(), params.paths.end());
  } else {
    request.kind = agent::ApprovalKind::permissions;
  }
  return request;
}

json approval_result(const std::string& method, agent::ApprovalDecision decision) {
  using agent::ApprovalDecision;
  if (protocol::is_legacy_approval_method(method)) {
    switch (decision) {
      case ApprovalDecision::accept: return {{"decision", "approved"}};
      case ApprovalDecision::accept_for_session: return {{"decision", "approved_for_session"}};
      case ApprovalDecision::cancel: return {{"decision", "abort"}};
      case ApprovalDecision::decline: return {{"decision", "denied"}};
    }
  }
  if (method == "item/permissions/requestApproval") {
    // Granting nothing is how a permission request is declined; diary never widens a sandbox.
    return {{"permissions", json::object()}, {"scope", "turn"}};
  }
  switch (decision) {  // codex's v2 wire names, owned here (the port's names are diary's own)
    case ApprovalDecision::accept: return {{"decision", "accept"}};
    case ApprovalDecision::accept_for_session: return {{"decision", "acceptForSession"}};
    case ApprovalDecision::cancel: return {{"decision", "cancel"}};
    case ApprovalDecision::decline: break;
  }
  return {{"decision", "decline"}};
}

std::optional<json> fallback_result(const std::string& method) {
  if (method == "item/tool/requestUserInput") return json{{"answers", json::object()}};
  if (method == "mcpServer/elicitation/request") return json{{"action", "decline"}};
  if (method == "item/tool/call")
    return json{{"success", false},
                {"contentItems", json::array({{{"type", "inputText"}, {"text", "diary provides no dynamic tools"}}})}};
  return std::nullopt;
}

}  // namespace diary::codex
