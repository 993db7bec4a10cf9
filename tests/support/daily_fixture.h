// Inputs of the daily phase for tests, written as the JSON files the earlier phases leave:
// evidence cards (a turn is committed when its card holds a chain for it) and project
// syntheses. Builders for work items keep tests short and say what matters. Not thread-safe.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/workspace_fixture.h"

namespace diary::test {

// A small valid chain for `turn`, every citation inside its span.
nlohmann::json evidence_chain(const FixtureTurn& turn);
// projects/<pk>/evidence/<S>.json with one chain per given turn.
void write_evidence_card(const std::filesystem::path& workspace, const std::string& project_key, const std::string& session_ref,
                         const std::vector<FixtureTurn>& turns);
// A card with a chain for every turn of every session of `day`.
void commit_every_turn(const std::filesystem::path& workspace, const FixtureDay& day);

// {session_ref, turn_ref}
nlohmann::json turn_ref(const std::string& session_ref, const std::string& turn_ref);
nlohmann::json outcome(const std::string& summary, const std::string& confidence, nlohmann::json evidence_refs,
                       const std::string& category = "code_outcome");
nlohmann::json terminal_state(const std::string& type, const std::string& summary, nlohmann::json evidence_refs);
// A material_work_item with trigger and reaction; outcomes and terminal states as given.
nlohmann::json material_item(const std::string& ref, const std::string& title, const std::string& confidence,
                             nlohmann::json covered_turns, nlohmann::json outcomes, nlohmann::json terminal_states);
// An item of another kind with nothing but its coverage (and reason for excluded_with_reason).
nlohmann::json plain_item(const std::string& ref, const std::string& kind, const std::string& title, nlohmann::json covered_turns,
                          const std::string& confidence = "medium");

// projects/<pk>/project-synthesis.json
void write_synthesis(const std::filesystem::path& workspace, const std::string& project_key, const std::string& label,
                     nlohmann::json work_items, nlohmann::json source_user_messages = nlohmann::json::array());

// The two_project_day() workspace with every turn committed and one material item per project:
// alpha W0001 covering S0001/T0001-T0002 (outcome citing T0001), beta W0001 covering S0001/T0001.
struct DailyDay {
  FixtureDay day;
  std::filesystem::path workspace;
};
DailyDay write_daily_day(const std::filesystem::path& reports_root);

inline constexpr const char* alpha_key = "alpha-0123456789ab";
inline constexpr const char* beta_key = "beta-ba9876543210";

}  // namespace diary::test
