#include "generate/daily/daily_report.h"

#include <algorithm>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "generate/artifacts/artifact_store.h"
#include "generate/daily/daily_inputs.h"
#include "generate/daily/slot_preservation.h"
#include "generate/daily/slot_store.h"
#include "generate/daily/title_rules.h"
#include "generate/prepare/json_fields.h"

namespace diary::generate::daily {

using nlohmann::json;

namespace {

// Committed turns covered by reportable items of the projects `project_key` selects (all when empty).
json covered_citations(const json& report, const CitationIndex& index, std::string_view project_key) {
  json citations = json::array();
  std::set<std::tuple<std::string, std::string, std::string>> seen;  // a day cites thousands of turns
  const json* projects = prepare::field(report, "projects");
  if (projects == nullptr || !projects->is_array()) return citations;
  for (const auto& project : *projects) {
    auto key = prepare::string_field(project, "project_key");
    if (!key || (!project_key.empty() && *key != project_key)) continue;
    const json* items = prepare::field(project, "work_items");
    if (items == nullptr || !items->is_array()) continue;
    for (const auto& item : *items) {
      auto kind = prepare::string_field(item, "kind");
      const json* covered = prepare::field(item, "covered_turns");
      if (!kind || !is_reportable_kind(*kind) || covered == nullptr || !covered->is_array()) continue;
      for (const auto& turn : *covered) {
        auto session = prepare::string_field(turn, "session_ref");
        auto turn_ref = prepare::string_field(turn, "turn_ref");
        if (!session || !turn_ref) continue;
        if (!seen.emplace(std::string(*key), std::string(*session), std::string(*turn_ref)).second) continue;
        auto citation = index.resolve({std::string(*key), std::string(*session), std::string(*turn_ref)});
        if (citation) citations.push_back(std::move(*citation));
      }
    }
  }
  return citations;
}

std::string one_line(std::string_view text) {
  std::string out;
  for (char c : text) out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  return out;
}

// "Made without a model: <the projects with reportable work>" cut to a valid title; a text that
// cannot be one (a date in a label) leaves the plain "Made without a model".
std::string offline_title(const json& report) {
  std::string labels;
  if (report.is_object() && report.contains("projects") && report["projects"].is_array())
    for (const auto& project : report["projects"])
      if (has_reportable_work(project) && project.contains("project_label") && project["project_label"].is_string())
        labels += (labels.empty() ? "" : ", ") + project["project_label"].get<std::string>();
  std::string text = one_line(labels.empty() ? std::string("Made without a model") : "Made without a model: " + labels);
  if (code_point_count(text) > max_title_chars) {
    std::size_t bytes = 0, points = 0;
    while (bytes < text.size() && points < max_title_chars - 1) {
      ++bytes;
      while (bytes < text.size() && (static_cast<unsigned char>(text[bytes]) & 0xC0) == 0x80) ++bytes;
      ++points;
    }
    text = text.substr(0, bytes) + "…";
  }
  return title_problems(text, "").empty() ? text : std::string("Made without a model");
}

}  // namespace

agent::Result<BuiltReport> build_daily_report(const std::filesystem::path& workspace_root, const BuildOptions& options) {
  auto inputs = load_daily_inputs(workspace_root);
  if (!inputs) return std::unexpected(inputs.error());
  BuiltReport built;
  auto written = artifacts::update_json_locked(
      inputs->index.workspace().daily_report(), [&](const artifacts::StoredJson& previous) -> std::optional<json> {
        built.report = build_skeleton(inputs->index, inputs->syntheses, options);
        if (previous.value)
          built.kept = preserve_slots(built.report, *previous.value, inputs->index, options.generated_by.offline);
        return built.report;
      });
  if (!written) return std::unexpected(written.error());
  return built;
}

json offline_slot_value(const json& report, const CitationIndex& index, const SlotRef& slot, std::string_view reason) {
  const std::string text = fmt::format("needs a model: {}", reason);
  const std::string_view project = slot.kind == SlotKind::project_summary ? std::string_view(slot.project_key) : "";
  json citations = covered_citations(report, index, project);
  json lead = {{"text", text}, {"citations", citations}, {"confidence", "low"}};
  switch (slot.kind) {
    case SlotKind::project_summary: return {{"text", text}, {"citations", citations}, {"source", "offline"}};
    case SlotKind::report_title: return {{"text", offline_title(report)}, {"citations", citations}, {"source", "offline"}};
    case SlotKind::engagement:
      return {{"overall_reading", lead}, {"observations", json::array()}, {"limits", json::array()}, {"source", "offline"}};
    case SlotKind::team_learning:
      return {{"takeaways", lead}, {"patterns", json::array()}, {"limits", json::array()}, {"source", "offline"}};
  }
  return nullptr;
}

agent::Result<artifacts::Problems> write_offline_slot(const CitationIndex& index, const SlotRef& slot, std::string_view reason) {
  // Read outside the lock: only the deterministic work items are used, and nothing but a rebuild
  // changes those (the daily task never rebuilds while its passes run).
  const auto stored = artifacts::read_stored_json(index.workspace().daily_report());
  const json report = stored.value.value_or(json(nullptr));
  return store_slot(index.workspace(), slot, offline_slot_value(report, index, slot, reason), reason);
}

agent::Result<artifacts::Problems> write_offline_slots(const CitationIndex& index, const std::vector<SlotRef>& slots,
                                                       std::string_view reason) {
  if (slots.empty()) return artifacts::Problems{};
  const auto stored = artifacts::read_stored_json(index.workspace().daily_report());
  const json report = stored.value.value_or(json(nullptr));
  std::vector<SlotWrite> writes;
  for (const auto& slot : slots) writes.push_back({slot, offline_slot_value(report, index, slot, reason), std::string(reason)});
  return store_slots(index.workspace(), std::move(writes));
}

}  // namespace diary::generate::daily
