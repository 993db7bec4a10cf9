// Per-pass agent settings of `diary generate` (the `--settings FILE` TOML) and the per-kind
// concurrency limits (`--concurrency evidence=4,project=2,daily=2`). Every pass ("assignment")
// has a model (unset = codex's configured default), a reasoning effort, a per-turn timeout, a
// no-progress limit and a turn cap. Value types; parsing is pure.
//
//   [evidence]              # also: project, project_summary, report_title, engagement,
//   model = "gpt-5.1"       #       team_learning, and [defaults] for all of them
//   reasoning_effort = "medium"
//   turn_timeout = "10m"
//   max_no_progress = 3
//   max_turns = 20
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/error.h"

namespace diary::generate::phases {

struct PassSettings {
  std::optional<std::string> model;
  std::optional<std::string> reasoning_effort;  // none|minimal|low|medium|high|xhigh
  std::chrono::milliseconds turn_timeout = std::chrono::seconds(600);
  int max_no_progress = 3;
  int max_turns = 20;  // the resume loop's turn cap (generate/loop/decide_next.h)
  friend bool operator==(const PassSettings&, const PassSettings&) = default;
};

// The passes, in pipeline order.
const std::vector<std::string>& pass_names();

struct GenerateSettings {
  std::map<std::string, PassSettings, std::less<>> passes;  // every name of pass_names()

  GenerateSettings();  // the defaults
  const PassSettings& pass(std::string_view name) const;
};

// invalid_input as "<file>:<line>: <key>: <problem>" (unknown tables and keys are errors).
agent::Result<GenerateSettings> parse_generate_settings(std::string_view text, const std::filesystem::path& shown);
agent::Result<GenerateSettings> load_generate_settings(const std::filesystem::path& file);

struct ConcurrencyLimits {
  int evidence = 4;  // conversations, not sessions: turns of one session run in parallel
  int project = 2;
  int daily = 2;  // daily passes in parallel (project summaries, engagement, team learning)
  friend bool operator==(const ConcurrencyLimits&, const ConcurrencyLimits&) = default;
};

// "evidence=4,project=2,daily=2" (any subset, values 1..64).
agent::Result<ConcurrencyLimits> parse_concurrency(std::string_view text);

}  // namespace diary::generate::phases
