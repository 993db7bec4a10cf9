// The judgment slots of daily-report.json (a project's summary, the title, the engagement
// assessment, team learning): their names, where they live in the report, and what makes work
// "reportable" (the slots are required only then). Shared by the builder, the write tools,
// preservation, the offline fallback and the finalizer. Stateless; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace diary::generate::daily {

enum class SlotKind { project_summary, report_title, engagement, team_learning };

struct SlotRef {
  SlotKind kind = SlotKind::report_title;
  std::string project_key;  // project_summary only
  friend bool operator==(const SlotRef&, const SlotRef&) = default;
};

// The report key: "summary", "report_title", "engagement_assessment", "team_learning".
std::string_view slot_key(SlotKind kind);
// The MCP tool that writes the slot: write_project_summary, write_report_title, ...
std::string_view slot_tool(SlotKind kind);
// "summary of project 'pk'", "report_title", ... for messages.
std::string slot_label(const SlotRef& slot);
// JSON pointer of the slot in `report` ("/projects/2/summary"); empty when the report has no
// such slot (no such project, or the key is missing).
std::string slot_pointer(const nlohmann::json& report, const SlotRef& slot);

// material_work_item and no_material_work_item.
bool is_reportable_kind(std::string_view kind);
// A report item (or project) with reportable work.
bool has_reportable_work(const nlohmann::json& project);
bool report_has_reportable_work(const nlohmann::json& report);

// The title of a day without reportable work: {"text":"No Supported Work Evidence","citations":[]}.
nlohmann::json empty_day_title();

// Every slot that must be filled before finalize: none on a day without reportable work; else
// the title, each summary of a project with reportable work, engagement and team learning.
std::vector<SlotRef> required_slots(const nlohmann::json& report);
// The required slots that are still null (what a daily pass or its resume prompt asks for).
std::vector<SlotRef> unwritten_slots(const nlohmann::json& report);

}  // namespace diary::generate::daily
