// The one place that maps outcomes to process exit codes (see the product brief): error kinds,
// a job's and a batch's status, a generate run, an exec turn. Every command asks here.
#pragma once

#include <string_view>

#include "agent/error.h"
#include "generate/batch/batch_result.h"
#include "generate/loop/resume_loop.h"

namespace diary::generate::phases {
struct PipelineResult;
}

namespace diary::cmds {

inline constexpr int exit_ok = 0;
inline constexpr int exit_failed = 1;
inline constexpr int exit_bad_input = 2;
inline constexpr int exit_blocked = 3;
inline constexpr int exit_interrupted = 130;

int exit_code_for(agent::ErrorKind kind);
int exit_code_for(generate::RunStatus status);
int exit_code_for(generate::BatchStatus status);
int exit_code_for(const generate::phases::PipelineResult& result);
// `diary exec`'s status words ("completed", "interrupted", "timeout", "blocked", ...); a turn
// that could not run at all maps through its error kind.
int exit_code_for_exec(std::string_view status, const agent::Error* error);

}  // namespace diary::cmds
