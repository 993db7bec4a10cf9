#include "generate/mcp/session_compaction.h"

#include <algorithm>
#include <array>
#include <charconv>

#include "generate/mcp/utf8_text.h"
#include "generate/prepare/claude_records.h"
#include "generate/prepare/codex_records.h"
#include "generate/prepare/json_fields.h"
#include "generate/prepare/text_util.h"

namespace diary::generate::mcp {

namespace {

using nlohmann::json;
using prepare::field;
using prepare::string_field;

template <std::size_t N>
bool one_of(std::string_view value, const std::array<std::string_view, N>& values) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

// Rollout items that only keep codex's own books.
constexpr std::array<std::string_view, 10> codex_metadata_types = {
    "session_meta",         "turn_context",           "token_usage_record", "world_state",
    "inter_agent_communication_metadata", "compacted", "retained_context",   "dynamic_tools_updated",
    "security_risk_score",  "realtime_item"};

// Events that are bookkeeping, reasoning, streaming deltas, or the start of a call whose end
// event (or item_completed) carries the same facts.
constexpr std::array<std::string_view, 27> codex_metadata_events = {
    "token_count",          "task_started",           "thread_settings_applied", "agent_reasoning",
    "agent_reasoning_raw_content", "agent_reasoning_section_break", "reasoning_content_delta",
    "reasoning_raw_content_delta", "agent_message_delta", "agent_message_content_delta",
    "agent_reasoning_delta", "item_started",          "exec_command_begin",      "exec_command_output_delta",
    "patch_apply_begin",    "patch_apply_updated",    "mcp_tool_call_begin",     "web_search_begin",
    "turn_diff",            "context_compacted",      "mcp_startup_update",      "mcp_startup_complete",
    "turn_started",         "session_configured",     "plan_delta",              "background_event",
    "terminal_interaction"};

constexpr std::array<std::string_view, 9> claude_metadata_types = {
    "summary", "file-history-snapshot", "permission-mode", "last-prompt", "ai-title",
    "custom-title", "queue-operation", "attachment", "agent-name"};

constexpr std::array<std::string_view, 5> claude_metadata_system = {
    "compact_boundary", "turn_duration", "stop_hook_summary", "away_summary", "microcompact_boundary"};

std::string str(const json& object, std::string_view key) { return std::string(string_field(object, key).value_or("")); }

const json* object_field(const json& object, std::string_view key) {
  const auto* value = field(object, key);
  return value != nullptr && value->is_object() ? value : nullptr;
}

std::optional<long long> integer_field(const json& object, std::string_view key) {
  const auto* value = field(object, key);
  if (value == nullptr || !value->is_number_integer()) return std::nullopt;
  return value->get<long long>();
}

// Any JSON value as text: strings as they are, anything else as compact JSON.
std::string as_text(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return {};
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

void add_unavailable(CompactRecord& record, std::string what) {
  if (std::find(record.unavailable.begin(), record.unavailable.end(), what) == record.unavailable.end())
    record.unavailable.push_back(std::move(what));
}

// Text parts of a content list (Codex output items, MCP results, Claude tool_result content),
// joined by "\n"; image parts are noted as unavailable.
std::string parts_text(const json& content, CompactRecord& record) {
  if (content.is_string()) return content.get<std::string>();
  if (!content.is_array()) return as_text(content);
  std::string text;
  for (const auto& part : content) {
    const std::string type = str(part, "type");
    if (type.find("image") != std::string::npos) {
      add_unavailable(record, "image");
      continue;
    }
    if (auto piece = string_field(part, "text")) {
      if (!text.empty()) text += '\n';
      text += *piece;
    }
  }
  return text;
}

// ["/bin/bash", "-lc", "ls -a"] -> "ls -a"; other argument vectors joined by spaces.
std::string command_text(const json& command) {
  if (command.is_string()) return command.get<std::string>();
  if (!command.is_array()) return {};
  std::vector<std::string> words;
  for (const auto& word : command)
    if (word.is_string()) words.push_back(word.get<std::string>());
  if (words.size() == 3 && (words[1] == "-lc" || words[1] == "-c")) {
    const std::string shell = words[0].substr(words[0].rfind('/') + 1);
    if (shell == "bash" || shell == "sh" || shell == "zsh") return words[2];
  }
  std::string text;
  for (const auto& word : words) {
    if (!text.empty()) text += ' ';
    text += word;
  }
  return text;
}

// "Process exited with code 2" (unified exec) or "Exit code: 0" (shell output) near the top of
// a Codex tool output.
std::optional<long long> exit_code_in_output(std::string_view output) {
  static constexpr std::array<std::string_view, 2> markers = {"Process exited with code ", "Exit code: "};
  std::size_t begin = 0;
  for (int line = 0; line < 6 && begin < output.size(); ++line) {
    const std::size_t end = std::min(output.find('\n', begin), output.size());
    const std::string_view text = output.substr(begin, end - begin);
    for (auto marker : markers) {
      if (!text.starts_with(marker)) continue;
      long long code = 0;
      const auto digits = text.substr(marker.size());
      auto [ptr, error] = std::from_chars(digits.data(), digits.data() + digits.size(), code);
      if (error == std::errc() && ptr != digits.data()) return code;
    }
    begin = end + 1;
  }
  return std::nullopt;
}

CompactRecord make(std::size_t line, RecordKind kind, std::string source_type) {
  CompactRecord record;
  record.line = line;
  record.kind = kind;
  record.source_type = std::move(source_type);
  return record;
}

CompactRecord malformed(std::string_view raw, std::size_t line) {
  CompactRecord record = make(line, RecordKind::malformed, "");
  record.text = repair_utf8(raw);
  return record;
}

// ---------------------------------------------------------------------------------------------
// Codex

// The text of a neighbouring response_item message of `role`, if the line is one.
std::optional<std::string> codex_message_text(std::string_view line, std::string_view role) {
  prepare::CodexHead head;
  if (!prepare::skim_codex_record(line, head) || !head.type.equals("response_item") ||
      !head.payload_type.equals("message") || !head.payload_role.equals(role))
    return std::nullopt;
  prepare::RecordBody body(line);
  const auto* record = body.get();
  const auto* payload = record ? object_field(*record, "payload") : nullptr;
  if (payload == nullptr) return std::nullopt;
  return prepare::codex_content_text(*payload);
}

// The line an event echo repeats: the adjacent response_item message with the same text
// (whitespace trimmed, as prepare pairs prompts with their echoes). A user echo follows its
// message, an agent echo precedes it; both neighbours are tried.
std::optional<std::size_t> codex_echo_of(std::string_view text, std::string_view role, std::size_t line,
                                         const Neighbours& neighbours) {
  const bool user = role == "user";
  const std::optional<std::string_view> first = user ? neighbours.previous : neighbours.next;
  const std::optional<std::string_view> second = user ? neighbours.next : neighbours.previous;
  const std::size_t first_line = user ? line - 1 : line + 1;
  const std::size_t second_line = user ? line + 1 : line - 1;
  const auto wanted = prepare::trim_space(text);
  if (first) {
    if (auto other = codex_message_text(*first, role); other && prepare::trim_space(*other) == wanted) return first_line;
  }
  if (second) {
    if (auto other = codex_message_text(*second, role); other && prepare::trim_space(*other) == wanted) return second_line;
  }
  return std::nullopt;
}

void note_images(const json& holder, CompactRecord& record) {
  const auto* content = field(holder, "content");
  if (content == nullptr || !content->is_array()) return;
  for (const auto& part : *content)
    if (str(part, "type").find("image") != std::string::npos) add_unavailable(record, "image");
}

// A user-role message (response_item or event echo): prepare decides prompt or injected context.
std::optional<CompactRecord> codex_user_message(const prepare::CodexHead& head, prepare::RecordBody& body,
                                                const json& holder, bool echo, std::size_t line,
                                                const Neighbours& neighbours, std::string source_type) {
  prepare::SessionFacts facts;
  const prepare::RecordClass role = prepare::classify_codex_record(head, body, facts);
  if (role.role != prepare::RecordRole::trigger) {
    const std::string text = echo ? std::string() : prepare::codex_content_text(holder);
    if (prepare::trim_space(text).starts_with("<subagent_notification>")) {
      CompactRecord record = make(line, RecordKind::subagent_message, std::move(source_type));
      record.text = text;
      return record;
    }
    return std::nullopt;  // injected context: environment, AGENTS.md, notices
  }
  if (echo) {
    if (auto original = codex_echo_of(role.trigger_text, "user", line, neighbours)) {
      CompactRecord record = make(line, RecordKind::duplicate, std::move(source_type));
      record.duplicate_of = original;
      return record;
    }
  }
  CompactRecord record = make(line, RecordKind::user, std::move(source_type));
  record.text = role.trigger_text;
  note_images(holder, record);
  return record;
}

CompactRecord codex_agent_message(std::string text, bool echo, std::size_t line, const Neighbours& neighbours,
                                  std::string source_type) {
  if (echo) {
    if (auto original = codex_echo_of(text, "assistant", line, neighbours)) {
      CompactRecord record = make(line, RecordKind::duplicate, std::move(source_type));
      record.duplicate_of = original;
      return record;
    }
  }
  CompactRecord record = make(line, RecordKind::assistant, std::move(source_type));
  record.text = std::move(text);
  return record;
}

// exec_command {"cmd": "..."}, shell {"command": [...]}, shell_command {"command": "..."}.
std::string command_of_arguments(std::string_view name, const std::string& arguments) {
  if (name != "exec_command" && name != "shell" && name != "shell_command" && name != "local_shell") return {};
  auto parsed = json::parse(arguments, nullptr, false);
  if (!parsed.is_object()) return {};
  if (const auto* cmd = field(parsed, "cmd")) return command_text(*cmd);
  if (const auto* command = field(parsed, "command")) return command_text(*command);
  return {};
}

CompactRecord codex_tool_call(const json& payload, std::string_view payload_type, std::size_t line,
                              std::string source_type) {
  CompactRecord record = make(line, RecordKind::tool_call, std::move(source_type));
  ToolUse use;
  use.call_id = str(payload, "call_id");
  if (payload_type == "function_call") {
    use.name = str(payload, "name");
    use.input = payload.contains("arguments") ? as_text(payload["arguments"]) : std::string();
    use.command = command_of_arguments(use.name, use.input);
  } else if (payload_type == "custom_tool_call") {
    use.name = str(payload, "name");
    use.input = payload.contains("input") ? as_text(payload["input"]) : std::string();
  } else if (payload_type == "local_shell_call") {
    use.name = "local_shell";
    const auto* action = object_field(payload, "action");
    use.command = action && action->contains("command") ? command_text((*action)["command"]) : std::string();
    use.input = use.command;
  } else {
    // web_search_call, tool_search_call, image_generation_call: the action is the input.
    use.name = std::string(payload_type.substr(0, payload_type.size() - std::string_view("_call").size()));
    if (const auto* action = field(payload, "action")) use.input = as_text(*action);
  }
  record.tool_uses.push_back(std::move(use));
  return record;
}

// function_call_output / custom_tool_call_output: the text the model got back.
CompactRecord codex_tool_output(const json& payload, std::size_t line, std::string source_type) {
  CompactRecord record = make(line, RecordKind::tool_result, std::move(source_type));
  ToolResult result;
  result.kind = ToolResultKind::output;
  result.call_id = str(payload, "call_id");
  const json output = payload.contains("output") ? payload["output"] : json();
  result.output = parts_text(output, record);
  // Older rollouts wrap shell output as {"output": "...", "metadata": {"exit_code": N}}.
  if (!result.output.empty() && result.output.front() == '{') {
    auto wrapped = json::parse(result.output, nullptr, false);
    const auto* metadata = wrapped.is_object() ? object_field(wrapped, "metadata") : nullptr;
    if (metadata != nullptr && wrapped.contains("output")) {
      result.exit_code = integer_field(*metadata, "exit_code");
      result.output = as_text(wrapped["output"]);
    }
  }
  if (!result.exit_code) result.exit_code = exit_code_in_output(result.output);
  record.tool_results.push_back(std::move(result));
  return record;
}

// {path: {type: add|update|delete, content|unified_diff, move_path}} (0.169.0 FileChange item)
// or {path: {add: {content}} | {update: {unified_diff, move_path}} | {delete: {...}}} (older
// patch_apply_end events).
std::vector<FileChange> codex_file_changes(const json& changes) {
  std::vector<FileChange> out;
  if (!changes.is_object()) return out;
  for (const auto& [path, change] : changes.items()) {
    FileChange file;
    file.path = path;
    const json* detail = &change;
    if (auto type = string_field(change, "type")) {
      file.operation = std::string(*type);
    } else if (change.is_object() && change.size() == 1 && change.begin().value().is_object()) {
      file.operation = change.begin().key();
      detail = &change.begin().value();
    }
    file.diff = str(*detail, "unified_diff");
    if (file.diff.empty()) file.diff = str(*detail, "content");
    file.move_path = str(*detail, "move_path");
    out.push_back(std::move(file));
  }
  return out;
}

// The fields every Codex call item / end event shares: its call id (items name it `id`, events
// `call_id`) and its status.
ToolResult codex_result(const json& item, ToolResultKind kind) {
  ToolResult result;
  result.kind = kind;
  result.call_id = str(item, "id");
  if (result.call_id.empty()) result.call_id = str(item, "call_id");
  result.status = str(item, "status");
  return result;
}

ToolResult codex_command_result(const json& item) {
  ToolResult result = codex_result(item, ToolResultKind::command);
  result.command = item.contains("command") ? command_text(item["command"]) : std::string();
  result.exit_code = integer_field(item, "exit_code");
  result.output = str(item, "aggregated_output");
  if (result.output.empty()) result.output = str(item, "formatted_output");
  if (result.output.empty()) result.output = str(item, "stdout");
  result.stderr_text = str(item, "stderr");
  if (result.stderr_text == result.output) result.stderr_text.clear();
  return result;
}

ToolResult codex_file_change_result(const json& item) {
  ToolResult result = codex_result(item, ToolResultKind::file_change);
  if (result.status.empty() && item.contains("success") && item["success"].is_boolean())
    result.status = item["success"].get<bool>() ? "completed" : "failed";
  if (const auto* changes = field(item, "changes")) result.changes = codex_file_changes(*changes);
  result.output = str(item, "stdout");
  result.stderr_text = str(item, "stderr");
  return result;
}

// McpToolCall item {server, tool, status, result{content}, error{message}} or the older
// mcp_tool_call_end {invocation{server, tool}, result{Ok{content}|Err}}.
ToolResult codex_mcp_result(const json& item, CompactRecord& record) {
  ToolResult result = codex_result(item, ToolResultKind::mcp);
  const json* names = object_field(item, "invocation");
  if (names == nullptr) names = &item;
  const std::string server = str(*names, "server"), tool = str(*names, "tool");
  result.name = server.empty() ? tool : server + "." + tool;
  const json* outcome = field(item, "result");
  if (outcome != nullptr && outcome->is_object()) {
    if (const auto* ok = field(*outcome, "Ok")) outcome = ok;
    else if (const auto* err = field(*outcome, "Err")) result.error = as_text(*err), outcome = nullptr;
  }
  if (outcome != nullptr && !outcome->is_null()) {
    const auto* content = field(*outcome, "content");
    result.output = content ? parts_text(*content, record) : as_text(*outcome);
    if (prepare::true_field(*outcome, "is_error") || prepare::true_field(*outcome, "isError")) result.is_error = true;
  }
  if (const auto* error = field(item, "error"); error != nullptr && !error->is_null())
    result.error = error->is_object() ? str(*error, "message") : as_text(*error);
  if (result.is_error && result.status.empty()) result.status = "error";
  return result;
}

CompactRecord tool_result_record(ToolResult result, std::size_t line, std::string source_type) {
  CompactRecord record = make(line, RecordKind::tool_result, std::move(source_type));
  record.tool_results.push_back(std::move(result));
  return record;
}

CompactRecord terminal(std::size_t line, std::string source_type, TurnEnd end, std::string text) {
  CompactRecord record = make(line, RecordKind::terminal, std::move(source_type));
  record.turn_end = end;
  record.text = std::move(text);
  return record;
}

std::optional<CompactRecord> codex_item_completed(const prepare::CodexHead& head, prepare::RecordBody& body,
                                                  const json& payload, std::size_t line, const Neighbours& neighbours) {
  const json* item = object_field(payload, "item");
  if (item == nullptr) return make(line, RecordKind::unknown, "event_msg:item_completed");
  const std::string type = str(*item, "type");
  std::string source_type = "event_msg:item_completed:" + type;
  if (type == "UserMessage") return codex_user_message(head, body, *item, true, line, neighbours, std::move(source_type));
  if (type == "AgentMessage")
    return codex_agent_message(prepare::codex_content_text(*item), true, line, neighbours, std::move(source_type));
  if (type == "Reasoning" || type == "ContextCompaction" || type == "HookPrompt") return std::nullopt;
  if (type == "CommandExecution") return tool_result_record(codex_command_result(*item), line, std::move(source_type));
  if (type == "FileChange") return tool_result_record(codex_file_change_result(*item), line, std::move(source_type));
  if (type == "McpToolCall") {
    CompactRecord record = make(line, RecordKind::tool_result, std::move(source_type));
    record.tool_results.push_back(codex_mcp_result(*item, record));
    return record;
  }
  if (type == "CollabAgentToolCall" || type == "DynamicToolCall" || type == "WebSearch") {
    ToolResult result = codex_result(*item, ToolResultKind::output);
    result.name = str(*item, "tool");
    if (result.name.empty()) result.name = type == "WebSearch" ? "web_search" : str(*item, "name");
    result.output = str(*item, type == "WebSearch" ? "query" : "prompt");
    return tool_result_record(std::move(result), line, std::move(source_type));
  }
  return make(line, RecordKind::unknown, std::move(source_type));
}

std::optional<CompactRecord> codex_event(const prepare::CodexHead& head, prepare::RecordBody& body, const json& payload,
                                         std::string_view payload_type, std::size_t line, const Neighbours& neighbours) {
  std::string source_type = "event_msg:" + std::string(payload_type);
  if (payload_type == "user_message") {
    json holder = {{"content", str(payload, "message")}};
    return codex_user_message(head, body, holder, true, line, neighbours, std::move(source_type));
  }
  if (payload_type == "agent_message")
    return codex_agent_message(str(payload, "message"), true, line, neighbours, std::move(source_type));
  if (payload_type == "item_completed") return codex_item_completed(head, body, payload, line, neighbours);
  if (payload_type == "exec_command_end") return tool_result_record(codex_command_result(payload), line, std::move(source_type));
  if (payload_type == "patch_apply_end") return tool_result_record(codex_file_change_result(payload), line, std::move(source_type));
  if (payload_type == "mcp_tool_call_end") {
    CompactRecord record = make(line, RecordKind::tool_result, std::move(source_type));
    record.tool_results.push_back(codex_mcp_result(payload, record));
    return record;
  }
  if (payload_type == "task_complete") return terminal(line, std::move(source_type), TurnEnd::completed, "turn completed");
  if (payload_type == "turn_aborted") {
    const std::string reason = str(payload, "reason");
    return terminal(line, std::move(source_type), TurnEnd::interrupted, reason.empty() ? "turn aborted" : "turn aborted: " + reason);
  }
  if (payload_type == "error") return terminal(line, std::move(source_type), TurnEnd::failed, "error: " + str(payload, "message"));
  return make(line, RecordKind::unknown, std::move(source_type));
}

std::optional<CompactRecord> codex_response_item(const prepare::CodexHead& head, prepare::RecordBody& body,
                                                 const json& payload, std::string_view payload_type, std::size_t line,
                                                 const Neighbours& neighbours) {
  std::string source_type = "response_item:" + std::string(payload_type);
  if (payload_type == "message") {
    const std::string role = str(payload, "role");
    if (role == "user") return codex_user_message(head, body, payload, false, line, neighbours, std::move(source_type));
    if (role == "assistant") {
      CompactRecord record = codex_agent_message(prepare::codex_content_text(payload), false, line, neighbours,
                                                 std::move(source_type));
      note_images(payload, record);
      return record;
    }
    return std::nullopt;  // developer / system instructions
  }
  if (payload_type == "reasoning" || payload_type == "compaction" || payload_type == "additional_tools" ||
      payload_type == "configuration_update" || payload_type == "ghost_snapshot")
    return std::nullopt;
  if (payload_type == "function_call" || payload_type == "custom_tool_call" || payload_type == "local_shell_call" ||
      payload_type == "web_search_call" || payload_type == "tool_search_call" || payload_type == "image_generation_call")
    return codex_tool_call(payload, payload_type, line, std::move(source_type));
  if (payload_type == "function_call_output" || payload_type == "custom_tool_call_output" ||
      payload_type == "tool_search_output")
    return codex_tool_output(payload, line, std::move(source_type));
  if (payload_type == "agent_message") {
    CompactRecord record = make(line, RecordKind::subagent_message, std::move(source_type));
    record.text = prepare::codex_content_text(payload);
    return record;
  }
  return make(line, RecordKind::unknown, std::move(source_type));
}

std::optional<CompactRecord> compact_codex(std::string_view raw, std::size_t line, const Neighbours& neighbours) {
  prepare::CodexHead head;
  if (!prepare::skim_codex_record(raw, head) || head.root.kind != prepare::SkimValue::Kind::object)
    return malformed(raw, line);
  const std::string type = head.type.string().value_or("");
  const std::string payload_type = head.payload_type.string().value_or("");
  // Decided from the skimmed head: metadata is never parsed.
  if (one_of(type, codex_metadata_types)) return std::nullopt;
  if (type == "event_msg" && (one_of(payload_type, codex_metadata_events) || payload_type.ends_with("_delta")))
    return std::nullopt;
  prepare::RecordBody body(raw);
  const json* record = body.get();
  if (record == nullptr) return malformed(raw, line);
  const json* payload = object_field(*record, "payload");
  if (type == "event_msg" && payload) return codex_event(head, body, *payload, payload_type, line, neighbours);
  if (type == "response_item" && payload) return codex_response_item(head, body, *payload, payload_type, line, neighbours);
  if (type == "inter_agent_communication") {
    CompactRecord message = make(line, RecordKind::subagent_message, type);
    if (payload) {
      message.text = prepare::codex_content_text(*payload);
      if (message.text.empty()) message.text = str(*payload, "message");
    }
    return message;
  }
  return make(line, RecordKind::unknown, type);
}

// ---------------------------------------------------------------------------------------------
// Claude Code

// structuredPatch hunks [{oldStart, oldLines, newStart, newLines, lines: [...]}] as diff text.
std::string claude_patch_text(const json& hunks) {
  std::string text;
  if (!hunks.is_array()) return text;
  for (const auto& hunk : hunks) {
    const auto* lines = field(hunk, "lines");
    if (lines == nullptr || !lines->is_array()) continue;
    for (const auto& line : *lines) {
      if (!line.is_string()) continue;
      text += line.get<std::string>();
      text += '\n';
    }
  }
  return text;
}

// Applies the record-level toolUseResult (what the tool itself reported) to a tool result.
void apply_claude_tool_use_result(const json& meta, ToolResult& result) {
  if (meta.is_string()) {
    if (result.output.empty()) result.output = meta.get<std::string>();
    return;
  }
  if (!meta.is_object()) return;
  const std::string file_path = str(meta, "filePath");
  const std::string type = str(meta, "type");
  const bool edits = !file_path.empty() && (meta.contains("structuredPatch") || meta.contains("oldString") ||
                                            type == "create" || type == "update" || meta.contains("edits"));
  if (edits) {
    result.kind = ToolResultKind::file_change;
    FileChange change;
    change.path = file_path;
    change.operation = type == "create" ? "add" : "update";
    if (const auto* patch = field(meta, "structuredPatch")) change.diff = claude_patch_text(*patch);
    if (change.diff.empty()) change.diff = str(meta, "content");
    result.changes.push_back(std::move(change));
    return;
  }
  if (const auto* file = object_field(meta, "file")) {
    result.file_path = str(*file, "filePath");
    return;
  }
  if (!file_path.empty()) {
    result.file_path = file_path;
    return;
  }
  if (meta.contains("stdout") || meta.contains("stderr")) {
    result.kind = ToolResultKind::command;
    result.command = str(meta, "command");
    result.stderr_text = str(meta, "stderr");
    if (result.output.empty()) result.output = str(meta, "stdout");
    if (prepare::true_field(meta, "interrupted")) result.status = "interrupted";
  }
}

// "Exit code 1\n..." is how Claude Code reports a failing Bash command.
std::optional<long long> claude_exit_code(std::string_view output) {
  constexpr std::string_view marker = "Exit code ";
  if (!output.starts_with(marker)) return std::nullopt;
  long long code = 0;
  const auto digits = output.substr(marker.size());
  auto [ptr, error] = std::from_chars(digits.data(), digits.data() + digits.size(), code);
  if (error != std::errc() || ptr == digits.data()) return std::nullopt;
  return code;
}

CompactRecord claude_tool_results(const json& record, const json& content, std::size_t line) {
  CompactRecord out = make(line, RecordKind::tool_result, "user");
  const json* meta = field(record, "toolUseResult");
  for (const auto& block : content) {
    const std::string type = str(block, "type");
    if (type == "text") {
      if (!out.text.empty()) out.text += '\n';
      out.text += str(block, "text");
      continue;
    }
    if (type.find("image") != std::string::npos) add_unavailable(out, "image");
    if (type != "tool_result") continue;
    ToolResult result;
    result.call_id = str(block, "tool_use_id");
    result.is_error = prepare::true_field(block, "is_error");
    if (const auto* payload = field(block, "content")) result.output = parts_text(*payload, out);
    // One toolUseResult per record: it belongs to its (only) tool_result block.
    if (meta != nullptr && out.tool_results.empty()) apply_claude_tool_use_result(*meta, result);
    if (result.is_error) {
      if (result.status.empty()) result.status = "error";
      result.exit_code = claude_exit_code(result.output);
    }
    out.tool_results.push_back(std::move(result));
  }
  return out;
}

std::optional<CompactRecord> claude_user(const prepare::ClaudeHead& head, prepare::RecordBody& body, const json& record,
                                         std::size_t line) {
  const json* message = object_field(record, "message");
  if (message == nullptr) return make(line, RecordKind::unknown, "user");
  const json empty = json::array();
  const json* content = field(*message, "content");
  if (content == nullptr) content = &empty;
  const bool sidechain = head.is_sidechain.is_true();
  if (content->is_array() && !sidechain) {
    const bool tool_results = std::any_of(content->begin(), content->end(),
                                          [](const json& block) { return str(block, "type") == "tool_result"; });
    if (tool_results) return claude_tool_results(record, *content, line);
  }
  prepare::SessionFacts facts;
  const prepare::RecordClass role = prepare::classify_claude_record(head, body, facts);
  const std::string text = prepare::read_claude_content(*message).text;
  CompactRecord out = make(line, RecordKind::user, "user");
  if (sidechain) {
    out.kind = RecordKind::subagent_message;
    out.text = text;
  } else if (role.role == prepare::RecordRole::trigger) {
    out.text = role.trigger_text;
  } else if (role.role == prepare::RecordRole::scaffold) {
    return std::nullopt;  // meta messages and compaction summaries
  } else if (prepare::trim_space(text).starts_with("[Request interrupted by user")) {
    return terminal(line, "user", TurnEnd::interrupted, text);
  } else if (prepare::is_injected_context(text)) {
    // Output of a local slash command the user ran.
    out.kind = RecordKind::tool_result;
    ToolResult result;
    result.name = "local_command";
    result.output = text;
    out.tool_results.push_back(std::move(result));
  } else {
    out.kind = RecordKind::unknown;
  }
  if (content->is_array())
    for (const auto& block : *content)
      if (str(block, "type").find("image") != std::string::npos) add_unavailable(out, "image");
  return out;
}

std::optional<CompactRecord> claude_assistant(const prepare::ClaudeHead& head, const json& record, std::size_t line) {
  const json* message = object_field(record, "message");
  if (message == nullptr) return make(line, RecordKind::unknown, "assistant");
  CompactRecord out = make(line, RecordKind::assistant, "assistant");
  out.text = prepare::read_claude_content(*message).text;
  bool hidden_reasoning = false;
  if (const auto* content = field(*message, "content"); content && content->is_array()) {
    for (const auto& block : *content) {
      const std::string type = str(block, "type");
      if (type == "tool_use" || type == "server_tool_use") {
        ToolUse use;
        use.name = str(block, "name");
        use.call_id = str(block, "id");
        if (const auto* input = field(block, "input")) {
          use.input = as_text(*input);
          if (const auto* command = field(*input, "command")) use.command = command_text(*command);
        }
        out.tool_uses.push_back(std::move(use));
      } else if (type == "thinking" || type == "redacted_thinking") {
        hidden_reasoning = true;
      } else if (type.find("image") != std::string::npos) {
        add_unavailable(out, "image");
      }
    }
  }
  if (head.is_sidechain.is_true()) {
    out.kind = RecordKind::subagent_message;
  } else if (out.text.empty()) {
    if (!out.tool_uses.empty()) out.kind = RecordKind::tool_call;
    else if (hidden_reasoning) return std::nullopt;  // reasoning only
    else out.kind = RecordKind::unknown;
  }
  if (hidden_reasoning) add_unavailable(out, "thinking");
  return out;
}

std::optional<CompactRecord> compact_claude(std::string_view raw, std::size_t line) {
  prepare::ClaudeHead head;
  if (!prepare::skim_claude_record(raw, head) || head.root.kind != prepare::SkimValue::Kind::object)
    return malformed(raw, line);
  const std::string type = head.type.string().value_or("");
  if (one_of(type, claude_metadata_types)) return std::nullopt;
  if (head.is_meta.is_true() || head.is_compact_summary.is_true()) return std::nullopt;
  const std::string subtype = head.subtype.string().value_or("");
  if (type == "system" && one_of(subtype, claude_metadata_system)) return std::nullopt;
  prepare::RecordBody body(raw);
  const json* record = body.get();
  if (record == nullptr) return malformed(raw, line);
  if (type == "user") return claude_user(head, body, *record, line);
  if (type == "assistant") return claude_assistant(head, *record, line);
  CompactRecord other = make(line, RecordKind::unknown, subtype.empty() ? type : type + ":" + subtype);
  if (type == "system") other.text = str(*record, "content");
  return other;
}

// ---------------------------------------------------------------------------------------------
// JSON

void put_trimmed(json& out, const char* key, std::string_view value, bool& truncated) {
  if (value.empty()) return;
  bool cut = false;
  out[key] = trim_payload(value, cut);
  truncated = truncated || cut;
}

json tool_use_json(const ToolUse& use, bool& record_truncated) {
  json out = json::object();
  out["name"] = use.name.empty() ? "unknown" : use.name;
  bool cut = false;
  put_trimmed(out, "input_summary", use.input, cut);
  if (cut) out["truncated"] = true;
  record_truncated = record_truncated || cut;
  return out;
}

json change_json(const FileChange& change, bool& truncated) {
  json out = json::object();
  out["path"] = change.path;
  if (!change.operation.empty()) out["operation"] = change.operation;
  bool cut = false;
  put_trimmed(out, "preview", change.diff, cut);
  if (!change.move_path.empty()) out["move_path"] = change.move_path;
  if (cut) out["truncated"] = true;
  truncated = truncated || cut;
  return out;
}

json tool_result_json(const ToolResult& result, bool& record_truncated) {
  json out = json::object();
  out["kind"] = to_string(result.kind);
  bool cut = false;
  if (!result.name.empty()) out["name"] = result.name;
  if (!result.status.empty()) out["status"] = result.status;
  put_trimmed(out, "command", result.command, cut);
  if (result.exit_code) out["exit_code"] = *result.exit_code;
  if (!result.file_path.empty()) out["file_path"] = result.file_path;
  put_trimmed(out, "preview", result.output, cut);
  put_trimmed(out, "stderr", result.stderr_text, cut);
  put_trimmed(out, "error", result.error, cut);
  if (!result.changes.empty()) {
    json changes = json::array();
    for (const auto& change : result.changes) changes.push_back(change_json(change, cut));
    out["changes"] = std::move(changes);
  }
  if (cut) out["truncated"] = true;
  record_truncated = record_truncated || cut;
  return out;
}

}  // namespace

std::string_view to_string(RecordKind kind) {
  switch (kind) {
    case RecordKind::user: return "user";
    case RecordKind::assistant: return "assistant";
    case RecordKind::tool_call: return "tool_call";
    case RecordKind::tool_result: return "tool_result";
    case RecordKind::subagent_message: return "subagent_message";
    case RecordKind::terminal: return "terminal";
    case RecordKind::duplicate: return "duplicate";
    case RecordKind::malformed: return "malformed";
    case RecordKind::unknown: return "unknown";
  }
  return "unknown";
}

std::string_view to_string(ToolResultKind kind) {
  switch (kind) {
    case ToolResultKind::command: return "command";
    case ToolResultKind::file_change: return "file_change";
    case ToolResultKind::mcp: return "mcp";
    case ToolResultKind::output: return "output";
  }
  return "output";
}

std::string trim_payload(std::string_view payload, bool& trimmed) {
  trimmed = payload.size() > short_payload_bytes;
  if (!trimmed) return std::string(payload);
  std::string out(utf8_head(payload, preview_head_bytes));
  out += trim_marker;
  out += utf8_tail(payload, preview_tail_bytes);
  return out;
}

std::optional<CompactRecord> compact_record(std::string_view raw, std::size_t line, std::string_view source,
                                            const Neighbours& neighbours) {
  if (source == claude_source) return compact_claude(raw, line);
  return compact_codex(raw, line, neighbours);
}

json to_json(const CompactRecord& record) {
  json out = json::object();
  out["line"] = record.line;
  out["kind"] = to_string(record.kind);
  if (!record.source_type.empty()) out["source_type"] = record.source_type;
  bool truncated = false;
  if (record.kind == RecordKind::malformed || record.kind == RecordKind::unknown || record.kind == RecordKind::terminal) {
    put_trimmed(out, "text", record.text, truncated);
  } else if (!record.text.empty()) {
    out["text"] = record.text;  // what a person or an agent wrote: exact
  }
  if (!record.tool_uses.empty()) {
    json uses = json::array();
    for (const auto& use : record.tool_uses) uses.push_back(tool_use_json(use, truncated));
    out["tool_uses"] = std::move(uses);
  }
  if (!record.tool_results.empty()) {
    json results = json::array();
    for (const auto& result : record.tool_results) results.push_back(tool_result_json(result, truncated));
    out["tool_results"] = std::move(results);
  }
  if (record.duplicate_of) out["duplicate_of"] = *record.duplicate_of;
  if (!record.unavailable.empty()) out["unavailable"] = record.unavailable;
  if (truncated) out["truncated"] = true;
  return out;
}

}  // namespace diary::generate::mcp
