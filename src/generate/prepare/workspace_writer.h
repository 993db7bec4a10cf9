// Writes a planned workspace atomically: everything is built in hidden temporary folders next
// to the targets (<root>/work/.<date>.tmp-*, <root>/private/.<date>.tmp-*) and renamed into place
// at the end; a replaced workspace is swapped out in one rename. Any failure removes the
// temporary folders, so readers see the old workspace or the new one, never half of one.
// Session copies are byte-identical (exactly the bytes that were scanned) and checksummed
// while copying. Not thread-safe per target date; uses `threads` workers internally.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "agent/error.h"
#include "generate/prepare/report_target.h"
#include "generate/prepare/source_discovery.h"
#include "generate/prepare/workspace_layout.h"
#include "generate/prepare/workspace_plan.h"

namespace diary::generate::prepare {

struct WriteOptions {
  std::string prepared_at;
  std::vector<SourceRoot> sources;  // recorded in the audit
  bool replace_existing = false;    // --force
  unsigned threads = 2;
};

agent::Result<void> write_workspace(const WorkspacePlan& plan, const ReportTarget& target, const WorkspacePaths& paths,
                                    const WriteOptions& options);

// Copies exactly `bytes` bytes of `from` to a new file `to` and returns their SHA-256.
agent::Result<std::string> copy_and_hash(const std::filesystem::path& from, const std::filesystem::path& to, std::uint64_t bytes);

}  // namespace diary::generate::prepare
