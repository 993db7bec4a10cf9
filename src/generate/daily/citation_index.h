// The one definition of "a turn that may be cited" for the daily report: an indexed turn whose
// evidence card holds a chain for it (a committed turn). Resolves citations to the stored form
// {project_key, session_ref, turn_ref, lines} (lines = the turn's span from the index) and
// re-checks stored citations, for the builder, the four write tools, slot preservation and the
// finalizer alike. Loaded once from the workspace; immutable and thread-safe afterwards.
#pragma once

#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/error.h"
#include "generate/artifacts/problem.h"
#include "generate/workspace/day_workspace.h"

namespace diary::generate::daily {

class CitationIndex {
 public:
  // Loads the workspace and reads every session's evidence card. A card that is missing, does
  // not parse or names another project/session commits nothing (it is not an error here: the
  // evidence phase owns cards; an uncommitted turn simply cannot be cited).
  static agent::Result<CitationIndex> load(const std::filesystem::path& workspace_root);
  // The same from a workspace already loaded (the pipeline's shared day; copied in).
  static agent::Result<CitationIndex> load(workspace::DayWorkspace workspace);
  static CitationIndex from(workspace::DayWorkspace workspace, std::set<workspace::TurnId> committed);

  const workspace::DayWorkspace& workspace() const { return workspace_; }
  bool committed(const workspace::TurnId& turn) const { return committed_.contains(turn); }
  // Committed turns of one project in index order.
  std::vector<workspace::TurnId> committed_turns(std::string_view project_key) const;

  // The stored citation for a committed turn; nullopt when the turn is not indexed or has no chain.
  std::optional<nlohmann::json> resolve(const workspace::TurnId& turn) const;

  // Checks a stored citation at `path`: exactly the four string keys, a committed turn of
  // `own_project` (any project when empty) and `lines` equal to the turn's current span.
  std::optional<artifacts::Problem> check_stored(const nlohmann::json& citation, std::string_view own_project,
                                                 const std::string& path) const;

  // Resolves a citation a tool received: {session_ref, turn_ref} plus project_key (required when
  // `own_project` is empty; when given it must equal `own_project`). Adds a problem at `path`
  // and returns nullopt when it does not name a committed turn.
  std::optional<nlohmann::json> resolve_requested(const nlohmann::json& citation, std::string_view own_project,
                                                  const std::string& path, artifacts::Problems& problems) const;

 private:
  workspace::DayWorkspace workspace_;
  std::set<workspace::TurnId> committed_;
};

// "/a" + "b" -> "/a/b", "/a" + 3 -> "/a/3" (JSON pointers; keys here never need escaping).
std::string child_path(const std::string& path, std::string_view key);
std::string child_path(const std::string& path, std::size_t index);

}  // namespace diary::generate::daily
