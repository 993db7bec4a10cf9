#include "generate/workspace/day_workspace.h"

#include <algorithm>
#include <charconv>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "util/text_file.h"

namespace diary::generate::workspace {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

agent::Result<json> read_json_object(const fs::path& path) {
  auto text = util::read_text_file(path);
  if (!text) return agent::fail(agent::ErrorKind::invalid_input, text.error());
  auto value = json::parse(*text, nullptr, false);
  if (value.is_discarded() || !value.is_object())
    return agent::fail(agent::ErrorKind::invalid_input, path.string() + ": not a JSON object");
  return value;
}

std::optional<std::string> string_field(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

std::optional<std::size_t> line_field(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_number_unsigned()) return std::nullopt;
  const auto value = it->get<std::size_t>();
  if (value == 0) return std::nullopt;
  return value;
}

// A session_path must stay below sessions/ of its project: no absolute paths, no "..".
bool safe_session_path(const std::string& path) {
  if (path.rfind("sessions/", 0) != 0) return false;
  const fs::path p(path);
  if (p.is_absolute()) return false;
  return std::none_of(p.begin(), p.end(), [](const fs::path& part) { return part == ".." || part == "."; });
}

agent::Result<SessionEntry> parse_session(const std::string& line) {
  auto row = json::parse(line, nullptr, false);
  if (row.is_discarded() || !row.is_object()) return agent::fail(agent::ErrorKind::invalid_input, "not a JSON object");
  SessionEntry session;
  auto ref = string_field(row, "session_ref");
  auto source = string_field(row, "source");
  auto path = string_field(row, "session_path");
  if (!ref || !source || !path)
    return agent::fail(agent::ErrorKind::invalid_input, "session_ref, source or session_path missing");
  if (!safe_session_path(*path))
    return agent::fail(agent::ErrorKind::invalid_input, "session_path must stay below sessions/: " + *path);
  session.session_ref = *ref;
  session.source = *source;
  session.session_path = *path;
  session.source_session_id = string_field(row, "source_session_id").value_or("");
  auto turns = row.find("turns");
  if (turns == row.end() || !turns->is_array()) return agent::fail(agent::ErrorKind::invalid_input, "turns missing");
  for (const auto& turn : *turns) {
    if (!turn.is_object()) return agent::fail(agent::ErrorKind::invalid_input, "a turn is not an object");
    auto turn_ref = string_field(turn, "turn_ref");
    auto start = line_field(turn, "turn_start_line");
    auto end = line_field(turn, "turn_end_line");
    if (!turn_ref || !start || !end || *end < *start)
      return agent::fail(agent::ErrorKind::invalid_input, "a turn lacks turn_ref or a valid line span");
    if (session.find_turn(*turn_ref)) return agent::fail(agent::ErrorKind::invalid_input, "duplicate turn_ref " + *turn_ref);
    session.turns.push_back(TurnSpan{*turn_ref, *start, *end});
  }
  return session;
}

agent::Result<ProjectEntry> load_project(const fs::path& folder) {
  ProjectEntry project;
  project.project_key = folder.filename().string();
  auto meta = read_json_object(folder / prepare::project_file_name);
  if (!meta) return std::unexpected(meta.error());
  project.project_label = string_field(*meta, "project_label").value_or(project.project_key);
  if (auto key = string_field(*meta, "project_key"); key && *key != project.project_key)
    return agent::fail(agent::ErrorKind::invalid_input,
                       (folder / prepare::project_file_name).string() + ": project_key does not match its folder");
  const fs::path index_path = folder / prepare::session_index_file_name;
  auto text = util::read_text_file(index_path);
  if (!text) return agent::fail(agent::ErrorKind::invalid_input, text.error());
  std::size_t number = 0, begin = 0;
  while (begin < text->size()) {
    std::size_t end = text->find('\n', begin);
    if (end == std::string::npos) end = text->size();
    const std::string line = text->substr(begin, end - begin);
    begin = end + 1;
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto session = parse_session(line);
    if (!session)
      return agent::fail(agent::ErrorKind::invalid_input,
                         fmt::format("{} line {}: {}", index_path.string(), number, session.error().message));
    if (project.find_session(session->session_ref))
      return agent::fail(agent::ErrorKind::invalid_input,
                         fmt::format("{} line {}: duplicate session_ref {}", index_path.string(), number, session->session_ref));
    project.sessions.push_back(std::move(*session));
  }
  return project;
}

}  // namespace

