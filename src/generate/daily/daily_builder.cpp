#include "generate/daily/daily_builder.h"

#include <algorithm>
#include <tuple>

#include "generate/artifacts/vocabulary.h"
#include "generate/daily/report_slots.h"

namespace diary::generate::daily {

using nlohmann::json;

namespace {

bool is_material(const SynthesisWorkItem& item) { return item.kind == "material_work_item"; }

json citations_for(const CitationIndex& index, const std::string& project_key, const std::vector<TurnRef>& refs) {
  json out = json::array();
  for (const auto& ref : refs) {
    auto citation = index.resolve({project_key, ref.session_ref, ref.turn_ref});
    if (citation && std::find(out.begin(), out.end(), *citation) == out.end()) out.push_back(std::move(*citation));
  }
  return out;
}

json optional_text(const std::optional<std::string>& text) { return text ? json(*text) : json(nullptr); }

json report_item(const CitationIndex& index, const std::string& project_key, const SynthesisWorkItem& item) {
  json covered = json::array();
  for (const auto& turn : item.covered_turns) covered.push_back({{"session_ref", turn.session_ref}, {"turn_ref", turn.turn_ref}});
  json outcomes = json::array();
  for (const auto& outcome : item.outcomes)
    outcomes.push_back({{"what_changed", outcome.summary},
                        {"confidence", outcome.confidence},
                        {"citations", citations_for(index, project_key, outcome.evidence_refs)}});
  json terminals = json::array();
  for (const auto& terminal : item.terminal_states)
    terminals.push_back(
        {{"summary", terminal.summary}, {"citations", citations_for(index, project_key, terminal.evidence_refs)}});
  const auto disposition = work_item_disposition(item);
  json out = {{"work_item_ref", item.work_item_ref},
              {"title", item.title},
              {"kind", item.kind},
              {"disposition", optional_text(disposition)},
              {"confidence", item.confidence},
              {"covered_turns", std::move(covered)},
              {"trigger_summary", optional_text(item.trigger_summary)},
              {"agent_reaction_summary", optional_text(item.agent_reaction_summary)},
              {"outcomes", std::move(outcomes)},
              {"terminal_states", std::move(terminals)},
              {"limits", item.limits}};
  if (item.offline) out["source"] = "offline";
  return out;
}

// Material items by (-confidence, ref), then every other item by ref.
std::vector<const SynthesisWorkItem*> ordered_items(const ProjectSynthesis& synthesis) {
  std::vector<const SynthesisWorkItem*> items;
  for (const auto& item : synthesis.work_items) items.push_back(&item);
  std::stable_sort(items.begin(), items.end(), [](const SynthesisWorkItem* a, const SynthesisWorkItem* b) {
    const auto key = [](const SynthesisWorkItem* item) {
      const bool material = is_material(*item);
      return std::tuple(material ? 0 : 1, material ? -artifacts::confidence_rank(item->confidence) : 0,
                        std::string_view(item->work_item_ref));
    };
    return key(a) < key(b);
  });
  return items;
}

std::size_t material_count(const ProjectSynthesis* synthesis) {
  if (synthesis == nullptr) return 0;
  return static_cast<std::size_t>(std::count_if(synthesis->work_items.begin(), synthesis->work_items.end(),
                                                [](const SynthesisWorkItem& item) { return is_material(item); }));
}

}  // namespace

std::optional<std::string> work_item_disposition(const SynthesisWorkItem& item) {
  if (!is_material(item)) return std::nullopt;
  const auto has_terminal = [&](std::string_view type) {
    return std::any_of(item.terminal_states.begin(), item.terminal_states.end(),
                       [&](const SynthesisTerminalState& state) { return state.type == type; });
  };
  for (std::string_view type : {"failed", "blocked", "interrupted"})
    if (has_terminal(type)) return std::string(type);
  if (!item.outcomes.empty() || has_terminal("material_result")) return "completed";
  return "clarification";
}

json build_skeleton(const CitationIndex& index, const std::vector<ProjectSynthesis>& syntheses, const BuildOptions& options) {
  const auto& workspace = index.workspace();
  const auto& metadata = workspace.metadata();

  struct Entry {
    const workspace::ProjectEntry* project;
    const ProjectSynthesis* synthesis;
    std::size_t material;
  };
  std::vector<Entry> entries;
  for (const auto& project : workspace.projects()) {
    auto found = std::find_if(syntheses.begin(), syntheses.end(),
                              [&](const ProjectSynthesis& s) { return s.project_key == project.project_key; });
    const ProjectSynthesis* synthesis = found == syntheses.end() ? nullptr : &*found;
    entries.push_back({&project, synthesis, material_count(synthesis)});
  }
  std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    const auto key = [](const Entry& entry) {
      return std::tuple(-static_cast<long long>(entry.material), std::string_view(entry.project->project_label),
                        std::string_view(entry.project->project_key));
    };
    return key(a) < key(b);
  });

  json projects = json::array();
  for (const auto& entry : entries) {
    json items = json::array();
    json messages = json::array();
    if (entry.synthesis != nullptr) {
      for (const auto* item : ordered_items(*entry.synthesis))
        items.push_back(report_item(index, entry.project->project_key, *item));
      messages = entry.synthesis->source_user_messages;
    }
    projects.push_back({{"project_key", entry.project->project_key},
                        {"project_label", entry.project->project_label},
                        {"summary", nullptr},
                        {"work_items", std::move(items)},
                        {"source_user_messages", std::move(messages)}});
  }

  const auto& by = options.generated_by;
  json report = {{"schema_version", artifacts::schema_version},
                 {"report_date", metadata.report_date},
                 {"status", metadata.status},
                 {"window", {{"start", metadata.local_start}, {"end", metadata.local_end}, {"timezone", metadata.timezone}}},
                 {"generated_by", {{"model", optional_text(by.model)}, {"provider", by.provider}, {"offline", by.offline}}},
                 {"report_title", nullptr},
                 {"overall_confidence", nullptr},
                 {"projects", std::move(projects)},
                 {"engagement_assessment", nullptr},
                 {"team_learning", nullptr},
                 {"offline_parts", options.offline_parts.is_array() ? options.offline_parts : json::array()}};
  if (!report_has_reportable_work(report)) report["report_title"] = empty_day_title();
  return report;
}

}  // namespace diary::generate::daily
