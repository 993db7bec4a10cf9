#include "generate/mcp/write_report_title_tool.h"

#include "generate/daily/title_rules.h"
#include "generate/mcp/daily_slot_tool.h"
#include "generate/prepare/json_fields.h"

namespace diary::generate::mcp {

using nlohmann::json;

McpTool write_report_title_tool() {
  McpTool tool;
  tool.name = "write_report_title";
  tool.description =
      "Write the report title in daily-report.json: one evidence-grounded line for the day (at most 80 characters, no "
      "date, no Markdown, not a generic label such as \"daily report\" or \"work log\"), citing committed turns as "
      "{project_key, session_ref, turn_ref}. Replaces the whole slot; returns {\"status\":\"written\"} or "
      "{\"status\":\"invalid\",\"errors\":[...]} to fix and retry.";
  json title = daily_schema::cited_text(true);
  title["properties"]["text"]["maxLength"] = daily::max_title_chars;
  tool.input_schema = daily_schema::closed_object({{"title", std::move(title)}});
  tool.call = [](const ToolContext& context, const json& arguments) {
    const json* title = prepare::field(arguments, "title");
    return write_daily_slot(context, {daily::SlotKind::report_title, {}}, title ? *title : json(nullptr), "/title");
  };
  return tool;
}

}  // namespace diary::generate::mcp
