// The daily task's deterministic steps on disk: build (rebuild the skeleton, keep what is still
// sound of the previous daily-report.json, write it) and the offline fallback for a slot the
// model could not produce ([ours]: an honest "needs a model: <reason>" text citing the turns the
// slot covers, "source":"offline", listed in offline_parts, so finalize passes and the renderer
// can list it). Writes go through the artifact store (flock + atomic rename). Thread-safe.
#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/error.h"
#include "generate/artifacts/problem.h"
#include "generate/daily/citation_index.h"
#include "generate/daily/daily_builder.h"
#include "generate/daily/report_slots.h"

namespace diary::generate::daily {

struct BuiltReport {
  nlohmann::json report;      // as written
  std::vector<SlotRef> kept;  // slots carried over from the previous file
};

// invalid_input when the workspace or a project synthesis cannot be read; io when the file
// cannot be written. Slots made offline are kept only when options.generated_by.offline.
agent::Result<BuiltReport> build_daily_report(const std::filesystem::path& workspace_root, const BuildOptions& options);

// The offline value of `slot` for `report` (pure): text "needs a model: <reason>" (the title
// shortened to one valid line), confidence low, citing every committed turn covered by
// reportable work (of the slot's project for a summary).
nlohmann::json offline_slot_value(const nlohmann::json& report, const CitationIndex& index, const SlotRef& slot,
                                  std::string_view reason);

// Writes offline_slot_value into the file and records the offline part. Problems when the
// skeleton or the slot is missing.
agent::Result<artifacts::Problems> write_offline_slot(const CitationIndex& index, const SlotRef& slot, std::string_view reason);

// The same for several slots whose offline values rest on the same report (they do not read
// each other): one read and one locked write.
agent::Result<artifacts::Problems> write_offline_slots(const CitationIndex& index, const std::vector<SlotRef>& slots,
                                                       std::string_view reason);

}  // namespace diary::generate::daily
