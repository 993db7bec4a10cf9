#include "generate/prepare/claude_records.h"

#include <algorithm>
#include <array>

#include "generate/prepare/json_fields.h"

namespace diary::generate::prepare {

namespace {

// Session-level records Claude Code writes just before a prompt (snapshots, titles, modes).
bool is_pre_prompt_record(std::string_view type) {
  static constexpr std::array<std::string_view, 6> types = {
      "file-history-snapshot", "permission-mode", "last-prompt", "ai-title", "custom-title", "summary"};
  return std::find(types.begin(), types.end(), type) != types.end();
}

// message.content is a string or a list of blocks; tool results arrive as user messages whose
// blocks are all tool_result.
struct UserContent {
  std::string text;
  bool only_tool_results = false;
};

UserContent read_user_content(const nlohmann::json& message) {
  UserContent out;
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

}  // namespace

RecordClass classify_claude_record(const nlohmann::json& record, SessionFacts& facts) {
  remember(facts.cwd, string_field(record, "cwd"));
  remember(facts.session_id, string_field(record, "sessionId"));
  // The first record that says whether it is a sidechain decides for the whole file.
  if (const auto* sidechain = field(record, "isSidechain"); sidechain && sidechain->is_boolean() && !facts.sidechain_known) {
    facts.sidechain_known = true;
    if (sidechain->get<bool>()) facts.subagent = true;
  }

  const auto type = string_field(record, "type").value_or("");
  if (is_pre_prompt_record(type)) return {RecordRole::scaffold};
  if (type == "system" && string_field(record, "subtype").value_or("") == "away_summary") return {RecordRole::scaffold};
  if (type != "user") return {RecordRole::reaction};

  const auto* message = field(record, "message");
  if (message == nullptr || string_field(*message, "role").value_or("") != "user") return {RecordRole::reaction};
  if (true_field(record, "isSidechain")) return {RecordRole::reaction};
  // Tool results point back at the assistant message that asked for them.
  if (field(record, "sourceToolAssistantUUID") || field(record, "toolUseResult")) return {RecordRole::reaction};
  // Meta messages (command caveats) and compaction summaries are written by Claude Code itself.
  if (true_field(record, "isMeta") || true_field(record, "isCompactSummary")) return {RecordRole::scaffold};
  auto content = read_user_content(*message);
  if (content.only_tool_results) return {RecordRole::reaction};
  // Interruption notices and local command output close the running turn; they are no prompt.
  if (is_injected_context(content.text)) return {RecordRole::reaction};
  return {RecordRole::trigger, TriggerChannel::message, std::move(content.text)};
}

}  // namespace diary::generate::prepare
