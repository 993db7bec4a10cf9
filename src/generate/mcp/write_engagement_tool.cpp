#include "generate/mcp/write_engagement_tool.h"

#include "generate/artifacts/vocabulary.h"
#include "generate/mcp/daily_slot_tool.h"

namespace diary::generate::mcp {

using nlohmann::json;

McpTool write_engagement_tool() {
  McpTool tool;
  tool.name = "write_engagement";
  tool.description =
      "Write the engagement assessment in daily-report.json: an overall reading with confidence, observations by "
      "dimension (" +
      artifacts::engagement_dimensions().hint_list() +
      "), each citing committed turns as {project_key, session_ref, turn_ref}, and limits (what the evidence cannot "
      "show). Never a score or a comparison. Replaces the whole slot; returns {\"status\":\"written\"} or "
      "{\"status\":\"invalid\",\"errors\":[...]} to fix and retry.";
  tool.input_schema = daily_schema::closed_object(
      {{"overall_reading", daily_schema::cited_lead()},
       {"observations", daily_schema::claims({{"dimension", artifacts::engagement_dimensions().enum_schema()}}, {"statement"})},
       {"limits", daily_schema::limits()}});
  tool.call = [](const ToolContext& context, const json& arguments) {
    return write_daily_slot(context, {daily::SlotKind::engagement, {}}, arguments, "");
  };
  return tool;
}

}  // namespace diary::generate::mcp
