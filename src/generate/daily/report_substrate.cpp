#include "generate/daily/report_substrate.h"

namespace diary::generate::daily {

using nlohmann::json;

json project_substrate(const json& project) {
  json view = project;
  if (view.is_object()) view.erase("summary");
  return view;
}

json title_substrate(const json& report) {
  json view = report;
  if (!view.is_object()) return view;
  for (const char* key :
       {"report_title", "overall_confidence", "engagement_assessment", "team_learning", "generated_by", "offline_parts"})
    view.erase(key);
  return view;
}

json judgment_substrate(const json& report) {
  json view = title_substrate(report);
  if (auto projects = view.find("projects"); projects != view.end() && projects->is_array())
    for (auto& project : *projects)
      if (project.is_object()) project["summary"] = nullptr;
  return view;
}

}  // namespace diary::generate::daily
