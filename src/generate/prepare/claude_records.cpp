#include "generate/prepare/claude_records.h"

#include <algorithm>
#include <array>

#include "generate/prepare/json_fields.h"

namespace diary::generate::prepare {

namespace {

// Session-level records Claude Code writes just before a prompt (snapshots, titles, modes).
bool is_pre_prompt_record(std::string_view type) {
  static constexpr std::array<std::string_view, 6> types = {"file-history-snapshot", "permission-mode", "last-prompt", "ai-title",
                                                            "custom-title",          "summary"};
  return std::find(types.begin(), types.end(), type) != types.end();
}

}  // namespace

ClaudeContent read_claude_content(const nlohmann::json& message) {
  ClaudeContent out;
  const auto* content = field(message, "content");
  if (content == nullptr) return out;
  if (content->is_string()) {
    out.text = content->get<std::string>();
    return out;
  }
  if (!content->is_array() || content->empty()) return out;
  out.only_tool_results = true;
  for (const auto& block : *content) {
    if (string_field(block, "type").value_or("") != "tool_result") out.only_tool_results = false;
    if (string_field(block, "type").value_or("") == "text") {
      if (!out.text.empty()) out.text += '\n';
      out.text += string_field(block, "text").value_or("");
    }
  }
  return out;
}

bool skim_claude_record(std::string_view line, ClaudeHead& head) {
  static constexpr SkimPath paths[] = {
      {{}, 0},
      {{"timestamp"}, 1},
      {{"type"}, 1},
      {{"subtype"}, 1},
      {{"cwd"}, 1},
      {{"isSidechain"}, 1},
      {{"isMeta"}, 1},
      {{"isCompactSummary"}, 1},
      {{"sourceToolAssistantUUID"}, 1},
      {{"toolUseResult"}, 1},
      {{"message", "role"}, 2},
  };
  SkimValue* out[] = {&head.root,
                      &head.timestamp,
                      &head.type,
                      &head.subtype,
                      &head.cwd,
                      &head.is_sidechain,
                      &head.is_meta,
                      &head.is_compact_summary,
                      &head.tool_assistant_uuid,
                      &head.tool_use_result,
                      &head.message_role};
  SkimValue values[std::size(paths)];
  if (!skim_json(line, paths, values)) return false;
  for (std::size_t i = 0; i < std::size(paths); ++i) *out[i] = values[i];
  return true;
}

RecordClass classify_claude_record(const ClaudeHead& head, RecordBody& body, SessionFacts& facts) {
  if (!facts.cwd) {
    if (auto cwd = head.cwd.string(); cwd && !cwd->empty()) facts.cwd = std::move(*cwd);
  }
  // The first record that says whether it is a sidechain decides for the whole file.
  const bool sidechain = head.is_sidechain.is_true();
  if (!facts.sidechain_known && (sidechain || head.is_sidechain.kind == SkimValue::Kind::boolean_false)) {
    facts.sidechain_known = true;
    facts.subagent = sidechain;
  }

  std::string type = head.type.string().value_or("");
  if (is_pre_prompt_record(type)) return {RecordRole::scaffold};
  if (type == "system" && head.subtype.equals("away_summary")) return {RecordRole::scaffold};
  if (type != "user" || !head.message_role.equals("user") || sidechain) return {RecordRole::reaction};
  // Tool results point back at the assistant message that asked for them.
  if (head.tool_assistant_uuid.present() || head.tool_use_result.present()) return {RecordRole::reaction};
  // Meta messages (command caveats) and compaction summaries are written by Claude Code itself.
  if (head.is_meta.is_true() || head.is_compact_summary.is_true()) return {RecordRole::scaffold};

  const auto* record = body.get();
  const auto* message = record ? field(*record, "message") : nullptr;
  if (message == nullptr) return {RecordRole::reaction};
  auto content = read_claude_content(*message);
  if (content.only_tool_results) return {RecordRole::reaction};
  // Interruption notices and local command output close the running turn; they are no prompt.
  if (is_injected_context(content.text)) return {RecordRole::reaction};
  return {RecordRole::trigger, TriggerChannel::message, std::move(content.text)};
}

}  // namespace diary::generate::prepare
