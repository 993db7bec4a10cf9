// The `write_project_summary` MCP tool: one project's summary slot of daily-report.json, a short
// qualitative paragraph citing {session_ref, turn_ref} of committed turns of that project.
// Value factory; see mcp/tool.h for the calling contract.
#pragma once

#include "generate/mcp/tool.h"

namespace diary::generate::mcp {

McpTool write_project_summary_tool();

}  // namespace diary::generate::mcp
