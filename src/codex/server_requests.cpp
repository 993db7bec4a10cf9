#include "codex/server_requests.h"

namespace diary::codex {

namespace {

std::string str(const json& params, const char* key) {
  if (!params.is_object()) return {};
  auto it = params.find(key);
  if (it == params.end()) return {};
  if (it->is_string()) return it->get<std::string>();
  if (it->is_array()) {  // legacy requests carry argv arrays
    std::string joined;
    for (const auto& part : *it)
      if (part.is_string()) joined += (joined.empty() ? "" : " ") + part.get<std::string>();
    return joined;
  }
  return {};
}

bool is_legacy(const std::string& method) { return method == "execCommandApproval" || method == "applyPatchApproval"; }

}  // namespace

std::optional<agent::ApprovalRequest> approval_request_from(const std::string& method, const json& params) {
  agent::ApprovalRequest request;
  request.method = method;
  request.reason = str(params, "reason");
  if (method == "item/commandExecution/requestApproval" || method == "execCommandApproval") {
    request.kind = agent::ApprovalKind::command;
    request.command = str(params, "command");
    request.cwd = str(params, "cwd");
    return request;
  }
  if (method == "item/fileChange/requestApproval" || method == "applyPatchApproval") {
    request.kind = agent::ApprovalKind::file_change;
    if (auto root = str(params, "grantRoot"); !root.empty()) request.paths.emplace_back(root);
    if (auto changes = params.find("fileChanges"); changes != params.end() && changes->is_object())
      for (const auto& [path, change] : changes->items()) request.paths.emplace_back(path);
    return request;
  }
  if (method == "item/permissions/requestApproval") {
    request.kind = agent::ApprovalKind::permissions;
    return request;
  }
  return std::nullopt;
}

json approval_result(const std::string& method, agent::ApprovalDecision decision) {
  using agent::ApprovalDecision;
  if (is_legacy(method)) {
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
