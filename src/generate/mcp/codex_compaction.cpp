// The Codex rollout half of the record interpretation ({timestamp, type, payload} items:
// response_item, event_msg, bookkeeping). Pure functions; thread-safe.
#include <charconv>

#include "generate/mcp/record_reading.h"
#include "generate/mcp/utf8_text.h"
#include "generate/prepare/codex_records.h"
#include "generate/prepare/json_skim.h"
#include "generate/prepare/json_fields.h"
#include "generate/prepare/text_util.h"

namespace diary::generate::mcp::detail {

namespace {

using nlohmann::json;
using prepare::field;
using prepare::string_field;

// Rollout items that only keep codex's own books.
constexpr std::array<std::string_view, 10> codex_metadata_types = {
    "session_meta", "turn_context",     "token_usage_record",    "world_state",         "inter_agent_communication_metadata",
    "compacted",    "retained_context", "dynamic_tools_updated", "security_risk_score", "realtime_item"};

// Events that are bookkeeping, reasoning, streaming deltas, or the start of a call whose end
// event (or item_completed) carries the same facts.
constexpr std::array<std::string_view, 27> codex_metadata_events = {"token_count",
                                                                    "task_started",
                                                                    "thread_settings_applied",
                                                                    "agent_reasoning",
                                                                    "agent_reasoning_raw_content",
                                                                    "agent_reasoning_section_break",
                                                                    "reasoning_content_delta",
                                                                    "reasoning_raw_content_delta",
                                                                    "agent_message_delta",
                                                                    "agent_message_content_delta",
                                                                    "agent_reasoning_delta",
                                                                    "item_started",
                                                                    "exec_command_begin",
                                                                    "exec_command_output_delta",
                                                                    "patch_apply_begin",
                                                                    "patch_apply_updated",
                                                                    "mcp_tool_call_begin",
                                                                    "web_search_begin",
                                                                    "turn_diff",
                                                                    "context_compacted",
                                                                    "mcp_startup_update",
                                                                    "mcp_startup_complete",
                                                                    "turn_started",
                                                                    "session_configured",
                                                                    "plan_delta",
                                                                    "background_event",
                                                                    "terminal_interaction"};

// Response items that are reasoning or codex's own context management.
constexpr std::array<std::string_view, 5> codex_metadata_items = {"reasoning", "compaction", "additional_tools",
                                                                  "configuration_update", "ghost_snapshot"};

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

// The text of a neighbouring response_item message of `role`, if the line is one.
std::optional<std::string> codex_message_text(std::string_view line, std::string_view role) {
  prepare::CodexHead head;
  if (!prepare::skim_codex_record(line, head) || !head.type.equals("response_item") || !head.payload_type.equals("message") ||
      !head.payload_role.equals(role))
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
std::optional<CompactRecord> codex_user_message(const prepare::CodexHead& head, prepare::RecordBody& body, const json& holder,
                                                bool echo, std::size_t line, const Neighbours& neighbours,
                                                std::string source_type) {
  prepare::SessionFacts facts;
  const prepare::RecordClass role = prepare::classify_codex_record(head, body, facts);
  if (role.role != prepare::RecordRole::trigger) {
    const std::string text = echo ? std::string() : prepare::codex_content_text(holder);
    if (prepare::trim_space(text).starts_with("<subagent_notification>")) {
      CompactRecord record = make_record(line, RecordKind::subagent_message, std::move(source_type));
      record.text = text;
      return record;
    }
    return std::nullopt;  // injected context: environment, AGENTS.md, notices
  }
  if (echo) {
    if (auto original = codex_echo_of(role.trigger_text, "user", line, neighbours)) {
      CompactRecord record = make_record(line, RecordKind::duplicate, std::move(source_type));
      record.duplicate_of = original;
      return record;
    }
  }
  CompactRecord record = make_record(line, RecordKind::user, std::move(source_type));
  record.text = role.trigger_text;
  note_images(holder, record);
  return record;
}

CompactRecord codex_agent_message(std::string text, bool echo, std::size_t line, const Neighbours& neighbours,
                                  std::string source_type) {
  if (echo) {
    if (auto original = codex_echo_of(text, "assistant", line, neighbours)) {
      CompactRecord record = make_record(line, RecordKind::duplicate, std::move(source_type));
      record.duplicate_of = original;
      return record;
    }
  }
  CompactRecord record = make_record(line, RecordKind::assistant, std::move(source_type));
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

CompactRecord codex_tool_call(const json& payload, std::string_view payload_type, std::size_t line, std::string source_type) {
  CompactRecord record = make_record(line, RecordKind::tool_call, std::move(source_type));
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

// What a tool output says beyond its text: older rollouts wrap shell output as
// {"output": "...", "metadata": {"exit_code": N}}; newer ones print the exit code in its head.
CompactRecord finish_tool_output(CompactRecord record, ToolResult result) {
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

// function_call_output / custom_tool_call_output: the text the model got back.
CompactRecord codex_tool_output(const json& payload, std::size_t line, std::string source_type) {
  CompactRecord record = make_record(line, RecordKind::tool_result, std::move(source_type));
  ToolResult result;
  result.kind = ToolResultKind::output;
  result.call_id = str(payload, "call_id");
  const json output = payload.contains("output") ? payload["output"] : json();
  result.output = parts_text(output, record);
  return finish_tool_output(std::move(record), std::move(result));
}

// Skimmed strings are not checked for UTF-8 (parsed ones are): repair them before use.
std::string valid_utf8(std::string text) { return is_valid_utf8(text) ? std::move(text) : repair_utf8(text); }

// Tool outputs hold most of a rollout's bytes: a plain-text output (and a CommandExecution
// item) is read straight from the skimmed line instead of through a parsed document. nullopt:
// the record takes the general path.
std::optional<CompactRecord> skimmed_tool_output(std::string_view raw, std::size_t line, const std::string& payload_type) {
  static constexpr prepare::SkimPath paths[] = {{{"payload", "call_id"}, 2}, {{"payload", "output"}, 2}};
  prepare::SkimValue values[std::size(paths)];
  if (!prepare::skim_json(raw, paths, values) || values[1].kind != prepare::SkimValue::Kind::string) return std::nullopt;
  auto output = values[1].string();
  if (!output) return std::nullopt;
  ToolResult result;
  result.kind = ToolResultKind::output;
  result.call_id = valid_utf8(values[0].string().value_or(""));
  result.output = valid_utf8(std::move(*output));
  return finish_tool_output(make_record(line, RecordKind::tool_result, "response_item:" + payload_type), std::move(result));
}

std::optional<CompactRecord> skimmed_command_execution(std::string_view raw, std::size_t line) {
  static constexpr prepare::SkimPath paths[] = {
      {{"payload", "item", "type"}, 3},      {{"payload", "item", "id"}, 3},     {{"payload", "item", "command"}, 3},
      {{"payload", "item", "exit_code"}, 3}, {{"payload", "item", "status"}, 3}, {{"payload", "item", "aggregated_output"}, 3}};
  prepare::SkimValue values[std::size(paths)];
  if (!prepare::skim_json(raw, paths, values) || !values[0].equals("CommandExecution") ||
      values[5].kind != prepare::SkimValue::Kind::string)
    return std::nullopt;
  auto output = values[5].string();
  if (!output || output->empty()) return std::nullopt;  // the general path looks further
  ToolResult result;
  result.kind = ToolResultKind::command;
  result.call_id = valid_utf8(values[1].string().value_or(""));
  result.status = valid_utf8(values[4].string().value_or(""));
  if (values[2].present()) result.command = command_text(json::parse(values[2].raw, nullptr, false));
  result.command = valid_utf8(std::move(result.command));
  if (values[3].kind == prepare::SkimValue::Kind::number) {
    long long code = 0;
    const auto text = values[3].raw;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), code);
    if (error == std::errc() && end == text.data() + text.size()) result.exit_code = code;
  }
  result.output = valid_utf8(std::move(*output));
  return tool_result_record(std::move(result), line, "event_msg:item_completed:CommandExecution");
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

std::optional<CompactRecord> codex_item_completed(const prepare::CodexHead& head, prepare::RecordBody& body, const json& payload,
                                                  std::size_t line, const Neighbours& neighbours) {
  const json* item = object_field(payload, "item");
  if (item == nullptr) return make_record(line, RecordKind::unknown, "event_msg:item_completed");
  const std::string type = str(*item, "type");
  std::string source_type = "event_msg:item_completed:" + type;
  if (type == "UserMessage") return codex_user_message(head, body, *item, true, line, neighbours, std::move(source_type));
  if (type == "AgentMessage")
    return codex_agent_message(prepare::codex_content_text(*item), true, line, neighbours, std::move(source_type));
  if (type == "Reasoning" || type == "ContextCompaction" || type == "HookPrompt") return std::nullopt;
  if (type == "CommandExecution") return tool_result_record(codex_command_result(*item), line, std::move(source_type));
  if (type == "FileChange") return tool_result_record(codex_file_change_result(*item), line, std::move(source_type));
  if (type == "McpToolCall") {
    CompactRecord record = make_record(line, RecordKind::tool_result, std::move(source_type));
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
  return make_record(line, RecordKind::unknown, std::move(source_type));
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
  if (payload_type == "patch_apply_end")
    return tool_result_record(codex_file_change_result(payload), line, std::move(source_type));
  if (payload_type == "mcp_tool_call_end") {
    CompactRecord record = make_record(line, RecordKind::tool_result, std::move(source_type));
    record.tool_results.push_back(codex_mcp_result(payload, record));
    return record;
  }
  if (payload_type == "task_complete") return terminal_record(line, std::move(source_type), TurnEnd::completed, "turn completed");
  if (payload_type == "turn_aborted") {
    const std::string reason = str(payload, "reason");
    return terminal_record(line, std::move(source_type), TurnEnd::interrupted,
                           reason.empty() ? "turn aborted" : "turn aborted: " + reason);
  }
  if (payload_type == "error")
    return terminal_record(line, std::move(source_type), TurnEnd::failed, "error: " + str(payload, "message"));
  return make_record(line, RecordKind::unknown, std::move(source_type));
}

std::optional<CompactRecord> codex_response_item(const prepare::CodexHead& head, prepare::RecordBody& body, const json& payload,
                                                 std::string_view payload_type, std::size_t line, const Neighbours& neighbours) {
  std::string source_type = "response_item:" + std::string(payload_type);
  if (payload_type == "message") {
    const std::string role = str(payload, "role");
    if (role == "user") return codex_user_message(head, body, payload, false, line, neighbours, std::move(source_type));
    if (role == "assistant") {
      CompactRecord record =
          codex_agent_message(prepare::codex_content_text(payload), false, line, neighbours, std::move(source_type));
      note_images(payload, record);
      return record;
    }
    return std::nullopt;  // developer / system instructions
  }
  if (one_of(payload_type, codex_metadata_items)) return std::nullopt;
  if (payload_type == "function_call" || payload_type == "custom_tool_call" || payload_type == "local_shell_call" ||
      payload_type == "web_search_call" || payload_type == "tool_search_call" || payload_type == "image_generation_call")
    return codex_tool_call(payload, payload_type, line, std::move(source_type));
  if (payload_type == "function_call_output" || payload_type == "custom_tool_call_output" || payload_type == "tool_search_output")
    return codex_tool_output(payload, line, std::move(source_type));
  if (payload_type == "agent_message") {
    CompactRecord record = make_record(line, RecordKind::subagent_message, std::move(source_type));
    record.text = prepare::codex_content_text(payload);
    return record;
  }
  return make_record(line, RecordKind::unknown, std::move(source_type));
}

}  // namespace

std::optional<CompactRecord> compact_codex(std::string_view raw, std::size_t line, const Neighbours& neighbours) {
  prepare::CodexHead head;
  if (!prepare::skim_codex_record(raw, head) || head.root.kind != prepare::SkimValue::Kind::object)
    return malformed_record(raw, line);
  const std::string type = head.type.string().value_or("");
  const std::string payload_type = head.payload_type.string().value_or("");
  // Decided from the skimmed head: metadata is never parsed.
  if (one_of(type, codex_metadata_types)) return std::nullopt;
  if (type == "event_msg" && (one_of(payload_type, codex_metadata_events) || payload_type.ends_with("_delta")))
    return std::nullopt;
  if (type == "response_item" &&
      (one_of(payload_type, codex_metadata_items) ||
       (payload_type == "message" && (head.payload_role.equals("developer") || head.payload_role.equals("system")))))
    return std::nullopt;
  if (type == "response_item" && (payload_type == "function_call_output" || payload_type == "custom_tool_call_output"))
    if (auto record = skimmed_tool_output(raw, line, payload_type)) return record;
  if (type == "event_msg" && payload_type == "item_completed" && head.item_type.equals("CommandExecution"))
    if (auto record = skimmed_command_execution(raw, line)) return record;
  prepare::RecordBody body(raw);
  const json* record = body.get();
  if (record == nullptr) return malformed_record(raw, line);
  const json* payload = object_field(*record, "payload");
  if (type == "event_msg" && payload) return codex_event(head, body, *payload, payload_type, line, neighbours);
  if (type == "response_item" && payload) return codex_response_item(head, body, *payload, payload_type, line, neighbours);
  if (type == "inter_agent_communication") {
    CompactRecord message = make_record(line, RecordKind::subagent_message, type);
    if (payload) {
      message.text = prepare::codex_content_text(*payload);
      if (message.text.empty()) message.text = str(*payload, "message");
    }
    return message;
  }
  return make_record(line, RecordKind::unknown, type);
}

}  // namespace diary::generate::mcp::detail
