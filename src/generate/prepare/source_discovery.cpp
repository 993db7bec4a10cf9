#include "generate/prepare/source_discovery.h"

#include <algorithm>

#include "generate/prepare/reports_root.h"
#include "generate/prepare/text_util.h"

namespace diary::generate::prepare {

namespace {

bool is_session_file(SessionSource source, const std::filesystem::path& path) {
  if (path.extension() != ".jsonl") return false;
  if (source == SessionSource::codex) return path.filename().string().starts_with("rollout-");
  return true;
}

void collect(const SourceRoot& root, std::vector<DiscoveredFile>& out) {
  std::error_code error;
  if (std::filesystem::is_regular_file(root.root, error)) {
    if (is_session_file(root.source, root.root)) out.push_back({root.source, root.root});
    return;
  }
  if (!std::filesystem::is_directory(root.root, error)) return;
  std::vector<std::filesystem::path> found;
  const auto options = std::filesystem::directory_options::skip_permission_denied;
  for (auto it = std::filesystem::recursive_directory_iterator(root.root, options, error);
       !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
    // Claude Code keeps subagent transcripts in subagents/ folders: never opened, never copied.
    if (root.source == SessionSource::claude_code && it->path().filename() == "subagents" && it->is_directory(error)) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file(error) && is_session_file(root.source, it->path())) found.push_back(it->path());
  }
  std::sort(found.begin(), found.end());
  for (auto& path : found) out.push_back({root.source, std::move(path)});
}

}  // namespace

std::string_view to_string(SessionSource source) { return source == SessionSource::codex ? "codex" : "claude-code"; }

SourceEnvironment source_environment_from_process() {
  return {environment_value("DIARY_CODEX_SESSIONS"), environment_value("DIARY_CLAUDE_PROJECTS"), environment_value("HOME")};
}

std::vector<SourceRoot> source_roots(const SourceEnvironment& environment) {
  std::vector<SourceRoot> roots;
  auto add = [&](SessionSource source, const std::optional<std::string>& override_value,
                 std::filesystem::path default_below_home) {
    if (override_value) {
      if (!override_value->empty()) roots.push_back({source, expand_home(*override_value, environment.home)});
      return;
    }
    if (environment.home && !environment.home->empty())
      roots.push_back({source, std::filesystem::path(*environment.home) / default_below_home});
  };
  add(SessionSource::codex, environment.codex_sessions, std::filesystem::path(".codex") / "sessions");
  add(SessionSource::claude_code, environment.claude_projects, std::filesystem::path(".claude") / "projects");
  return roots;
}

std::vector<DiscoveredFile> discover_session_files(const std::vector<SourceRoot>& roots) {
  std::vector<DiscoveredFile> files;
  for (const auto& root : roots) collect(root, files);
  return files;
}

}  // namespace diary::generate::prepare
