#include "protocol.h"

#include <chrono>

namespace diary::test::fake {

namespace {

json optional_int(std::optional<std::int64_t> value) { return value ? json(*value) : json(nullptr); }

json token_breakdown(TokenCounts c) {
  return {{"totalTokens", c.input + c.output}, {"inputTokens", c.input},   {"cachedInputTokens", c.cached_input},
          {"cacheWriteInputTokens", 0},        {"outputTokens", c.output}, {"reasoningOutputTokens", c.reasoning_output}};
}

}  // namespace

std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::int64_t now_s() { return now_ms() / 1000; }

json notification(std::string_view method, json params) {
  return {{"method", method}, {"params", std::move(params)}, {"emittedAtMs", now_ms()}};
}

json result_response(const json& id, json result) { return {{"id", id}, {"result", std::move(result)}}; }

json error_response(const json& id, int code, std::string_view message) {
  return {{"error", {{"code", code}, {"message", message}}}, {"id", id}};
}

json server_request(std::int64_t id, std::string_view method, json params) {
  return {{"method", method}, {"id", id}, {"params", std::move(params)}};
}

json sandbox_policy(std::string_view mode) {
  if (mode == "danger-full-access") return {{"type", "dangerFullAccess"}};
  if (mode == "workspace-write")
    return {{"type", "workspaceWrite"},
            {"writableRoots", json::array()},
            {"networkAccess", false},
            {"excludeTmpdirEnvVar", false},
            {"excludeSlashTmp", false}};
  return {{"type", "readOnly"}, {"networkAccess", false}};
}

json thread_object(const ThreadInfo& t) {
  json roots = json::array({t.cwd});
  return {{"id", t.id},
          {"environments", json::array({{{"environmentId", "local"}, {"cwd", t.cwd}, {"runtimeWorkspaceRoots", roots}}})},
          {"extra", nullptr},
          {"sessionId", t.id},
          {"forkedFromId", nullptr},
          {"attachedToThreadId", nullptr},
          {"parentThreadId", nullptr},
          {"preview", ""},
          {"ephemeral", t.ephemeral},
          {"section", nullptr},
          {"sectionEnteredAt", nullptr},
          {"projectId", nullptr},
          {"historyMode", "paginated"},
          {"modelProvider", t.model_provider},
          {"model", t.model},
          {"reasoningEffort", nullptr},
          {"createdAt", t.created_at},
          {"updatedAt", t.created_at},
          {"recencyAt", t.created_at},
          {"status", {{"type", "idle"}}},
          {"path", t.rollout_path.empty() ? json(nullptr) : json(t.rollout_path)},
          {"cwd", t.cwd},
          {"cliVersion", "0.169.0"},
          {"originator", t.originator},
          {"source", "vscode"},
          {"canAcceptDirectInput", true},
          {"threadSource", nullptr},
          {"agentNickname", nullptr},
          {"agentRole", nullptr},
          {"gitInfo", nullptr},
          {"name", nullptr},
          {"daybreakEnabled", nullptr},
          {"turns", json::array()}};
}

json thread_start_result(const ThreadInfo& t) {
  return {{"thread", thread_object(t)},
          {"model", t.model},
          {"modelProvider", t.model_provider},
          {"serviceTier", nullptr},
          {"disabledPluginIds", json::array()},
          {"cwd", t.cwd},
          {"runtimeWorkspaceRoots", json::array({t.cwd})},
          {"instructionSources", json::array()},
          {"approvalPolicy", t.approval_policy},
          {"approvalsReviewer", "user"},
          {"sandbox", t.sandbox},
          {"activePermissionProfile", {{"id", ":read-only"}, {"extends", nullptr}}},
          {"reasoningEffort", nullptr},
          {"multiAgentMode", "explicitRequestOnly"}};
}

json turn_object(std::string_view id, std::string_view status, json error, std::optional<std::int64_t> started_at,
                 std::optional<std::int64_t> completed_at, std::optional<std::int64_t> duration_ms) {
  return {{"id", id},
          {"rootTurnId", id},
          {"items", json::array()},
          {"itemsView", "notLoaded"},
          {"status", status},
          {"error", std::move(error)},
          {"startedAt", optional_int(started_at)},
          {"completedAt", optional_int(completed_at)},
          {"durationMs", optional_int(duration_ms)}};
}

json turn_error(std::string_view message, json codex_error_info) {
  return {{"message", message},
          {"codexErrorInfo", std::move(codex_error_info)},
          {"additionalDetails", nullptr},
          {"misalignment", nullptr}};
}

json user_message_item(std::string_view id, std::string_view text, std::int64_t started_ms,
                       std::optional<std::int64_t> completed_ms) {
  json content = json::array({{{"type", "text"}, {"text", text}, {"text_elements", json::array()}}});
  return {{"type", "userMessage"},     {"id", id},
          {"clientId", nullptr},       {"content", std::move(content)},
          {"startedAtMs", started_ms}, {"completedAtMs", optional_int(completed_ms)}};
}

json agent_message_item(std::string_view id, std::string_view text, PhaseField phase, std::int64_t started_ms,
                        std::optional<std::int64_t> completed_ms) {
  json item = {{"type", "agentMessage"}, {"moderation", nullptr},     {"id", id},
               {"text", text},           {"memoryCitation", nullptr}, {"delivery", nullptr},
               {"questions", nullptr},   {"startedAtMs", started_ms}, {"completedAtMs", optional_int(completed_ms)}};
  switch (phase) {
    case PhaseField::omitted: break;
    case PhaseField::null: item["phase"] = nullptr; break;
    case PhaseField::commentary: item["phase"] = "commentary"; break;
    case PhaseField::final_answer: item["phase"] = "final_answer"; break;
  }
  return item;
}

json command_execution_item(std::string_view id, std::string_view command, std::string_view cwd, std::string_view status,
                            json aggregated_output, json exit_code, std::int64_t started_ms,
                            std::optional<std::int64_t> completed_ms) {
  bool done = completed_ms.has_value();
  return {{"type", "commandExecution"},
          {"id", id},
          {"pluginId", nullptr},
          {"scriptPath", nullptr},
          {"command", "/bin/bash -lc '" + std::string(command) + "'"},
          {"cwd", cwd},
          {"processId", done ? json("4242") : json(nullptr)},
          {"source", "agent"},
          {"status", status},
          {"commandActions", json::array({{{"type", "unknown"}, {"command", command}}})},
          {"aggregatedOutput", std::move(aggregated_output)},
          {"exitCode", std::move(exit_code)},
          {"durationMs", done ? json(*completed_ms - started_ms) : json(nullptr)},
          {"startedAtMs", started_ms},
          {"completedAtMs", optional_int(completed_ms)}};
}

json file_change_item(std::string_view id, std::string_view path, std::string_view status) {
  json change = {{"path", path}, {"kind", {{"type", "add"}}}, {"diff", "+hello from the fake app-server\n"}};
  return {{"type", "fileChange"}, {"id", id}, {"changes", json::array({change})}, {"status", status}};
}

json item_started(std::string_view thread_id, std::string_view turn_id, json item) {
  std::int64_t started = item.value("startedAtMs", now_ms());
  return notification("item/started",
                      {{"item", std::move(item)}, {"threadId", thread_id}, {"turnId", turn_id}, {"startedAtMs", started}});
}

json item_completed(std::string_view thread_id, std::string_view turn_id, json item) {
  return notification("item/completed", {{"item", std::move(item)},
                                         {"threadId", thread_id},
                                         {"turnId", turn_id},
                                         {"contentTokenCount", nullptr},
                                         {"completedAtMs", now_ms()}});
}

json token_usage_updated(std::string_view thread_id, std::string_view turn_id, TokenCounts total, TokenCounts last,
                         std::int64_t model_context_window) {
  return notification(
      "thread/tokenUsage/updated",
      {{"threadId", thread_id},
       {"turnId", turn_id},
       {"tokenUsage",
        {{"total", token_breakdown(total)}, {"last", token_breakdown(last)}, {"modelContextWindow", model_context_window}}}});
}

json thread_status_changed(std::string_view thread_id, json status) {
  return notification("thread/status/changed", {{"threadId", thread_id}, {"status", std::move(status)}});
}

}  // namespace diary::test::fake
