// Everything the daily build and finalize read from the workspace, loaded in one step: the
// citation index (index + committed turns) and every project's synthesis. Value type;
// thread-safe once loaded.
#pragma once

#include <filesystem>
#include <vector>

#include "agent/error.h"
#include "generate/daily/citation_index.h"
#include "generate/daily/project_synthesis_reader.h"

namespace diary::generate::daily {

struct DailyInputs {
  CitationIndex index;
  std::vector<ProjectSynthesis> syntheses;
};

// invalid_input when the workspace or a synthesis is missing or malformed.
agent::Result<DailyInputs> load_daily_inputs(const std::filesystem::path& workspace_root);

}  // namespace diary::generate::daily
