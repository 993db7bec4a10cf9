// Classifies Codex rollout records ({timestamp, type, payload}) for turn detection and
// collects session facts from session_meta / turn_context. Records are first skimmed for
// type / payload.type / payload.role / payload.item.type; only prompts and metadata are parsed
// in full. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "generate/prepare/json_skim.h"
#include "generate/prepare/session_record.h"

namespace diary::generate::prepare {

struct CodexHead {
  SkimValue root, timestamp, type, payload_type, payload_role, item_type;
};

// False when the line is not valid JSON.
bool skim_codex_record(std::string_view line, CodexHead& head);

RecordClass classify_codex_record(const CodexHead& head, RecordBody& body, SessionFacts& facts);

// The text parts of a message's content joined by "\n": response_item messages use input_text /
// output_text parts, item_completed UserMessage / AgentMessage items use text parts; a string
// content is taken whole. Exactly the text a trigger is compared by.
std::string codex_content_text(const nlohmann::json& holder);

}  // namespace diary::generate::prepare
