// The offline extractor as the generate tasks call it (spec/generate.md §1, §7): a chain for one
// turn and work items for given uncovered turns, deterministic, from the session records.
#pragma once

#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/error.h"
#include "generate/artifacts/project_synthesis.h"
#include "generate/workspace/day_workspace.h"

namespace diary::generate::offline {

// The chain of one turn, marked "source":"offline" (inputs_sha256 is set by the commit).
agent::Result<nlohmann::json> offline_chain(const workspace::DayWorkspace& day, std::string_view project_key,
                                            const workspace::SessionEntry& session, const workspace::TurnSpan& turn);

// Work items (marked "source":"offline", confidence low) covering exactly `turns`, refs numbered
// from W<first_ref>.
agent::Result<std::vector<nlohmann::json>> offline_work_items(const workspace::DayWorkspace& day, std::string_view project_key,
                                                              const artifacts::ProjectChains& chains,
                                                              const std::vector<artifacts::TurnRef>& turns, int first_ref);

}  // namespace diary::generate::offline
