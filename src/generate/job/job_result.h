// The outcome of `diary job run`: status, turns, artifact checks, final message, usage, ledger
// location; with its two renderings, the `--json` object and the human summary. Plain values.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "generate/loop/loop_check.h"
#include "generate/loop/resume_loop.h"

namespace diary::generate {

struct JobResult {
  std::string name;
  RunStatus status = RunStatus::failed;
  std::vector<TurnRecord> turns;
  LoopCheck checks;  // the last check: artifacts, turn and output problems
  std::string final_message;
  std::optional<nlohmann::json> structured_output;
  agent::TokenUsage usage;
  std::string run_id;
  std::filesystem::path ledger;  // events.jsonl
  std::chrono::milliseconds duration{0};
  std::optional<agent::Error> error;  // the last turn error, or why the agent could not start
  std::string reason;                 // one line: why the run ended
  std::string conversation_id;        // the agent conversation the run ended on (empty: none opened)
  std::string continued_from;         // the unfinished earlier run whose conversation it continued

  int attempts() const { return static_cast<int>(turns.size()); }
};

// {name, status, attempts, turns:[{turn_id, status, duration_ms, usage, error, ...}],
//  artifacts:[{path, ok, problems}], final_message, structured_output, usage, run_id, ledger,
//  duration_ms, reason, error, output_problems, turn_problems,
//  conversation:{id, continued_from_run} (null when no conversation was opened)}
nlohmann::json to_json(const JobResult& result);

// Several lines for stdout: status, turns, each artifact with its problems, tokens, duration,
// ledger path.
std::string format_job_summary(const JobResult& result);

}  // namespace diary::generate
