// Builders for the JSON messages of `codex app-server` 0.169.0, shaped like what the real
// server emits (field names and casing copied from captured output and the JSON schemas in
// /work/shared/codex-protocol/0.169.0). Pure functions apart from reading the clock.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace diary::test::fake {

using nlohmann::json;

std::int64_t now_ms();
std::int64_t now_s();

// Envelopes (JSON-RPC 2.0 without the "jsonrpc" field).
json notification(std::string_view method, json params);  // adds top-level emittedAtMs
json result_response(const json& id, json result);
json error_response(const json& id, int code, std::string_view message);
json server_request(std::int64_t id, std::string_view method, json params);

struct ThreadInfo {
  std::string id;
  std::string cwd;
  std::string model;
  std::string model_provider;
  std::string approval_policy;
  json sandbox;  // already in the v2 SandboxPolicy shape ({"type":"readOnly",...})
  bool ephemeral = false;
  std::string originator;
  std::string rollout_path;  // empty for ephemeral threads
  std::int64_t created_at = 0;
};

json sandbox_policy(std::string_view sandbox_mode);  // "read-only" | "workspace-write" | ...
json thread_object(const ThreadInfo& thread);
json thread_start_result(const ThreadInfo& thread);

// Turn as carried by turn/start's response, turn/started and turn/completed.
json turn_object(std::string_view id, std::string_view status, json error, std::optional<std::int64_t> started_at,
                 std::optional<std::int64_t> completed_at, std::optional<std::int64_t> duration_ms);
json turn_error(std::string_view message, json codex_error_info);

// Thread items. `completed_ms` empty = still running (item/started).
json user_message_item(std::string_view id, std::string_view text, std::int64_t started_ms,
                       std::optional<std::int64_t> completed_ms);
enum class PhaseField { omitted, null, commentary, final_answer };
json agent_message_item(std::string_view id, std::string_view text, PhaseField phase, std::int64_t started_ms,
                        std::optional<std::int64_t> completed_ms);
json command_execution_item(std::string_view id, std::string_view command, std::string_view cwd, std::string_view status,
                            json aggregated_output, json exit_code, std::int64_t started_ms,
                            std::optional<std::int64_t> completed_ms);
json file_change_item(std::string_view id, std::string_view path, std::string_view status);

json item_started(std::string_view thread_id, std::string_view turn_id, json item);
json item_completed(std::string_view thread_id, std::string_view turn_id, json item);

struct TokenCounts {
  std::int64_t input = 0, cached_input = 0, output = 0, reasoning_output = 0;
};
json token_usage_updated(std::string_view thread_id, std::string_view turn_id, TokenCounts total, TokenCounts last,
                         std::int64_t model_context_window);

json thread_status_changed(std::string_view thread_id, json status);

}  // namespace diary::test::fake
