// Decides what a workspace will hold, before anything is written: applies the exclusions
// (subagents, diary's own sessions, sessions rooted in the reports root), keeps the turns whose
// trigger falls in the report window, folds identical duplicate sessions and refuses
// conflicting ones, groups sessions by project and assigns S/T refs in a deterministic order.
// Pure apart from the checksum callback; thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/error.h"
#include "generate/prepare/project_identity.h"
#include "generate/prepare/report_target.h"
#include "generate/prepare/session_scan.h"

namespace diary::generate::prepare {

struct PlannedTurn {
  std::string ref;  // "T0001", per session
  std::size_t start_line = 0;
  std::size_t end_line = 0;
  friend bool operator==(const PlannedTurn&, const PlannedTurn&) = default;
};

struct PlannedSession {
  std::string ref;  // "S0001", per project
  SessionSource source = SessionSource::codex;
  std::string source_session_id;
  std::filesystem::path source_path;
  std::string file_name;  // copied to sessions/<source>/<file_name>
  std::uint64_t bytes = 0;
  LineCounts lines;
  std::vector<PlannedTurn> turns;
  std::vector<std::filesystem::path> duplicate_paths;  // identical copies folded into this one

  std::string session_path() const;  // relative to the project folder
};

struct PlannedProject {
  ProjectIdentity identity;
  std::vector<PlannedSession> sessions;
};

enum class SkipReason { unreadable, subagent, own_session, inside_reports_root, no_turns_in_window };
std::string_view to_string(SkipReason reason);

struct SkippedFile {
  SessionSource source = SessionSource::codex;
  std::filesystem::path path;
  SkipReason reason = SkipReason::no_turns_in_window;
  LineCounts lines;
  std::string detail;  // e.g. the read error
};

struct WorkspacePlan {
  std::vector<PlannedProject> projects;  // sorted by key
  std::vector<SkippedFile> skipped;      // sorted by (source, path)
  std::size_t files_scanned = 0;

  std::size_t session_count() const;
  std::size_t turn_count() const;
};

// A scan that failed (unreadable file) is still reported in the audit.
struct ScanOutcome {
  SessionSource source = SessionSource::codex;
  std::filesystem::path path;
  agent::Result<ScannedSession> result;
};

// Checksum of the first `bytes` bytes of a file; used only to compare duplicate sessions.
using ChecksumFunction = std::function<agent::Result<std::string>(const std::filesystem::path&, std::uint64_t bytes)>;

struct PlanOptions {
  std::filesystem::path reports_root;
  ScanOptions scan;  // for the excluded originators
  ChecksumFunction checksum;
};

// Fails with invalid_input when two different files claim the same session id (conflicting
// duplicates) or would be copied to the same place.
agent::Result<WorkspacePlan> plan_workspace(std::vector<ScanOutcome> scans, const ReportTarget& target,
                                            const PlanOptions& options);

// Streams the first `bytes` bytes of a file through SHA-256.
agent::Result<std::string> file_sha256(const std::filesystem::path& path, std::uint64_t bytes);

// "S0001", "T0012"
std::string make_ref(char prefix, std::size_t number);

}  // namespace diary::generate::prepare
