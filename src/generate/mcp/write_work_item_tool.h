// The MCP tool `write_work_item`: commits one work item to the project synthesis
// (projects/<pk>/project-synthesis.json), creating the envelope on the first write. Arguments
// {project_key, work_item}; accepted -> {"status":"appended", work_item_ref,
// uncovered_turns:[{session_ref,turn_ref}]} (turns still to do, index order), rejected ->
// {"status":"invalid","errors":[...]} with the file byte-identical. Every rule lives in
// artifacts/project_synthesis.h; source_user_messages and inputs_sha256 are filled here from the
// project's committed chains, and an agent-supplied source is rejected. Commits under the
// envelope's flock. Thread-safe.
#pragma once

#include "generate/mcp/tool.h"

namespace diary::generate::mcp {

McpTool write_work_item_tool();

}  // namespace diary::generate::mcp
