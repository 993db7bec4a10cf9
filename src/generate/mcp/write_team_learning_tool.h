// The `write_team_learning` MCP tool: the team_learning slot of daily-report.json, takeaways and
// recurring agent-driving patterns to promote, avoid or reuse, every claim citing
// {project_key, session_ref, turn_ref} of committed turns. Value factory; see mcp/tool.h.
#pragma once

#include "generate/mcp/tool.h"

namespace diary::generate::mcp {

McpTool write_team_learning_tool();

}  // namespace diary::generate::mcp
