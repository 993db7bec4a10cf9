#include "cmds/exit_codes.h"

#include "generate/phases/pipeline.h"

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

int exit_code_for(generate::RunStatus status) {
  switch (status) {
    case generate::RunStatus::complete: return exit_ok;
    case generate::RunStatus::blocked: return exit_blocked;
    case generate::RunStatus::interrupted: return exit_interrupted;
    case generate::RunStatus::incomplete:
    case generate::RunStatus::failed:
    case generate::RunStatus::budget_exceeded: return exit_failed;
  }
  return exit_failed;
}

int exit_code_for(generate::BatchStatus status) {
  switch (status) {
    case generate::BatchStatus::complete: return exit_ok;
    case generate::BatchStatus::blocked: return exit_blocked;
    case generate::BatchStatus::interrupted: return exit_interrupted;
    case generate::BatchStatus::failed: return exit_failed;
  }
  return exit_failed;
}

int exit_code_for(const generate::phases::PipelineResult& result) {
  if (result.interrupted()) return exit_interrupted;
  if (result.blocked()) return exit_blocked;
  return result.all_ok() ? exit_ok : exit_failed;
}

int exit_code_for_exec(std::string_view status, const agent::Error* error) {
  if (status == "completed") return exit_ok;
  if (status == "interrupted") return exit_interrupted;
  if (error) return exit_code_for(error->kind);
  return exit_failed;
}

}  // namespace diary::cmds
