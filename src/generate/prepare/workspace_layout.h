// Names of everything prepare writes under the reports root, in one place:
// <root>/work/<date>/{metadata.json, projects/<key>/{project.json, sessions.index.jsonl,
// sessions/<source>/<file>}} and the private <root>/private/<date>/audit.json.
// Also the metadata.json format and its comparison with a requested target. Thread-safe.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/error.h"
#include "generate/prepare/report_target.h"

namespace diary::generate::prepare {

inline constexpr int workspace_schema_version = 1;

struct WorkspacePaths {
  std::filesystem::path workspace;  // <root>/work/<date>
  std::filesystem::path audit_dir;  // <root>/private/<date>
  std::filesystem::path audit_file;
};

WorkspacePaths workspace_paths(const std::filesystem::path& reports_root, const std::string& date);

inline constexpr const char* metadata_file_name = "metadata.json";
inline constexpr const char* project_file_name = "project.json";
inline constexpr const char* session_index_file_name = "sessions.index.jsonl";

// The stored form of metadata.json (all strings as written).
struct WorkspaceMetadata {
  int schema_version = 0;
  std::string report_date;
  std::string timezone;
  std::string status;
  std::string prepared_at;
  std::string local_start, local_end;
  std::string utc_start, utc_end;
};

nlohmann::ordered_json metadata_json(const ReportTarget& target, const std::string& prepared_at);

// invalid_input when missing or not a metadata object of this schema.
agent::Result<WorkspaceMetadata> read_workspace_metadata(const std::filesystem::path& workspace);

// Human-readable differences ("timezone: prepared for UTC, requested Asia/Tokyo"); empty when
// the workspace was prepared for exactly this target.
std::vector<std::string> metadata_mismatches(const WorkspaceMetadata& stored, const ReportTarget& target);

// Pretty JSON with a trailing newline: the one stable format for every JSON file prepare writes.
// Invalid UTF-8 (possible in file names) is replaced rather than thrown on.
std::string stable_dump(const nlohmann::ordered_json& value);
// One JSON object per line (sessions.index.jsonl), same guarantees, without the newline.
std::string compact_dump(const nlohmann::ordered_json& value);

}  // namespace diary::generate::prepare
