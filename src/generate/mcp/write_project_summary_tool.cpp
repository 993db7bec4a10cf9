#include "generate/mcp/write_project_summary_tool.h"

#include "generate/mcp/daily_slot_tool.h"
#include "generate/prepare/json_fields.h"

namespace diary::generate::mcp {

using nlohmann::json;

McpTool write_project_summary_tool() {
  McpTool tool;
  tool.name = "write_project_summary";
  tool.description =
      "Write the summary of one project in daily-report.json: a short qualitative paragraph (a roll-up, not a tally) "
      "citing committed turns of this project as {session_ref, turn_ref}. Replaces the whole slot; returns "
      "{\"status\":\"written\"} or {\"status\":\"invalid\",\"errors\":[...]} to fix and retry.";
  tool.input_schema =
      daily_schema::closed_object({{"project_key", daily_schema::text()}, {"summary", daily_schema::cited_text(false)}});
  tool.call = [](const ToolContext& context, const json& arguments) {
    const auto key = prepare::string_field(arguments, "project_key");
    const json* summary = prepare::field(arguments, "summary");
    daily::SlotRef slot{daily::SlotKind::project_summary, std::string(key.value_or(""))};
    return write_daily_slot(context, slot, summary ? *summary : json(nullptr), "/summary");
  };
  return tool;
}

}  // namespace diary::generate::mcp
