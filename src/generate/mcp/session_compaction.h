// What one raw session line means, as the evidence reader and the offline extractor see it: the
// ONE interpretation of Codex rollout and Claude Code records in generate. compact_record() turns
// a line into a typed CompactRecord (who spoke, what tool was called, which command ran with
// which exit code, which files changed, how the turn ended) or nothing for metadata lines;
// to_json() renders the sparse compact form `read_session_lines` returns (tool payloads trimmed,
// user/assistant text exact). Human prompts are told from injected context by prepare's own
// record classifiers (generate/prepare/{codex,claude}_records.h), never by a second rule set.
//
// Omitted (metadata) lines: Codex session_meta, turn_context, token_usage_record, world_state,
// inter_agent_communication_metadata, compacted (and other bookkeeping rollout items);
// event_msg token_count, task_started, thread_settings_applied, reasoning and delta events, and
// the *_begin / item_started events whose end record carries the same call; reasoning items;
// developer/system messages and injected pre-trigger context. Claude Code system
// compact_boundary, turn_duration, stop_hook_summary, away_summary, isMeta / isCompactSummary
// records, thinking-only messages and the session bookkeeping records (summary,
// file-history-snapshot, permission-mode, ...).
//
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace diary::generate::mcp {

enum class RecordKind { user, assistant, tool_call, tool_result, subagent_message, terminal, duplicate, malformed, unknown };
std::string_view to_string(RecordKind kind);

enum class ToolResultKind { command, file_change, mcp, output };
std::string_view to_string(ToolResultKind kind);

// How a turn ended, when the record says so (terminal records only).
enum class TurnEnd { none, completed, interrupted, failed };

// A tool invocation. `input` is the whole input (arguments JSON text, custom tool input, shell
// command); to_json() trims it into input_summary.
struct ToolUse {
  std::string name;
  std::string input;
  std::string command;  // the shell command when the tool runs one (exec_command, Bash, ...)
  std::string call_id;  // pairs the call with its result; not rendered
};

struct FileChange {
  std::string path;
  std::string operation;  // add | update | delete
  std::string diff;       // added content or unified diff, whole (trimmed into `preview`)
  std::string move_path;
};

struct ToolResult {
  ToolResultKind kind = ToolResultKind::output;
  std::string name;    // tool name when the record names it (mcp server.tool, spawn_agent, ...)
  std::string status;  // as recorded: completed, failed, declined, error, ...
  std::string command;
  std::optional<long long> exit_code;
  std::string output;  // whole payload (trimmed into `preview`)
  std::string stderr_text;
  std::string error;
  std::string file_path;  // the file a non-editing tool worked on (e.g. a Claude Read)
  std::vector<FileChange> changes;
  bool is_error = false;  // the record flags the result as an error (Claude is_error)
  std::string call_id;    // not rendered
};

struct CompactRecord {
  std::size_t line = 0;
  RecordKind kind = RecordKind::unknown;
  std::string source_type;  // "response_item:function_call", "event_msg:item_completed:FileChange", "user", ...
  std::string text;         // user/assistant/subagent text exact; a short description otherwise
  std::vector<ToolUse> tool_uses;
  std::vector<ToolResult> tool_results;
  std::optional<std::size_t> duplicate_of;  // kind duplicate: the line this one echoes
  TurnEnd turn_end = TurnEnd::none;
  std::vector<std::string> unavailable;  // content the record holds but text cannot show (image, thinking)
};

// The physical neighbours of a line: a Codex event echo is recognised against them.
struct Neighbours {
  std::optional<std::string_view> previous;
  std::optional<std::string_view> next;
};

// Session sources as the index spells them.
inline constexpr std::string_view codex_source = "codex";
inline constexpr std::string_view claude_source = "claude-code";

// `raw` is one line without its '\n'; `source` the index row's source. nullopt for a metadata
// line. Never throws: a line that is not a JSON object is kind malformed.
std::optional<CompactRecord> compact_record(std::string_view raw, std::size_t line, std::string_view source,
                                            const Neighbours& neighbours = {});

// The sparse compact JSON (null/false/""/empty members dropped). Payloads over 1 KiB are cut to
// their first 320 bytes + "\n...[trimmed]...\n" + their last 160 bytes, on UTF-8 boundaries.
nlohmann::json to_json(const CompactRecord& record);

inline constexpr std::size_t short_payload_bytes = 1024;
inline constexpr std::size_t preview_head_bytes = 320;
inline constexpr std::size_t preview_tail_bytes = 160;
inline constexpr std::string_view trim_marker = "\n...[trimmed]...\n";

// `payload` unchanged up to short_payload_bytes, else head + trim_marker + tail. `trimmed` is
// set when it was cut.
std::string trim_payload(std::string_view payload, bool& trimmed);

}  // namespace diary::generate::mcp
