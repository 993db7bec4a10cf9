#include "generate/mcp/session_compaction.h"

#include "generate/mcp/record_reading.h"
#include "generate/mcp/utf8_text.h"

namespace diary::generate::mcp {

namespace {

using nlohmann::json;

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
  if (source == claude_source) return detail::compact_claude(raw, line);
  return detail::compact_codex(raw, line, neighbours);
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
