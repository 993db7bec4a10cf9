// What one parsed session record means for turn detection, shared by the Codex and Claude Code
// classifiers and the source-neutral TurnBuilder. Value types; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace diary::generate::prepare {

enum class RecordRole {
  reaction,  // agent output, tool traffic, bookkeeping: belongs to the running turn
  scaffold,  // set-up written just before a human message (task_started, turn_context, injected
             // context): belongs to the next turn, never to the previous one's reaction
  trigger,   // a human-authored message
};

// Codex writes a human prompt twice: as a response_item message and as an event_msg echo.
enum class TriggerChannel { message, event_echo };

struct RecordClass {
  RecordRole role = RecordRole::reaction;
  TriggerChannel channel = TriggerChannel::message;
  std::string trigger_text;  // set for triggers: compared against echoes
};

// Session-level facts gathered while classifying (first value wins), plus the little state a
// classifier carries from one record to the next.
struct SessionFacts {
  std::optional<std::string> session_id;
  std::optional<std::string> cwd;
  std::optional<std::string> originator;
  std::optional<std::string> forked_from_id;
  std::optional<std::string> fallback_timestamp;  // session_meta.payload.timestamp
  bool subagent = false;                          // Codex subagent thread or Claude Code sidechain
  bool sidechain_known = false;                   // Claude Code: the first isSidechain seen has decided
  bool in_turn_setup = false;                     // Codex: between task_started and the turn's prompt
};

// The full parse of one record, done only when a classifier asks for it (most records are
// classified from a few skimmed fields). Not thread-safe; lives for one line.
class RecordBody {
 public:
  explicit RecordBody(std::string_view text) : text_(text) {}
  // nullptr when the text does not parse (e.g. invalid UTF-8 that skimming lets through).
  const nlohmann::json* get();
  bool failed() const { return parsed_ && json_.is_discarded(); }

 private:
  std::string_view text_;
  bool parsed_ = false;
  nlohmann::json json_;
};

// Text the tools inject into the conversation as if the user had written it (environment
// context, AGENTS.md, interruption notices...). Never a trigger.
bool is_injected_context(std::string_view text);

}  // namespace diary::generate::prepare
