#include "cmds/exit_codes.h"

namespace diary::cmds {

int exit_code_for(agent::ErrorKind kind) {
  using agent::ErrorKind;
  switch (kind) {
    case ErrorKind::invalid_input: return exit_bad_input;
    case ErrorKind::blocked:
    // codex spoke something diary cannot read (a wrong-shaped answer): not a compatible codex,
    // a missing prerequisite like a missing binary.
    case ErrorKind::protocol: return exit_blocked;
    case ErrorKind::cancelled: return exit_interrupted;
    default: return exit_failed;
  }
}

}  // namespace diary::cmds
