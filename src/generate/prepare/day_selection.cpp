#include "generate/prepare/day_selection.h"

#include "generate/prepare/reports_root.h"
#include "generate/prepare/timezone_resolution.h"

namespace diary::generate::prepare {

agent::Result<std::filesystem::path> resolve_reports_root_from_environment(const std::optional<std::string>& flag) {
  auto sources = reports_root_sources_from_environment(flag);
  if (!sources) return std::unexpected(sources.error());
  return resolve_reports_root(*sources);
}

agent::Result<ResolvedDay> resolve_day(const DaySelection& selection, std::chrono::system_clock::time_point now) {
  auto zone = resolve_timezone(timezone_sources_from_environment(selection.timezone));
  if (!zone) return std::unexpected(zone.error());
  auto target = resolve_report_target({selection.date, selection.today, zone->name}, now);
  if (!target) return std::unexpected(target.error());
  auto root = resolve_reports_root_from_environment(selection.reports_root);
  if (!root) return std::unexpected(root.error());
  return ResolvedDay{std::move(*target), std::move(*root)};
}

}  // namespace diary::generate::prepare
