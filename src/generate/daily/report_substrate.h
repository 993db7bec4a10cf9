// What each judgment slot was written from (reference §5.4), so that a slot is kept only while
// its inputs are unchanged: a project summary from its project view minus the summary; the title
// from the report minus the title, overall_confidence, engagement and team learning; engagement
// and team learning from that substrate with every project summary nulled. generated_by and
// offline_parts are bookkeeping of a run, not inputs, so they are left out of every substrate
// (a run with another model keeps what is still sound). Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

namespace diary::generate::daily {

nlohmann::json project_substrate(const nlohmann::json& project);
nlohmann::json title_substrate(const nlohmann::json& report);
nlohmann::json judgment_substrate(const nlohmann::json& report);

}  // namespace diary::generate::daily
