// `--shard auto`: which shard this process is, read from the environment of the engine that
// started it, so one manifest runs every shard without templating the command line.
//
//   DIARY_SHARD_INDEX (0-based) + DIARY_SHARD_COUNT      any engine (GitHub Actions sets these
//                                                        from strategy.job-index / job-total)
//   JOB_COMPLETION_INDEX (0-based) + DIARY_SHARD_COUNT   Kubernetes Indexed Jobs
//   SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN + SLURM_ARRAY_TASK_COUNT    Slurm job arrays
//
// Every engine whose index variable is set is read; they must agree. Nothing set, a count
// without an index (or the reverse), a non-number, an index out of range or two engines that
// disagree is ErrorKind::invalid_input naming the variables. Pure: the lookup is passed in.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "agent/error.h"
#include "generate/batch/batch_select.h"

namespace diary::generate {

using EnvironmentLookup = std::function<std::optional<std::string>(std::string_view name)>;

// The process environment (getenv), for the command line.
EnvironmentLookup process_environment();

agent::Result<Shard> shard_from_environment(const EnvironmentLookup& env);

}  // namespace diary::generate
