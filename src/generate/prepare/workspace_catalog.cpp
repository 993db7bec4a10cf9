#include "generate/prepare/workspace_catalog.h"

#include <algorithm>
#include <fstream>

#include <fmt/format.h>

#include "generate/prepare/report_target.h"
#include "util/text_file.h"
#include "util/text_table.h"

namespace diary::generate::prepare {

namespace {

// Generation artifacts at the workspace root, in pipeline order.
constexpr const char* day_artifacts[] = {"daily-report.json", "report.md", "report.html"};
constexpr const char* project_synthesis_file = "project-synthesis.json";

bool path_exists(const std::filesystem::path& path) {
  std::error_code ignored;
  return std::filesystem::exists(path, ignored);
}

agent::Result<ProjectSummary> read_project(const std::filesystem::path& folder) {
  auto bad = [&](const std::string& why) { return agent::fail(agent::ErrorKind::invalid_input, folder.string() + ": " + why); };
  ProjectSummary project;
  project.key = folder.filename().string();
  {
    auto text = util::read_text_file(folder / project_file_name);
    auto json = text ? nlohmann::json::parse(*text, nullptr, false) : nlohmann::json(nlohmann::json::value_t::discarded);
    if (!text || json.is_discarded() || !json.is_object()) return bad(std::string(project_file_name) + " is missing or invalid");
    project.label = json.value("project_label", project.key);
  }
  std::ifstream index(folder / session_index_file_name);
  if (!index) return bad(std::string(session_index_file_name) + " is missing");
  std::string line;
  std::size_t number = 0;
  while (std::getline(index, line)) {
    ++number;
    if (line.empty()) continue;
    auto row = nlohmann::json::parse(line, nullptr, false);
    try {
      if (row.is_discarded()) throw std::runtime_error("not JSON");
      SessionSummary session;
      session.session_ref = row.at("session_ref").get<std::string>();
      session.source = row.at("source").get<std::string>();
      session.source_session_id = row.at("source_session_id").get<std::string>();
      session.session_path = row.at("session_path").get<std::string>();
      session.target_start_line = row.at("target_start_line").get<std::size_t>();
      session.target_end_line = row.at("target_end_line").get<std::size_t>();
      session.turns = row.at("turns").size();
      session.evidence = path_exists(folder / "evidence" / (session.session_ref + ".json"));
      project.sessions.push_back(std::move(session));
    } catch (const std::exception& error) {
      return bad(fmt::format("{} line {} is invalid ({})", session_index_file_name, number, error.what()));
    }
  }
  project.synthesis = path_exists(folder / project_synthesis_file);
  return project;
}

bool looks_like_date(const std::string& name) { return parse_report_date(name).has_value(); }

}  // namespace

std::size_t ProjectSummary::turn_count() const {
  std::size_t count = 0;
  for (const auto& session : sessions) count += session.turns;
  return count;
}

std::size_t WorkspaceSummary::session_count() const {
  std::size_t count = 0;
  for (const auto& project : projects) count += project.sessions.size();
  return count;
}

std::size_t WorkspaceSummary::turn_count() const {
  std::size_t count = 0;
  for (const auto& project : projects) count += project.turn_count();
  return count;
}

agent::Result<WorkspaceSummary> read_workspace_summary(const std::filesystem::path& workspace) {
  std::error_code error;
  if (!std::filesystem::is_directory(workspace, error))
    return agent::fail(agent::ErrorKind::invalid_input, "no workspace at " + workspace.string());
  auto metadata = read_workspace_metadata(workspace);
  if (!metadata) return std::unexpected(metadata.error());
  WorkspaceSummary summary;
  summary.path = workspace;
  summary.metadata = std::move(*metadata);
  std::vector<std::filesystem::path> folders;
  if (std::filesystem::is_directory(workspace / "projects", error))
    for (const auto& entry : std::filesystem::directory_iterator(workspace / "projects", error))
      if (entry.is_directory(error)) folders.push_back(entry.path());
  std::sort(folders.begin(), folders.end());
  for (const auto& folder : folders) {
    auto project = read_project(folder);
    if (!project) return std::unexpected(project.error());
    summary.projects.push_back(std::move(*project));
  }
  for (const char* artifact : day_artifacts)
    if (path_exists(workspace / artifact)) summary.artifacts.emplace_back(artifact);
  return summary;
}

std::vector<ListedWorkspace> list_workspaces(const std::filesystem::path& reports_root) {
  std::vector<ListedWorkspace> listed;
  std::error_code error;
  const auto work = reports_root / "work";
  if (!std::filesystem::is_directory(work, error)) return listed;
  for (const auto& entry : std::filesystem::directory_iterator(work, error)) {
    const auto name = entry.path().filename().string();
    if (!entry.is_directory(error) || !looks_like_date(name)) continue;
    listed.push_back({name, entry.path(), read_workspace_summary(entry.path())});
  }
  std::sort(listed.begin(), listed.end(), [](const ListedWorkspace& a, const ListedWorkspace& b) { return a.date > b.date; });
  return listed;
}

nlohmann::ordered_json to_json(const WorkspaceSummary& summary, bool with_sessions) {
  nlohmann::ordered_json out;
  out["report_date"] = summary.metadata.report_date;
  out["workspace"] = summary.path.string();
  out["timezone"] = summary.metadata.timezone;
  out["status"] = summary.metadata.status;
  out["prepared_at"] = summary.metadata.prepared_at;
  out["report_window_local"] = {{"start", summary.metadata.local_start}, {"end", summary.metadata.local_end}};
  out["projects"] = summary.projects.size();
  out["sessions"] = summary.session_count();
  out["turns"] = summary.turn_count();
  out["artifacts"] = summary.artifacts;
  if (!with_sessions) return out;
  auto projects = nlohmann::ordered_json::array();
  for (const auto& project : summary.projects) {
    nlohmann::ordered_json p;
    p["project_key"] = project.key;
    p["project_label"] = project.label;
    p["project_synthesis"] = project.synthesis;
    auto sessions = nlohmann::ordered_json::array();
    for (const auto& session : project.sessions)
      sessions.push_back({{"session_ref", session.session_ref},
                          {"source", session.source},
                          {"source_session_id", session.source_session_id},
                          {"session_path", session.session_path},
                          {"target_start_line", session.target_start_line},
                          {"target_end_line", session.target_end_line},
                          {"turns", session.turns},
                          {"evidence", session.evidence}});
    p["sessions"] = std::move(sessions);
    projects.push_back(std::move(p));
  }
  out["project_details"] = std::move(projects);
  return out;
}

std::string describe(const WorkspaceSummary& summary) {
  const auto& meta = summary.metadata;
  std::string out = fmt::format("Workspace {}\n  date {} ({}), {} .. {} [{}], prepared {}\n", summary.path.string(),
                                meta.report_date, meta.status, meta.local_start, meta.local_end, meta.timezone, meta.prepared_at);
  out += fmt::format("  {} project(s), {} session(s), {} turn(s)\n", summary.projects.size(), summary.session_count(),
                     summary.turn_count());
  out += fmt::format("  day artifacts: {}\n",
                     summary.artifacts.empty() ? "none" : fmt::format("{}", fmt::join(summary.artifacts, ", ")));
  for (const auto& project : summary.projects) {
    // Labels and paths come from session files: cleaned for the terminal.
    out += fmt::format("  project {} ({}): {} session(s), {} turn(s), synthesis {}\n", util::terminal_line(project.key),
                       util::terminal_line(project.label), project.sessions.size(), project.turn_count(),
                       project.synthesis ? "present" : "missing");
    util::TextTable sessions({{}, {}, {}, {}, {}, {}});
    for (const auto& session : project.sessions)
      sessions.add_row({session.session_ref, session.source, session.session_path,
                        fmt::format("lines {}-{}", session.target_start_line, session.target_end_line),
                        fmt::format("{} turn(s)", session.turns), session.evidence ? "evidence present" : "evidence missing"});
    const std::string rows = sessions.render();
    for (std::size_t start = 0; start < rows.size();) {
      const auto end = rows.find('\n', start);
      out += "    " + rows.substr(start, end - start + 1);
      start = end + 1;
    }
  }
  return out;
}

}  // namespace diary::generate::prepare
