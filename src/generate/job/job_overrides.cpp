#include "generate/job/job_overrides.h"

namespace diary::generate {

agent::Result<void> apply_job_overrides(JobSpec& spec, const JobOverrides& overrides) {
  using agent::ErrorKind;
  if (overrides.model && overrides.model->empty()) return agent::fail(ErrorKind::invalid_input, "--model: must not be empty");
  if (overrides.turn_timeout && overrides.turn_timeout->count() <= 0)
    return agent::fail(ErrorKind::invalid_input, "--turn-timeout: must be positive");
  if (overrides.max_no_progress && (*overrides.max_no_progress < 1 || *overrides.max_no_progress > 1000))
    return agent::fail(ErrorKind::invalid_input, "--max-no-progress: must be between 1 and 1000");
  if (overrides.max_turns && (*overrides.max_turns < 1 || *overrides.max_turns > 1000))
    return agent::fail(ErrorKind::invalid_input, "--max-turns: must be between 1 and 1000");
  for (const auto& entry : overrides.config_overrides) {
    const auto eq = entry.find('=');
    if (eq == std::string::npos || eq == 0) return agent::fail(ErrorKind::invalid_input, "-c " + entry + ": expected key=value");
  }
  if (overrides.model) spec.model = overrides.model;
  if (overrides.turn_timeout) spec.turn_timeout = *overrides.turn_timeout;
  if (overrides.max_no_progress) spec.max_no_progress = *overrides.max_no_progress;
  if (overrides.max_turns) spec.max_turns = *overrides.max_turns;
  spec.config_overrides.insert(spec.config_overrides.end(), overrides.config_overrides.begin(), overrides.config_overrides.end());
  return {};
}

}  // namespace diary::generate
