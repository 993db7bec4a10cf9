// The `write_engagement` MCP tool: the engagement_assessment slot of daily-report.json, a reading
// of how the person directed, reviewed, corrected and recovered the agent's work, every claim
// citing {project_key, session_ref, turn_ref} of committed turns. Value factory; see mcp/tool.h.
#pragma once

#include "generate/mcp/tool.h"

namespace diary::generate::mcp {

McpTool write_engagement_tool();

}  // namespace diary::generate::mcp
