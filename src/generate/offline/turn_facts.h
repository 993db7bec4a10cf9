// What a turn's records show, gathered for the offline extractor: the prompt, the agent's answers,
// the commands it ran and how they exited, the files it changed, the other tools it used and how
// the turn ended. Calls are paired with their results by call id (a Codex call has both an
// item_completed and a function_call_output: counted once). Pure; thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "generate/mcp/session_compaction.h"
#include "generate/offline/turn_records.h"

namespace diary::generate::offline {

struct CommandRun {
  std::string command;
  std::string call_id;
  std::size_t call_line = 0;
  std::size_t result_line = 0;  // 0: no result recorded in the turn
  std::optional<long long> exit_code;
  bool error_flagged = false;  // the tool reported an error (Claude is_error, a failed status)
  std::string output;
};

struct FileEdit {
  std::string path;
  std::vector<std::string> operations;  // add | update | delete | write, in order, no repeats
  std::vector<std::size_t> lines;       // records that show the change
};

struct ToolCall {
  std::string name;
  std::size_t line = 0;
};

struct TurnEndRecord {
  std::size_t line = 0;
  mcp::TurnEnd end = mcp::TurnEnd::none;
  std::string text;
};

struct TurnFacts {
  const mcp::CompactRecord* trigger = nullptr;  // the prompt (points into the TurnRecords)
  std::vector<std::size_t> answer_lines;
  std::string last_answer;
  std::vector<CommandRun> commands;
  std::vector<FileEdit> edits;
  std::vector<std::size_t> failed_edit_lines;
  std::vector<ToolCall> other_tools;
  std::vector<std::size_t> subagent_lines;
  std::vector<TurnEndRecord> ends;

  bool has_reaction() const {
    return !answer_lines.empty() || !commands.empty() || !edits.empty() || !failed_edit_lines.empty() || !other_tools.empty() ||
           !subagent_lines.empty();
  }
};

// `turn` must outlive the result (trigger points into it).
TurnFacts gather_turn_facts(const TurnRecords& turn);

// A test run, judged from the command (pytest, ctest, cargo test, npm test, …) or its output
// ("3 passed", "test result:", …).
bool looks_like_test_run(std::string_view command, std::string_view output);

}  // namespace diary::generate::offline
