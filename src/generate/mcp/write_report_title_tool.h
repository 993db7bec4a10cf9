// The `write_report_title` MCP tool: the report_title slot of daily-report.json, a one-line
// headline for the day (<= 80 characters, no date, not a generic label) citing
// {project_key, session_ref, turn_ref} of committed turns. Value factory; see mcp/tool.h.
#pragma once

#include "generate/mcp/tool.h"

namespace diary::generate::mcp {

McpTool write_report_title_tool();

}  // namespace diary::generate::mcp
