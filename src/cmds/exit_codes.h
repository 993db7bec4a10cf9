// The one place that maps error kinds to process exit codes (see the product brief).
#pragma once

#include "agent/error.h"

namespace diary::cmds {

inline constexpr int exit_ok = 0;
inline constexpr int exit_failed = 1;
inline constexpr int exit_bad_input = 2;
inline constexpr int exit_blocked = 3;
inline constexpr int exit_interrupted = 130;

int exit_code_for(agent::ErrorKind kind);

}  // namespace diary::cmds
