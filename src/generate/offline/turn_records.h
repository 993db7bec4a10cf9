// The records of a session's turns as the offline extractor reads them: each turn's non-metadata
// records in the ONE interpretation (generate/mcp/session_compaction.h), read in a single pass over
// the file (prepare's numbering; lines between turns and before the first are skipped unparsed),
// plus the session's working folder (to show changed paths relative to it). Stateless;
// thread-safe.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "agent/error.h"
#include "generate/mcp/session_compaction.h"
#include "generate/workspace/day_workspace.h"

namespace diary::generate::offline {

struct TurnRecords {
  workspace::TurnSpan turn;
  std::vector<mcp::CompactRecord> records;  // in line order
};

struct SessionRecords {
  std::string cwd;                 // "" when the records name none
  std::vector<TurnRecords> turns;  // as requested
};

// `turns` in line order and not overlapping (as the index lists them). io error when the file
// cannot be read.
agent::Result<SessionRecords> read_turn_records(const std::filesystem::path& file, std::string_view source,
                                                const std::vector<workspace::TurnSpan>& turns);

}  // namespace diary::generate::offline
