#include "generate/daily/slot_store.h"

#include <fmt/format.h>

#include "generate/artifacts/artifact_store.h"
#include "generate/daily/offline_parts.h"
#include "generate/workspace/day_workspace.h"

namespace diary::generate::daily {

using nlohmann::json;

agent::Result<artifacts::Problems> store_slot(const workspace::DayWorkspace& workspace, const SlotRef& slot, json value,
                                              std::optional<std::string_view> offline_reason) {
  std::vector<SlotWrite> writes;
  writes.push_back({slot, std::move(value), offline_reason ? std::optional<std::string>(*offline_reason) : std::nullopt});
  return store_slots(workspace, std::move(writes));
}

agent::Result<artifacts::Problems> store_slots(const workspace::DayWorkspace& workspace, std::vector<SlotWrite> writes) {
  artifacts::Problems problems;
  auto written =
      artifacts::update_json_locked(workspace.daily_report(), [&](const artifacts::StoredJson& current) -> std::optional<json> {
        if (!current.value || !current.value->is_object()) {
          problems.push_back({"", "daily report skeleton not found",
                              "the daily build writes daily-report.json before any pass; run `diary generate daily`"});
          return std::nullopt;
        }
        json report = *current.value;
        for (auto& write : writes) {
          const SlotRef& slot = write.slot;
          const std::string pointer = slot_pointer(report, slot);
          if (pointer.empty()) {
            problems.push_back(
                {"",
                 fmt::format(
                     "daily report skeleton is missing the '{}' slot{}", slot_key(slot.kind),
                     slot.kind == SlotKind::project_summary ? fmt::format(" of project '{}'", slot.project_key) : std::string()),
                 "use the project_key from the assignment; rebuild the skeleton with `diary generate daily`"});
            return std::nullopt;
          }
          if (write.offline_reason) {
            write.value["source"] = "offline";
            put_offline_part(report, slot, *write.offline_reason);
          } else {
            remove_offline_part(report, slot);
          }
          report[json::json_pointer(pointer)] = std::move(write.value);
        }
        return report;
      });
  if (!written) return std::unexpected(written.error());
  return problems;
}

}  // namespace diary::generate::daily
