// The prepared workspace of one day as generate sees it: metadata, projects (sorted by key),
// their sessions in index order and each session's turns with their 1-based inclusive line
// spans. Loaded once from metadata.json, projects/<pk>/project.json and sessions.index.jsonl
// (prepare writes them; docs/prepare.md). Every artifact path generate reads or writes is
// named here. Value type: cheap lookups, thread-safe once loaded.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/error.h"
#include "generate/prepare/workspace_layout.h"

namespace diary::generate::workspace {

struct TurnSpan {
  std::string turn_ref;  // T0001...
  std::size_t start_line = 0;
  std::size_t end_line = 0;  // inclusive

  bool contains(std::size_t line) const { return line >= start_line && line <= end_line; }
  friend bool operator==(const TurnSpan&, const TurnSpan&) = default;
};

struct SessionEntry {
  std::string session_ref;  // S0001...
  std::string source;       // codex | claude-code
  std::string source_session_id;
  std::string session_path;  // relative to the project folder, below sessions/
  std::vector<TurnSpan> turns;

  const TurnSpan* find_turn(std::string_view turn_ref) const;
};

struct ProjectEntry {
  std::string project_key;
  std::string project_label;
  std::vector<SessionEntry> sessions;  // index order

  const SessionEntry* find_session(std::string_view session_ref) const;
  std::size_t turn_count() const;
};

// A turn's identity across the day.
struct TurnId {
  std::string project_key;
  std::string session_ref;
  std::string turn_ref;
  friend auto operator<=>(const TurnId&, const TurnId&) = default;
};

class DayWorkspace {
 public:
  // invalid_input naming the file and the problem when anything prepare writes is missing or
  // malformed (including a session_path that leaves sessions/).
  static agent::Result<DayWorkspace> load(const std::filesystem::path& root);

  const std::filesystem::path& root() const { return root_; }
  const prepare::WorkspaceMetadata& metadata() const { return metadata_; }
  const std::vector<ProjectEntry>& projects() const { return projects_; }

  const ProjectEntry* find_project(std::string_view project_key) const;
  const SessionEntry* find_session(std::string_view project_key, std::string_view session_ref) const;
  const TurnSpan* find_turn(const TurnId& turn) const;
  std::size_t turn_count() const;

  // Paths of inputs and artifacts (they need not exist).
  std::filesystem::path project_dir(std::string_view project_key) const;
  std::filesystem::path session_file(std::string_view project_key, const SessionEntry& session) const;
  std::filesystem::path evidence_card(std::string_view project_key, std::string_view session_ref) const;
  std::filesystem::path project_synthesis(std::string_view project_key) const;
  std::filesystem::path daily_report() const { return root_ / "daily-report.json"; }
  std::filesystem::path report_markdown() const { return root_ / "report.md"; }
  std::filesystem::path report_html() const { return root_ / "report.html"; }

 private:
  std::filesystem::path root_;
  prepare::WorkspaceMetadata metadata_;
  std::vector<ProjectEntry> projects_;
};

// "12-30" -> {12, 30}; nullopt unless two decimal numbers with start <= end and start >= 1.
std::optional<std::pair<std::size_t, std::size_t>> parse_line_span(std::string_view text);
std::string format_line_span(std::size_t start, std::size_t end);

}  // namespace diary::generate::workspace