const TurnSpan* SessionEntry::find_turn(std::string_view turn_ref) const {
  for (const auto& turn : turns)
    if (turn.turn_ref == turn_ref) return &turn;
  return nullptr;
}

const SessionEntry* ProjectEntry::find_session(std::string_view session_ref) const {
  for (const auto& session : sessions)
    if (session.session_ref == session_ref) return &session;
  return nullptr;
}

std::size_t ProjectEntry::turn_count() const {
  std::size_t count = 0;
  for (const auto& session : sessions) count += session.turns.size();
  return count;
}

agent::Result<DayWorkspace> DayWorkspace::load(const fs::path& root) {
  DayWorkspace day;
  std::error_code error;
  day.root_ = fs::absolute(root, error);
  if (error) day.root_ = root;
  auto metadata = prepare::read_workspace_metadata(day.root_);
  if (!metadata) return std::unexpected(metadata.error());
  day.metadata_ = *metadata;
  const fs::path projects = day.root_ / "projects";
  if (!fs::is_directory(projects, error)) return day;  // a day without sessions has no projects
  std::vector<fs::path> folders;
  for (const auto& entry : fs::directory_iterator(projects, error))
    if (entry.is_directory() && entry.path().filename().string().front() != '.') folders.push_back(entry.path());
  std::sort(folders.begin(), folders.end());
  for (const auto& folder : folders) {
    auto project = load_project(folder);
    if (!project) return std::unexpected(project.error());
    day.projects_.push_back(std::move(*project));
  }
  return day;
}

const ProjectEntry* DayWorkspace::find_project(std::string_view project_key) const {
  for (const auto& project : projects_)
    if (project.project_key == project_key) return &project;
  return nullptr;
}

const SessionEntry* DayWorkspace::find_session(std::string_view project_key, std::string_view session_ref) const {
  const ProjectEntry* project = find_project(project_key);
  return project ? project->find_session(session_ref) : nullptr;
}

const TurnSpan* DayWorkspace::find_turn(const TurnId& turn) const {
  const SessionEntry* session = find_session(turn.project_key, turn.session_ref);
  return session ? session->find_turn(turn.turn_ref) : nullptr;
}

std::size_t DayWorkspace::turn_count() const {
  std::size_t count = 0;
  for (const auto& project : projects_) count += project.turn_count();
  return count;
}

fs::path DayWorkspace::project_dir(std::string_view project_key) const { return root_ / "projects" / std::string(project_key); }

fs::path DayWorkspace::session_file(std::string_view project_key, const SessionEntry& session) const {
  return project_dir(project_key) / session.session_path;
}

fs::path DayWorkspace::evidence_card(std::string_view project_key, std::string_view session_ref) const {
  return project_dir(project_key) / "evidence" / (std::string(session_ref) + ".json");
}

fs::path DayWorkspace::project_synthesis(std::string_view project_key) const {
  return project_dir(project_key) / "project-synthesis.json";
}

std::optional<std::pair<std::size_t, std::size_t>> parse_line_span(std::string_view text) {
  const auto dash = text.find('-');
  if (dash == std::string_view::npos || dash == 0 || dash + 1 >= text.size()) return std::nullopt;
  auto number = [](std::string_view digits) -> std::optional<std::size_t> {
    if (digits.empty() || digits.size() > 12) return std::nullopt;
    std::size_t value = 0;
    for (char c : digits) {
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + static_cast<std::size_t>(c - '0');
    }
    return value;
  };
  auto start = number(text.substr(0, dash));
  auto end = number(text.substr(dash + 1));
  if (!start || !end || *start < 1 || *start > *end) return std::nullopt;
  return std::pair{*start, *end};
}

std::string format_line_span(std::size_t start, std::size_t end) { return fmt::format("{}-{}", start, end); }

}  // namespace diary::generate::workspace
