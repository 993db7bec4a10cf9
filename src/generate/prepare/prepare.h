// `diary prepare` as a library call: scan the session sources (in parallel, streaming), plan
// the workspace for one report day and write it atomically, or leave an existing matching
// workspace alone. Everything the command line decides (target, roots, sources) comes in the
// request, so tests run hermetically. Thread-safe per distinct reports root and date.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/error.h"
#include "generate/prepare/report_target.h"
#include "generate/prepare/session_scan.h"
#include "generate/prepare/source_discovery.h"

namespace diary::generate::prepare {

struct PrepareRequest {
  ReportTarget target;
  std::filesystem::path reports_root;
  std::vector<SourceRoot> sources;
  bool force = false;
  ScanOptions scan;
  unsigned threads = 0;                                                          // 0 = one per hardware thread
  std::chrono::system_clock::time_point now = std::chrono::system_clock::now();  // prepared_at
};

struct PrepareOutcome {
  bool created = false;  // false: an existing workspace was left alone
  std::filesystem::path workspace;
  std::filesystem::path audit;
  std::string report_date;
  std::string timezone;
  std::string status;
  std::size_t projects = 0;
  std::size_t sessions = 0;
  std::size_t turns = 0;
};

// invalid_input: an existing workspace prepared for another target (the message names
// --force), or conflicting duplicate sessions. io: a file system failure (nothing half-built
// is left behind).
agent::Result<PrepareOutcome> prepare_workspace(const PrepareRequest& request);

// "Prepared workspace <path> with N project(s), M session(s), T turn(s)." or the
// "already exists" notice.
std::string summary_line(const PrepareOutcome& outcome);
nlohmann::ordered_json to_json(const PrepareOutcome& outcome);

}  // namespace diary::generate::prepare
