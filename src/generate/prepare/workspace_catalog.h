// Read-only views of prepared workspaces for `diary list` and `diary inspect`, and the
// project/session/turn counts prepare reports for an existing workspace. Reads only small
// files (metadata, indexes, artifact presence); thread-safe.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/error.h"
#include "generate/prepare/workspace_layout.h"

namespace diary::generate::prepare {

struct SessionSummary {
  std::string session_ref;
  std::string source;
  std::string source_session_id;
  std::string session_path;
  std::size_t target_start_line = 0;
  std::size_t target_end_line = 0;
  std::size_t turns = 0;
  bool evidence = false;  // projects/<key>/evidence/<S>.json exists
};

struct ProjectSummary {
  std::string key;
  std::string label;
  std::vector<SessionSummary> sessions;
  bool synthesis = false;  // project-synthesis.json exists
  std::size_t turn_count() const;
};

struct WorkspaceSummary {
  std::filesystem::path path;
  WorkspaceMetadata metadata;
  std::vector<ProjectSummary> projects;  // sorted by key
  std::vector<std::string> artifacts;    // day-level generation artifacts present, e.g. report.md
  std::size_t session_count() const;
  std::size_t turn_count() const;
};

// One workspace; invalid_input when it is missing or its metadata/index cannot be read.
agent::Result<WorkspaceSummary> read_workspace_summary(const std::filesystem::path& workspace);

struct ListedWorkspace {
  std::string date;
  std::filesystem::path path;
  agent::Result<WorkspaceSummary> summary;  // unreadable workspaces are listed with their error
};

// Every <root>/work/<YYYY-MM-DD> folder, newest date first. Hidden temporary folders are ignored.
std::vector<ListedWorkspace> list_workspaces(const std::filesystem::path& reports_root);

nlohmann::ordered_json to_json(const WorkspaceSummary& summary, bool with_sessions);
// Human-readable multi-line description for `diary inspect`.
std::string describe(const WorkspaceSummary& summary);

}  // namespace diary::generate::prepare
