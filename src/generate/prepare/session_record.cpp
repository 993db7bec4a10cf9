#include "generate/prepare/session_record.h"

#include <array>

#include "generate/prepare/text_util.h"

namespace diary::generate::prepare {

const nlohmann::json* RecordBody::get() {
  if (!parsed_) {
    parsed_ = true;
    json_ = nlohmann::json::parse(text_, nullptr, /*allow_exceptions=*/false);
  }
  return json_.is_discarded() ? nullptr : &json_;
}

bool is_injected_context(std::string_view text) {
  static constexpr std::array<std::string_view, 11> prefixes = {
      "<environment_context>",
      "# AGENTS.md instructions",
      "<turn_aborted>",
      "<subagent_notification>",
      "<INSTRUCTIONS>",
      "<user_instructions>",
      "<permissions instructions>",
      // Claude Code: output of local slash commands and its interruption notices.
      "<local-command-stdout>",
      "<local-command-stderr>",
      "<local-command-caveat>",
      "[Request interrupted by user",
  };
  text = trim_space(text);  // empty, e.g. an image-only prompt, is no injection
  for (auto prefix : prefixes)
    if (text.starts_with(prefix)) return true;
  return false;
}

}  // namespace diary::generate::prepare
