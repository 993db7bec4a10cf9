#include "generate/mcp/write_team_learning_tool.h"

#include "generate/artifacts/vocabulary.h"
#include "generate/mcp/daily_slot_tool.h"

namespace diary::generate::mcp {

using nlohmann::json;

McpTool write_team_learning_tool() {
  McpTool tool;
  tool.name = "write_team_learning";
  tool.description =
      "Write team learning in daily-report.json: takeaways with confidence, and patterns (kind: " +
      artifacts::pattern_kinds().hint_list() +
      ") with statement, rationale (pattern -> evidence -> why it mattered -> how to reuse or avoid), recurrence and "
      "confidence, each citing committed turns as {project_key, session_ref, turn_ref}; single sightings go into "
      "limits. Replaces the whole slot; returns {\"status\":\"written\"} or {\"status\":\"invalid\",\"errors\":[...]} "
      "to fix and retry.";
  tool.input_schema =
      daily_schema::closed_object({{"takeaways", daily_schema::cited_lead()},
                                   {"patterns", daily_schema::claims({{"kind", artifacts::pattern_kinds().enum_schema()}},
                                                                     {"statement", "rationale", "recurrence"})},
                                   {"limits", daily_schema::limits()}});
  tool.call = [](const ToolContext& context, const json& arguments) {
    return write_daily_slot(context, {daily::SlotKind::team_learning, {}}, arguments, "");
  };
  return tool;
}

}  // namespace diary::generate::mcp
