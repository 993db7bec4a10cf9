#include "generate/daily/citation_index.h"

#include <fmt/format.h>

#include "generate/artifacts/artifact_store.h"
#include "generate/prepare/json_fields.h"

namespace diary::generate::daily {

namespace fs = std::filesystem;
using nlohmann::json;
using prepare::string_field;
using workspace::TurnId;

namespace {

constexpr std::string_view cite_hint = "cite a committed turn listed in citable_turns";

// Turn refs that the card at `path` holds a chain for. A card naming another project or session
// is somebody else's file and commits nothing.
std::set<std::string> chained_turns(const fs::path& path, std::string_view project_key, std::string_view session_ref) {
  std::set<std::string> turns;
  const auto stored = artifacts::read_stored_json(path);
  if (!stored.value || !stored.value->is_object()) return turns;
  const json& card = *stored.value;
  if (auto key = string_field(card, "project_key"); key && *key != project_key) return turns;
  if (auto ref = string_field(card, "session_ref"); ref && *ref != session_ref) return turns;
  const json* chains = prepare::field(card, "evidence_chains");
  if (chains == nullptr || !chains->is_array()) return turns;
  for (const auto& chain : *chains)
    if (auto turn = string_field(chain, "turn_ref")) turns.emplace(*turn);
  return turns;
}

}  // namespace

std::string child_path(const std::string& path, std::string_view key) { return fmt::format("{}/{}", path, key); }
std::string child_path(const std::string& path, std::size_t index) { return fmt::format("{}/{}", path, index); }

agent::Result<CitationIndex> CitationIndex::load(const fs::path& workspace_root) {
  auto day = workspace::DayWorkspace::load(workspace_root);
  if (!day) return std::unexpected(day.error());
  return load(std::move(*day));
}

agent::Result<CitationIndex> CitationIndex::load(workspace::DayWorkspace day) {
  std::set<TurnId> committed;
  for (const auto& project : day.projects())
    for (const auto& session : project.sessions) {
      const auto chained =
          chained_turns(day.evidence_card(project.project_key, session.session_ref), project.project_key, session.session_ref);
      for (const auto& turn : session.turns)
        if (chained.contains(turn.turn_ref)) committed.insert(TurnId{project.project_key, session.session_ref, turn.turn_ref});
    }
  return from(std::move(day), std::move(committed));
}

CitationIndex CitationIndex::from(workspace::DayWorkspace workspace, std::set<TurnId> committed) {
  CitationIndex index;
  index.workspace_ = std::move(workspace);
  index.committed_ = std::move(committed);
  return index;
}

std::vector<TurnId> CitationIndex::committed_turns(std::string_view project_key) const {
  std::vector<TurnId> turns;
  const auto* project = workspace_.find_project(project_key);
  if (project == nullptr) return turns;
  for (const auto& session : project->sessions)
    for (const auto& turn : session.turns) {
      TurnId id{project->project_key, session.session_ref, turn.turn_ref};
      if (committed(id)) turns.push_back(std::move(id));
    }
  return turns;
}

std::optional<json> CitationIndex::resolve(const TurnId& turn) const {
  const auto* span = workspace_.find_turn(turn);
  if (span == nullptr || !committed(turn)) return std::nullopt;
  return json{{"project_key", turn.project_key},
              {"session_ref", turn.session_ref},
              {"turn_ref", turn.turn_ref},
              {"lines", workspace::format_line_span(span->start_line, span->end_line)}};
}

std::optional<artifacts::Problem> CitationIndex::check_stored(const json& citation, std::string_view own_project,
                                                              const std::string& path) const {
  auto project = string_field(citation, "project_key");
  auto session = string_field(citation, "session_ref");
  auto turn = string_field(citation, "turn_ref");
  auto lines = string_field(citation, "lines");
  if (!project || !session || !turn || !lines || citation.size() != 4)
    return artifacts::Problem{path, "a stored citation must hold exactly project_key, session_ref, turn_ref and lines",
                              "cite through the write tools; never edit daily-report.json by hand"};
  if (!own_project.empty() && *project != own_project)
    return artifacts::Problem{path, fmt::format("cites project '{}' inside project '{}'", *project, own_project),
                              "cite only turns of this project"};
  const TurnId id{std::string(*project), std::string(*session), std::string(*turn)};
  auto resolved = resolve(id);
  if (!resolved)
    return artifacts::Problem{path, fmt::format("{}/{} has no committed evidence in project '{}'", *session, *turn, *project),
                              std::string(cite_hint)};
  if ((*resolved)["lines"] != *lines)
    return artifacts::Problem{path,
                              fmt::format("lines {} of {}/{} are not the turn's span {}", *lines, *session, *turn,
                                          (*resolved)["lines"].get<std::string>()),
                              "rebuild the daily report; spans come from sessions.index.jsonl"};
  return std::nullopt;
}

std::optional<json> CitationIndex::resolve_requested(const json& citation, std::string_view own_project, const std::string& path,
                                                     artifacts::Problems& problems) const {
  auto session = string_field(citation, "session_ref");
  auto turn = string_field(citation, "turn_ref");
  auto project = string_field(citation, "project_key");
  if (!citation.is_object() || !session || !turn || (own_project.empty() && !project)) {
    problems.push_back({path,
                        own_project.empty() ? "a citation needs project_key, session_ref and turn_ref strings"
                                            : "a citation needs session_ref and turn_ref strings",
                        std::string(cite_hint)});
    return std::nullopt;
  }
  if (!own_project.empty() && project && *project != own_project) {
    problems.push_back({child_path(path, "project_key"),
                        fmt::format("cites project '{}' but this summary is for project '{}'", *project, own_project),
                        "cite only turns of this project, as {session_ref, turn_ref}"});
    return std::nullopt;
  }
  const std::string key(own_project.empty() ? *project : own_project);
  auto resolved = resolve(TurnId{key, std::string(*session), std::string(*turn)});
  if (!resolved)
    problems.push_back(
        {path, fmt::format("{}/{} has no committed evidence in project '{}'", *session, *turn, key), std::string(cite_hint)});
  return resolved;
}

}  // namespace diary::generate::daily
