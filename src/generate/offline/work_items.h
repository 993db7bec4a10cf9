// The offline extractor's work items for one project (spec/generate.md §1, §7 --offline):
// deterministic, no model. One item per session: material_work_item when any of its turns'
// chains is material, else no_material_work_item, covering the session's turns that have a chain;
// its chainless turns go to one evidence_gap_item (which carries no trigger, reaction, outcomes
// or terminal states). Every item has confidence "low", "source":"offline", and evidence refs
// only to turns it covers that have a chain. Items satisfy the write_work_item rules (spec §3,
// reference §3.3): every indexed turn not already covered is covered exactly once. Pure;
// thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "generate/workspace/day_workspace.h"

namespace diary::generate::offline {

// `cards`: the project's evidence cards ({session_ref, evidence_chains:[{turn_ref, ...}]}, any
// order, missing sessions allowed). `committed`: work items already in the project synthesis;
// the turns they cover are left out and new refs continue after their highest W number.
// Returns the new items in order (W0001, W0002, ... when nothing is committed); an unknown
// project gives none.
nlohmann::json offline_work_items(const workspace::DayWorkspace& day, std::string_view project_key,
                                  const std::vector<nlohmann::json>& cards, const std::vector<nlohmann::json>& committed = {});

}  // namespace diary::generate::offline
