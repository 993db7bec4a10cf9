#include "generate/prepare/codex_records.h"

#include <algorithm>
#include <cctype>

#include "generate/prepare/json_fields.h"

namespace diary::generate::prepare {

namespace {

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](char x, char y) { return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y)); });
}

// session_meta.payload.source is "cli" / "exec" / ... or {"subagent": ...} (serde spelling;
// the app-server protocol spells it subAgent). Either marks a child thread.
bool is_subagent_source(const nlohmann::json& source) {
  if (source.is_string()) return equals_ignoring_case(source.get_ref<const std::string&>().substr(0, 8), "subagent");
  if (!source.is_object()) return false;
  for (const auto& [key, value] : source.items())
    if (equals_ignoring_case(key, "subagent")) return true;
  return false;
}

void read_session_meta(const nlohmann::json& payload, SessionFacts& facts) {
  remember(facts.session_id, string_field(payload, "id"));
  remember(facts.cwd, string_field(payload, "cwd"));
  remember(facts.originator, string_field(payload, "originator"));
  remember(facts.forked_from_id, string_field(payload, "forked_from_id"));
  remember(facts.fallback_timestamp, string_field(payload, "timestamp"));
  if (const auto* source = field(payload, "source"); source && is_subagent_source(*source)) facts.subagent = true;
  if (auto thread_source = string_field(payload, "thread_source"); thread_source && equals_ignoring_case(*thread_source, "subagent"))
    facts.subagent = true;
}

// The text parts of a message's content joined: response_item messages use input_text /
// output_text parts, item_completed UserMessage items use text parts.
std::string content_text(const nlohmann::json& holder) {
  const auto* content = field(holder, "content");
  if (content == nullptr) return {};
  if (content->is_string()) return content->get<std::string>();
  std::string text;
  if (!content->is_array()) return text;
  for (const auto& part : *content) {
    if (auto piece = string_field(part, "text")) {
      if (!text.empty()) text += '\n';
      text += *piece;
    }
  }
  return text;
}

// Codex 0.169.0 tags every content part with its provenance ("user", "harness", "skills"...).
// When the tags are present, a message none of whose parts the user wrote is injected context.
bool provenance_says_injected(const nlohmann::json& payload) {
  const auto* passthrough = field(payload, "internal_chat_message_metadata_passthrough");
  const auto* parts = passthrough ? field(*passthrough, "content_item_metadata") : nullptr;
  if (parts == nullptr || !parts->is_array() || parts->empty()) return false;
  for (const auto& part : *parts) {
    const auto* provenance = field(part, "provenance");
    if (provenance && string_field(*provenance, "type").value_or("") == "user") return false;
  }
  return true;
}

RecordClass trigger_or_context(std::string text, TriggerChannel channel, bool injected, SessionFacts& facts) {
  if (injected || is_injected_context(text)) return {RecordRole::scaffold};
  facts.in_turn_setup = false;
  return {RecordRole::trigger, channel, std::move(text)};
}

}  // namespace

RecordClass classify_codex_record(const nlohmann::json& record, SessionFacts& facts) {
  const auto type = string_field(record, "type").value_or("");
  const auto* payload = field(record, "payload");
  static const nlohmann::json empty_object = nlohmann::json::object();
  if (payload == nullptr || !payload->is_object()) payload = &empty_object;
  const auto payload_type = string_field(*payload, "type").value_or("");

  // Human prompts: the response_item message and its event echo (item_completed UserMessage
  // in 0.169.0, user_message in older versions).
  if (type == "response_item" && payload_type == "message" && string_field(*payload, "role").value_or("") == "user")
    return trigger_or_context(content_text(*payload), TriggerChannel::message, provenance_says_injected(*payload), facts);
  if (type == "event_msg" && payload_type == "user_message")
    return trigger_or_context(std::string(string_field(*payload, "message").value_or("")), TriggerChannel::event_echo,
                              false, facts);
  if (type == "event_msg" && payload_type == "item_completed") {
    const auto* item = field(*payload, "item");
    if (item && string_field(*item, "type").value_or("") == "UserMessage")
      return trigger_or_context(content_text(*item), TriggerChannel::event_echo, false, facts);
  }

  if (type == "session_meta") {
    read_session_meta(*payload, facts);
    return {RecordRole::scaffold};
  }
  if (type == "turn_context") remember(facts.cwd, string_field(*payload, "cwd"));
  if (type == "event_msg" && payload_type == "task_started") {
    facts.in_turn_setup = true;
    return {RecordRole::scaffold};
  }
  if (type == "event_msg" && (payload_type == "task_complete" || payload_type == "turn_aborted")) {
    facts.in_turn_setup = false;
    return {RecordRole::reaction};
  }
  // Between task_started and the prompt everything sets the turn up, whatever its type.
  if (facts.in_turn_setup) return {RecordRole::scaffold};
  if (type == "turn_context" || type == "world_state") return {RecordRole::scaffold};
  if (type == "event_msg" && payload_type == "thread_settings_applied") return {RecordRole::scaffold};
  if (type == "response_item" && payload_type == "message") {
    const auto role = string_field(*payload, "role").value_or("");
    if (role == "developer" || role == "system") return {RecordRole::scaffold};
  }
  return {RecordRole::reaction};
}

}  // namespace diary::generate::prepare
