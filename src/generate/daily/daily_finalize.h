// Finalize (the daily task's last step): daily-report.json is accepted only when its
// deterministic part still equals what the project syntheses give, every required slot is
// filled, every claim is cited, and every stored citation re-resolves against the index (an
// agent could have edited the file from its workspace-write sandbox). Then overall_confidence is
// computed and written atomically under the file's flock; any problem leaves the file unchanged.
// Thread-safe (flock per file).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "agent/error.h"
#include "generate/artifacts/problem.h"
#include "generate/daily/citation_index.h"
#include "generate/daily/project_synthesis_reader.h"

namespace diary::generate::daily {

struct FinalizeOutcome {
  artifacts::Problems problems;                   // empty = finalized and written
  std::optional<std::string> overall_confidence;  // as written (null when nothing to average)
};

// The checks alone, on a report value (pure).
artifacts::Problems finalize_problems(const nlohmann::json& report, const CitationIndex& index,
                                      const std::vector<ProjectSynthesis>& syntheses);

// invalid_input when the workspace or a synthesis cannot be read, io when the file cannot be written.
agent::Result<FinalizeOutcome> finalize_daily_report(const std::filesystem::path& workspace_root);

}  // namespace diary::generate::daily
