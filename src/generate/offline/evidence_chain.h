// The offline extractor's evidence chains (spec/generate.md §1 graceful degradation, §7
// --offline): deterministic, no model. From a turn's records: the user's own words as the trigger
// (explicit_user_message, quoted exactly with their line, obvious secrets redacted), the agent's
// answers and tool calls as reactions, commands and their exit codes as checks (test_output when
// they look like a test run), file changes as code/document outcomes, and how the turn ended as
// its terminal state (completed -> material_result with outcomes / no_material without;
// aborted -> interrupted; an error -> failed; no reaction -> evidence_gap). Every citation lies
// inside the turn's span; every chain carries "source":"offline". The chains satisfy the
// write_evidence rules (spec §3, reference §3.2); inputs_sha256 is left to the writer. Stateless;
// thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/error.h"
#include "generate/offline/turn_records.h"
#include "generate/workspace/day_workspace.h"

namespace diary::generate::offline {

inline constexpr std::string_view offline_source = "offline";

// The chain of one turn, or null when the turn holds no readable prompt (nothing can be
// extracted: its work item is an evidence gap). `cwd` shortens changed paths ("" keeps them).
nlohmann::json build_offline_chain(const TurnRecords& turn, std::string_view cwd);

// One turn of an indexed session: one pass over the session file, up to the turn's end.
agent::Result<nlohmann::json> offline_chain(const workspace::DayWorkspace& day, std::string_view project_key,
                                            const workspace::SessionEntry& session, const workspace::TurnSpan& turn);

// Every turn of the session in index order, in one pass over the file (null where no chain).
agent::Result<std::vector<nlohmann::json>> offline_chains(const workspace::DayWorkspace& day, std::string_view project_key,
                                                          const workspace::SessionEntry& session);

// {schema_version, project_key, session_ref, evidence_chains} with the session's non-null
// offline chains (what `--offline` writes as projects/<pk>/evidence/<S>.json).
agent::Result<nlohmann::json> offline_evidence_card(const workspace::DayWorkspace& day, std::string_view project_key,
                                                    const workspace::SessionEntry& session);

}  // namespace diary::generate::offline
