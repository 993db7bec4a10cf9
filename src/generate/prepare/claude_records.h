// Classifies Claude Code project session records (type user / assistant / system / summary /
// file-history-snapshot ...) for turn detection and collects session facts. Records are first
// skimmed; only possible prompts are parsed in full. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "generate/prepare/json_skim.h"
#include "generate/prepare/session_record.h"

namespace diary::generate::prepare {

struct ClaudeHead {
  SkimValue root, timestamp, type, subtype, cwd, is_sidechain, is_meta, is_compact_summary, tool_assistant_uuid, tool_use_result,
      message_role;
};

// False when the line is not valid JSON.
bool skim_claude_record(std::string_view line, ClaudeHead& head);

RecordClass classify_claude_record(const ClaudeHead& head, RecordBody& body, SessionFacts& facts);

// message.content is a string or a list of blocks: the text blocks joined by "\n" (exactly the
// text a trigger is compared by); tool results arrive as user messages whose blocks are all
// tool_result.
struct ClaudeContent {
  std::string text;
  bool only_tool_results = false;
};
ClaudeContent read_claude_content(const nlohmann::json& message);

}  // namespace diary::generate::prepare
