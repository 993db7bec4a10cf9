// Replaces one judgment slot of daily-report.json as a whole (so a repeated pass is idempotent),
// under the artifact's flock, atomically. The skeleton must exist and hold the slot; otherwise
// nothing is written and the problem says so. A model write clears the slot's offline_parts
// entry; an offline write (offline_reason set) records one. Thread-safe (flock per file).
#pragma once

#include <optional>
#include <string>
#include <vector>
#include <string_view>

#include <nlohmann/json.hpp>

#include "agent/error.h"
#include "generate/artifacts/problem.h"
#include "generate/daily/report_slots.h"

namespace diary::generate::workspace {
class DayWorkspace;
}

namespace diary::generate::daily {

// Empty problems = written. An error only when the file cannot be locked or written.
agent::Result<artifacts::Problems> store_slot(const workspace::DayWorkspace& workspace, const SlotRef& slot, nlohmann::json value,
                                              std::optional<std::string_view> offline_reason = std::nullopt);

// Several slots in one locked read-modify-write (an offline run fills ~all slots of a day at
// once: one parse and one write of the report instead of one per slot). All or nothing: the
// first problem leaves the file untouched.
struct SlotWrite {
  SlotRef slot;
  nlohmann::json value;
  std::optional<std::string> offline_reason;
};
agent::Result<artifacts::Problems> store_slots(const workspace::DayWorkspace& workspace, std::vector<SlotWrite> writes);

}  // namespace diary::generate::daily
