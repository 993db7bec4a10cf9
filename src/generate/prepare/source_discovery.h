// Where session histories live and which files are sessions: Codex rollouts
// (~/.codex/sessions/**/rollout-*.jsonl, override DIARY_CODEX_SESSIONS) and Claude Code projects
// (~/.claude/projects/**/*.jsonl minus subagents/ folders, override DIARY_CLAUDE_PROJECTS). An
// empty override disables that source. Thread-safe; reads only directory listings.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/error.h"

namespace diary::generate::prepare {

enum class SessionSource { codex, claude_code };
std::string_view to_string(SessionSource source);  // "codex", "claude-code" (also the folder name)

struct SourceRoot {
  SessionSource source;
  std::filesystem::path root;
  friend bool operator==(const SourceRoot&, const SourceRoot&) = default;
};

struct SourceEnvironment {
  std::optional<std::string> codex_sessions;   // $DIARY_CODEX_SESSIONS
  std::optional<std::string> claude_projects;  // $DIARY_CLAUDE_PROJECTS
  std::optional<std::string> home;             // $HOME
};

SourceEnvironment source_environment_from_process();

// The enabled roots, codex first. A source without override and without HOME is disabled.
std::vector<SourceRoot> source_roots(const SourceEnvironment& environment);

struct DiscoveredFile {
  SessionSource source;
  std::filesystem::path path;
};

// Session files under each root, sorted by path within a source. A missing root yields none; an
// unreadable folder is skipped. Directory symlinks are not followed (no loops).
std::vector<DiscoveredFile> discover_session_files(const std::vector<SourceRoot>& roots);

}  // namespace diary::generate::prepare
