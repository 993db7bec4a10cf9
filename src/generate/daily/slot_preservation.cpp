#include "generate/daily/slot_preservation.h"

#include "generate/daily/offline_parts.h"
#include "generate/daily/report_substrate.h"
#include "generate/daily/slot_checks.h"
#include "generate/prepare/json_fields.h"

namespace diary::generate::daily {

using nlohmann::json;

namespace {

const json* find_project(const json& report, const json& key) {
  const json* projects = prepare::field(report, "projects");
  if (projects == nullptr || !projects->is_array()) return nullptr;
  for (const auto& project : *projects)
    if (prepare::field(project, "project_key") != nullptr && project["project_key"] == key) return &project;
  return nullptr;
}

class Preserver {
 public:
  Preserver(json& fresh, const json& previous, const CitationIndex& index, bool offline_run)
      : fresh_(fresh), previous_(previous), index_(index), offline_run_(offline_run) {}

  // Copies `old_value` into `target` when it is filled, sound and may be kept by this run.
  void keep_if_sound(const SlotRef& slot, const json* old_value, json& target) {
    if (old_value == nullptr || old_value->is_null()) return;
    const bool offline = prepare::string_field(*old_value, "source") == std::optional<std::string_view>("offline");
    if (offline && !offline_run_) return;
    if (!check_slot(slot.kind, *old_value, index_, slot.project_key, "", CitationCheck::resolve).empty()) return;
    target = *old_value;
    if (offline) {
      auto part = find_offline_part(previous_, slot);
      if (part) restore_offline_part(fresh_, slot, std::move(*part));
      else put_offline_part(fresh_, slot, "needs a model");
    }
    kept_.push_back(slot);
  }

  std::vector<SlotRef> run() {
    if (!previous_.is_object() || !report_has_reportable_work(fresh_)) return {};
    for (auto& project : fresh_["projects"]) {
      const json* old_project = find_project(previous_, project["project_key"]);
      if (old_project == nullptr || project_substrate(*old_project) != project_substrate(project)) continue;
      keep_if_sound({SlotKind::project_summary, project["project_key"].get<std::string>()},
                    prepare::field(*old_project, "summary"), project["summary"]);
    }
    if (title_substrate(previous_) == title_substrate(fresh_))
      keep_if_sound({SlotKind::report_title, {}}, prepare::field(previous_, "report_title"), fresh_["report_title"]);
    if (judgment_substrate(previous_) == judgment_substrate(fresh_)) {
      for (SlotKind kind : {SlotKind::engagement, SlotKind::team_learning}) {
        const std::string key(slot_key(kind));
        keep_if_sound({kind, {}}, prepare::field(previous_, key), fresh_[key]);
      }
    }
    return std::move(kept_);
  }

 private:
  json& fresh_;
  const json& previous_;
  const CitationIndex& index_;
  bool offline_run_;
  std::vector<SlotRef> kept_;
};

}  // namespace

std::vector<SlotRef> preserve_slots(json& fresh, const json& previous, const CitationIndex& index, bool offline_run) {
  return Preserver(fresh, previous, index, offline_run).run();
}

}  // namespace diary::generate::daily
