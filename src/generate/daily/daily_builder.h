// The deterministic part of daily-report.json, rebuilt from the project syntheses on every run:
// projects and work items in significance order, dispositions, text lifted verbatim, evidence
// refs resolved to stored citations (refs that do not name a committed turn are dropped), and
// the judgment slots seeded as null (on a day without reportable work the title is the fixed
// "No Supported Work Evidence"). Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "generate/daily/citation_index.h"
#include "generate/daily/project_synthesis_reader.h"

namespace diary::generate::daily {

// Who made the report ([ours]): the model (null = codex's configured default), the provider and
// whether the whole run was offline.
struct GeneratedBy {
  std::optional<std::string> model;
  std::string provider;
  bool offline = false;
};

struct BuildOptions {
  GeneratedBy generated_by;
  // [{task, project_key?, session_ref?, turn_ref?, slot?, reason}] of the earlier phases.
  nlohmann::json offline_parts = nlohmann::json::array();
};

// Material items only, first match: failed, blocked, interrupted, completed (any outcome or a
// material_result), clarification. nullopt for every other kind.
std::optional<std::string> work_item_disposition(const SynthesisWorkItem& item);

// `syntheses` are matched to the workspace's projects by key; a project without one has no items.
nlohmann::json build_skeleton(const CitationIndex& index, const std::vector<ProjectSynthesis>& syntheses,
                              const BuildOptions& options);

}  // namespace diary::generate::daily
