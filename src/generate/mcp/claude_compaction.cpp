// The Claude Code half of the record interpretation (user / assistant / system records and the
// session bookkeeping records). Pure functions; thread-safe.
#include <charconv>

#include "generate/mcp/record_reading.h"
#include "generate/prepare/claude_records.h"
#include "generate/prepare/json_fields.h"
#include "generate/prepare/text_util.h"

namespace diary::generate::mcp::detail {

namespace {

using nlohmann::json;
using prepare::field;
using prepare::string_field;

constexpr std::array<std::string_view, 9> claude_metadata_types = {
    "summary",      "file-history-snapshot", "permission-mode", "last-prompt", "ai-title",
    "custom-title", "queue-operation",       "attachment",      "agent-name"};

constexpr std::array<std::string_view, 5> claude_metadata_system = {"compact_boundary", "turn_duration", "stop_hook_summary",
                                                                    "away_summary", "microcompact_boundary"};

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
  const bool edits = !file_path.empty() && (meta.contains("structuredPatch") || meta.contains("oldString") || type == "create" ||
                                            type == "update" || meta.contains("edits"));
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
  CompactRecord out = make_record(line, RecordKind::tool_result, "user");
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
  if (message == nullptr) return make_record(line, RecordKind::unknown, "user");
  const json empty = json::array();
  const json* content = field(*message, "content");
  if (content == nullptr) content = &empty;
  const bool sidechain = head.is_sidechain.is_true();
  if (content->is_array() && !sidechain) {
    const bool tool_results =
        std::any_of(content->begin(), content->end(), [](const json& block) { return str(block, "type") == "tool_result"; });
    if (tool_results) return claude_tool_results(record, *content, line);
  }
  prepare::SessionFacts facts;
  const prepare::RecordClass role = prepare::classify_claude_record(head, body, facts);
  const std::string text = prepare::read_claude_content(*message).text;
  CompactRecord out = make_record(line, RecordKind::user, "user");
  if (sidechain) {
    out.kind = RecordKind::subagent_message;
    out.text = text;
  } else if (role.role == prepare::RecordRole::trigger) {
    out.text = role.trigger_text;
  } else if (role.role == prepare::RecordRole::scaffold) {
    return std::nullopt;  // meta messages and compaction summaries
  } else if (prepare::trim_space(text).starts_with("[Request interrupted by user")) {
    return terminal_record(line, "user", TurnEnd::interrupted, text);
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
  if (message == nullptr) return make_record(line, RecordKind::unknown, "assistant");
  CompactRecord out = make_record(line, RecordKind::assistant, "assistant");
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

}  // namespace

std::optional<CompactRecord> compact_claude(std::string_view raw, std::size_t line) {
  prepare::ClaudeHead head;
  if (!prepare::skim_claude_record(raw, head) || head.root.kind != prepare::SkimValue::Kind::object)
    return malformed_record(raw, line);
  const std::string type = head.type.string().value_or("");
  if (one_of(type, claude_metadata_types)) return std::nullopt;
  if (head.is_meta.is_true() || head.is_compact_summary.is_true()) return std::nullopt;
  const std::string subtype = head.subtype.string().value_or("");
  if (type == "system" && one_of(subtype, claude_metadata_system)) return std::nullopt;
  prepare::RecordBody body(raw);
  const json* record = body.get();
  if (record == nullptr) return malformed_record(raw, line);
  if (type == "user") return claude_user(head, body, *record, line);
  if (type == "assistant") return claude_assistant(head, *record, line);
  CompactRecord other = make_record(line, RecordKind::unknown, subtype.empty() ? type : type + ":" + subtype);
  if (type == "system") other.text = str(*record, "content");
  return other;
}

}  // namespace diary::generate::mcp::detail
