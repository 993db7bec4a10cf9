// The MCP tool `write_evidence`: commits the evidence chain of one turn to the session's
// evidence card (projects/<pk>/evidence/<S>.json), creating the card on the first write.
// Arguments {project_key, session_ref, evidence_chain}; accepted ->
// {"status":"appended", project_key, session_ref, turn_ref, missing_turns:[...]}, rejected ->
// {"status":"invalid","errors":[{path,message,hint}]} with the card byte-identical. Every rule
// lives in artifacts/evidence_card.h; inputs_sha256 is computed here from the turn's bytes (an
// agent-supplied inputs_sha256 or source is rejected). Commits under the card's flock, so
// concurrent calls for different turns of one session never lose a chain. Thread-safe.
#pragma once

#include "generate/mcp/tool.h"

namespace diary::generate::mcp {

McpTool write_evidence_tool();

}  // namespace diary::generate::mcp
