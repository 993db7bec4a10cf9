// Command-line adjustments of a parsed job (--model, --turn-timeout, --max-no-progress, --max-turns,
// -c):
// applied after parsing so that --dry-run shows the job as it will run. Pure function.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "agent/error.h"
#include "generate/job/job_spec.h"

namespace diary::generate {

struct JobOverrides {
  std::optional<std::string> model;
  std::optional<std::chrono::milliseconds> turn_timeout;
  std::optional<int> max_no_progress;
  std::optional<int> max_turns;
  std::vector<std::string> config_overrides;  // codex "key=value", appended in order
};

// ErrorKind::invalid_input naming the flag when a value is out of range.
agent::Result<void> apply_job_overrides(JobSpec& spec, const JobOverrides& overrides);

}  // namespace diary::generate
