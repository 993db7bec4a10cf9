#include "generate/prepare/codex_records.h"

#include "generate/prepare/json_fields.h"
#include "generate/prepare/text_util.h"

namespace diary::generate::prepare {

namespace {

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
  if (auto thread_source = string_field(payload, "thread_source");
      thread_source && equals_ignoring_case(*thread_source, "subagent"))
    facts.subagent = true;
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

std::string codex_content_text(const nlohmann::json& holder) {
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

bool skim_codex_record(std::string_view line, CodexHead& head) {
  static constexpr SkimPath paths[] = {
      {{}, 0},
      {{"timestamp"}, 1},
      {{"type"}, 1},
      {{"payload", "type"}, 2},
      {{"payload", "role"}, 2},
      {{"payload", "item", "type"}, 3},
  };
  SkimValue* out[] = {&head.root, &head.timestamp, &head.type, &head.payload_type, &head.payload_role, &head.item_type};
  SkimValue values[std::size(paths)];
  if (!skim_json(line, paths, values)) return false;
  for (std::size_t i = 0; i < std::size(paths); ++i) *out[i] = values[i];
  return true;
}

RecordClass classify_codex_record(const CodexHead& head, RecordBody& body, SessionFacts& facts) {
  static const nlohmann::json empty_object = nlohmann::json::object();
  // The payload of the fully parsed record, for the few records whose content matters.
  auto payload = [&]() -> const nlohmann::json* {
    const auto* record = body.get();
    if (record == nullptr) return nullptr;
    const auto* value = field(*record, "payload");
    return value != nullptr && value->is_object() ? value : &empty_object;
  };

  // Human prompts: the response_item message and its event echo (item_completed UserMessage
  // in 0.169.0, user_message in older versions).
  if (head.type.equals("response_item") && head.payload_type.equals("message") && head.payload_role.equals("user")) {
    const auto* p = payload();
    if (p == nullptr) return {RecordRole::reaction};
    return trigger_or_context(codex_content_text(*p), TriggerChannel::message, provenance_says_injected(*p), facts);
  }
  if (head.type.equals("event_msg") && head.payload_type.equals("user_message")) {
    const auto* p = payload();
    if (p == nullptr) return {RecordRole::reaction};
    return trigger_or_context(std::string(string_field(*p, "message").value_or("")), TriggerChannel::event_echo, false, facts);
  }
  if (head.type.equals("event_msg") && head.payload_type.equals("item_completed") && head.item_type.equals("UserMessage")) {
    const auto* p = payload();
    const auto* item = p ? field(*p, "item") : nullptr;
    if (item == nullptr) return {RecordRole::reaction};
    return trigger_or_context(codex_content_text(*item), TriggerChannel::event_echo, false, facts);
  }

  if (head.type.equals("session_meta")) {
    if (const auto* p = payload()) read_session_meta(*p, facts);
    return {RecordRole::scaffold};
  }
  if (head.type.equals("turn_context") && !facts.cwd) {
    if (const auto* p = payload()) remember(facts.cwd, string_field(*p, "cwd"));
  }
  if (head.type.equals("event_msg") && head.payload_type.equals("task_started")) {
    facts.in_turn_setup = true;
    return {RecordRole::scaffold};
  }
  if (head.type.equals("event_msg") && (head.payload_type.equals("task_complete") || head.payload_type.equals("turn_aborted"))) {
    facts.in_turn_setup = false;
    return {RecordRole::reaction};
  }
  // Between task_started and the prompt everything sets the turn up, whatever its type.
  if (facts.in_turn_setup) return {RecordRole::scaffold};
  if (head.type.equals("turn_context") || head.type.equals("world_state")) return {RecordRole::scaffold};
  if (head.type.equals("event_msg") && head.payload_type.equals("thread_settings_applied")) return {RecordRole::scaffold};
  if (head.type.equals("response_item") && head.payload_type.equals("message") &&
      (head.payload_role.equals("developer") || head.payload_role.equals("system")))
    return {RecordRole::scaffold};
  return {RecordRole::reaction};
}

}  // namespace diary::generate::prepare
