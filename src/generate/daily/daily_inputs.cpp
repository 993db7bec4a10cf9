#include "generate/daily/daily_inputs.h"

namespace diary::generate::daily {

agent::Result<DailyInputs> load_daily_inputs(const std::filesystem::path& workspace_root) {
  auto index = CitationIndex::load(workspace_root);
  if (!index) return std::unexpected(index.error());
  auto syntheses = read_project_syntheses(index->workspace());
  if (!syntheses) return std::unexpected(syntheses.error());
  return DailyInputs{std::move(*index), std::move(*syntheses)};
}

}  // namespace diary::generate::daily
