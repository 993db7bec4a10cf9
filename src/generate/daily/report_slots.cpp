#include "generate/daily/report_slots.h"

#include <fmt/format.h>

#include "generate/prepare/json_fields.h"

namespace diary::generate::daily {

using nlohmann::json;

std::string_view slot_key(SlotKind kind) {
  switch (kind) {
    case SlotKind::project_summary: return "summary";
    case SlotKind::report_title: return "report_title";
    case SlotKind::engagement: return "engagement_assessment";
    case SlotKind::team_learning: return "team_learning";
  }
  return "";
}

std::string_view slot_tool(SlotKind kind) {
  switch (kind) {
    case SlotKind::project_summary: return "write_project_summary";
    case SlotKind::report_title: return "write_report_title";
    case SlotKind::engagement: return "write_engagement";
    case SlotKind::team_learning: return "write_team_learning";
  }
  return "";
}

std::string slot_label(const SlotRef& slot) {
  if (slot.kind == SlotKind::project_summary) return fmt::format("summary of project '{}'", slot.project_key);
  return std::string(slot_key(slot.kind));
}

std::string slot_pointer(const json& report, const SlotRef& slot) {
  if (slot.kind != SlotKind::project_summary)
    return prepare::field(report, slot_key(slot.kind)) ? fmt::format("/{}", slot_key(slot.kind)) : std::string();
  const json* projects = prepare::field(report, "projects");
  if (projects == nullptr || !projects->is_array()) return {};
  for (std::size_t i = 0; i < projects->size(); ++i) {
    const json& project = (*projects)[i];
    if (prepare::string_field(project, "project_key") == std::optional<std::string_view>(slot.project_key))
      return prepare::field(project, "summary") ? fmt::format("/projects/{}/summary", i) : std::string();
  }
  return {};
}

bool is_reportable_kind(std::string_view kind) { return kind == "material_work_item" || kind == "no_material_work_item"; }

bool has_reportable_work(const json& project) {
  const json* items = prepare::field(project, "work_items");
  if (items == nullptr || !items->is_array()) return false;
  for (const auto& item : *items)
    if (auto kind = prepare::string_field(item, "kind"); kind && is_reportable_kind(*kind)) return true;
  return false;
}

bool report_has_reportable_work(const json& report) {
  const json* projects = prepare::field(report, "projects");
  if (projects == nullptr || !projects->is_array()) return false;
  for (const auto& project : *projects)
    if (has_reportable_work(project)) return true;
  return false;
}

json empty_day_title() { return {{"text", "No Supported Work Evidence"}, {"citations", json::array()}}; }

std::vector<SlotRef> required_slots(const json& report) {
  std::vector<SlotRef> slots;
  if (!report_has_reportable_work(report)) return slots;
  slots.push_back({SlotKind::report_title, {}});
  for (const auto& project : report["projects"])
    if (has_reportable_work(project))
      if (auto key = prepare::string_field(project, "project_key"))
        slots.push_back({SlotKind::project_summary, std::string(*key)});
  slots.push_back({SlotKind::engagement, {}});
  slots.push_back({SlotKind::team_learning, {}});
  return slots;
}

std::vector<SlotRef> unwritten_slots(const json& report) {
  std::vector<SlotRef> out;
  for (auto& slot : required_slots(report)) {
    const std::string pointer = slot_pointer(report, slot);
    if (pointer.empty() || report.at(json::json_pointer(pointer)).is_null()) out.push_back(std::move(slot));
  }
  return out;
}

}  // namespace diary::generate::daily
