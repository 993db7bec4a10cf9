// The `read_session_lines` MCP tool: pages through a line range of one indexed session, in
// compact or full mode (generate/mcp/session_pages.h), resolving the session only through the
// workspace index — never a path from the caller. Rejections name the fix, in the reference's
// order: unknown project_key, unknown session_ref, missing session file, then the range and
// cursor problems. The tool value is immutable; `call` is thread-safe.
#pragma once

#include "generate/mcp/tool.h"

namespace diary::generate::mcp {

McpTool read_session_lines_tool();

}  // namespace diary::generate::mcp
