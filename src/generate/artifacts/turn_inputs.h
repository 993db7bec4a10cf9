// The inputs_sha256 of an evidence chain [ours]: SHA-256 of the turn's line bytes (each line
// followed by "\n", lines numbered exactly as prepare numbers them: prepare's LineReader) plus
// artifacts::evidence_prompt_version. A chain whose stored value differs from the current one was
// made from other transcript bytes or by an older prompt, and is redone. Reads the session copy
// once per call; thread-safe (no shared state).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "agent/error.h"
#include "generate/workspace/day_workspace.h"

namespace diary::generate::artifacts {

// One hash per turn of `session`, in index order (one pass over the file). Fails when the
// session copy cannot be read or ends before a turn does.
agent::Result<std::vector<std::string>> session_turn_hashes(const workspace::DayWorkspace& day, std::string_view project_key,
                                                            const workspace::SessionEntry& session);

// The hash of one turn (reads the file only up to the turn's last line).
agent::Result<std::string> turn_inputs_sha256(const workspace::DayWorkspace& day, std::string_view project_key,
                                              const workspace::SessionEntry& session, const workspace::TurnSpan& turn);

}  // namespace diary::generate::artifacts
