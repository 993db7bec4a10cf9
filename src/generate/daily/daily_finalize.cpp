#include "generate/daily/daily_finalize.h"

#include <fmt/format.h>

#include "generate/artifacts/artifact_store.h"
#include "generate/daily/confidence_rollup.h"
#include "generate/daily/daily_builder.h"
#include "generate/daily/daily_inputs.h"
#include "generate/daily/report_slots.h"
#include "generate/daily/report_substrate.h"
#include "generate/daily/slot_checks.h"
#include "generate/prepare/json_fields.h"

namespace diary::generate::daily {

using artifacts::Problems;
using nlohmann::json;
using prepare::field;

namespace {

constexpr std::string_view rebuild_hint = "never edit daily-report.json by hand; rebuild it with `diary generate daily`";

// The deterministic part must be what the syntheses give: compared key by key (and project by
// project) so the problem points at what was changed.
void check_deterministic(const json& stored, const json& fresh, Problems& problems) {
  const json have = judgment_substrate(stored);
  const json want = judgment_substrate(fresh);
  json keys = json::object();
  for (const auto& [key, _] : have.items()) keys[key] = true;
  for (const auto& [key, _] : want.items()) keys[key] = true;
  for (const auto& [key, _] : keys.items()) {
    const json* a = field(have, key);
    const json* b = field(want, key);
    if (a != nullptr && b != nullptr && *a == *b) continue;
    if (key == "projects" && a != nullptr && b != nullptr && a->is_array() && a->size() == b->size()) {
      for (std::size_t i = 0; i < a->size(); ++i)
        if ((*a)[i] != (*b)[i])
          problems.push_back({fmt::format("/projects/{}", i),
                              fmt::format("/projects/{} differs from what the project syntheses give", i),
                              std::string(rebuild_hint)});
      continue;
    }
    problems.push_back({"/" + key, fmt::format("/{} differs from what the workspace and project syntheses give", key),
                        std::string(rebuild_hint)});
  }
}

void check_slots(const json& report, const json& fresh, const CitationIndex& index, Problems& problems) {
  for (const auto& slot : required_slots(fresh)) {
    const std::string pointer = slot_pointer(report, slot);
    if (pointer.empty() || report.at(json::json_pointer(pointer)).is_null())
      problems.push_back({pointer.empty() ? std::string() : pointer, fmt::format("the {} is not written", slot_label(slot)),
                          fmt::format("run its pass again: the {} tool fills it", slot_tool(slot.kind))});
  }
  const bool reportable = report_has_reportable_work(fresh);
  const auto check = [&](SlotKind kind, const json* value, std::string_view project, const std::string& path) {
    if (value == nullptr || value->is_null()) return;
    if (kind == SlotKind::report_title && !reportable && *value == empty_day_title()) return;
    auto found = check_slot(kind, *value, index, project, path, CitationCheck::resolve);
    problems.insert(problems.end(), found.begin(), found.end());
  };
  check(SlotKind::report_title, field(report, "report_title"), "", "/report_title");
  check(SlotKind::engagement, field(report, "engagement_assessment"), "", "/engagement_assessment");
  check(SlotKind::team_learning, field(report, "team_learning"), "", "/team_learning");
  const json* projects = field(report, "projects");
  if (projects == nullptr || !projects->is_array()) return;
  for (std::size_t i = 0; i < projects->size(); ++i) {
    const json& project = (*projects)[i];
    auto key = prepare::string_field(project, "project_key");
    check(SlotKind::project_summary, field(project, "summary"), key.value_or(""), fmt::format("/projects/{}/summary", i));
  }
}

// Citations the build lifted into work items: each re-resolved against the index (own project),
// and a material item without outcomes must have each terminal state cited.
void check_work_items(const json& report, const CitationIndex& index, Problems& problems) {
  const json* projects = field(report, "projects");
  if (projects == nullptr || !projects->is_array()) return;
  for (std::size_t p = 0; p < projects->size(); ++p) {
    const json& project = (*projects)[p];
    const std::string key(prepare::string_field(project, "project_key").value_or(""));
    const json* items = field(project, "work_items");
    if (items == nullptr || !items->is_array()) continue;
    for (std::size_t w = 0; w < items->size(); ++w) {
      const json& item = (*items)[w];
      const std::string at = fmt::format("/projects/{}/work_items/{}", p, w);
      const json* outcomes = field(item, "outcomes");
      const bool no_outcomes = outcomes == nullptr || !outcomes->is_array() || outcomes->empty();
      const bool material = prepare::string_field(item, "kind") == std::optional<std::string_view>("material_work_item");
      for (std::string_view list : {"outcomes", "terminal_states"}) {
        const json* entries = field(item, list);
        if (entries == nullptr || !entries->is_array()) continue;
        for (std::size_t e = 0; e < entries->size(); ++e) {
          const std::string path = fmt::format("{}/{}/{}/citations", at, list, e);
          const json* citations = field((*entries)[e], "citations");
          if (citations == nullptr || !citations->is_array() || citations->empty()) {
            if (material && no_outcomes && list == "terminal_states")
              problems.push_back({path, fmt::format("{} must cite at least one turn", path),
                                  "a material item without outcomes is reported by its terminal states: cite them in "
                                  "the project synthesis (evidence_refs)"});
            continue;
          }
          for (std::size_t c = 0; c < citations->size(); ++c)
            if (auto problem = index.check_stored((*citations)[c], key, fmt::format("{}/{}", path, c)))
              problems.push_back(std::move(*problem));
        }
      }
    }
  }
}

}  // namespace

Problems finalize_problems(const json& report, const CitationIndex& index, const std::vector<ProjectSynthesis>& syntheses) {
  Problems problems;
  if (!report.is_object()) {
    problems.push_back({"", "daily report skeleton not found", "run `diary generate daily` to build it"});
    return problems;
  }
  const json fresh = build_skeleton(index, syntheses, {});
  check_deterministic(report, fresh, problems);
  check_slots(report, fresh, index, problems);
  check_work_items(report, index, problems);
  return problems;
}

agent::Result<FinalizeOutcome> finalize_daily_report(const std::filesystem::path& workspace_root) {
  auto inputs = load_daily_inputs(workspace_root);
  if (!inputs) return std::unexpected(inputs.error());
  FinalizeOutcome outcome;
  auto written = artifacts::update_json_locked(
      inputs->index.workspace().daily_report(), [&](const artifacts::StoredJson& current) -> std::optional<json> {
        const json report = current.value.value_or(json(nullptr));
        outcome.problems = finalize_problems(report, inputs->index, inputs->syntheses);
        if (!outcome.problems.empty()) return std::nullopt;
        json finalized = report;
        outcome.overall_confidence = overall_confidence(finalized);
        finalized["overall_confidence"] = outcome.overall_confidence ? json(*outcome.overall_confidence) : json(nullptr);
        return finalized;
      });
  if (!written) return std::unexpected(written.error());
  return outcome;
}

}  // namespace diary::generate::daily
