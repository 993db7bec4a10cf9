#include "support/daily_fixture.h"

#include "support/scratch_dir.h"

namespace diary::test {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json lines(std::size_t start, std::size_t end) { return {{"lines", std::to_string(start) + "-" + std::to_string(end)}}; }

}  // namespace

json evidence_chain(const FixtureTurn& turn) {
  const json all = json::array({lines(turn.start_line, turn.end_line)});
  const json first = json::array({lines(turn.start_line, turn.start_line)});
  return {{"turn_ref", turn.turn_ref},
          {"trigger",
           {{"type", "explicit_user_message"},
            {"summary", "The user asked for work."},
            {"quoted_messages", json::array({{{"text", "please do it"}, {"citations", first}}})},
            {"citations", first}}},
          {"agent_reactions", json::array({{{"summary", "The agent did it."}, {"citations", all}}})},
          {"outcomes", json::array({{{"category", "code_outcome"}, {"summary", "Changed code."}, {"citations", all}}})},
          {"observed_checks", json::array()},
          {"terminal_state", {{"type", "material_result"}, {"summary", "Done."}, {"citations", all}}},
          {"materiality", "material"},
          {"inputs_sha256", std::string(64, '0')}};
}

void write_evidence_card(const fs::path& workspace, const std::string& project_key, const std::string& session_ref,
                         const std::vector<FixtureTurn>& turns) {
  json chains = json::array();
  for (const auto& turn : turns) chains.push_back(evidence_chain(turn));
  const json card = {
      {"schema_version", 1}, {"project_key", project_key}, {"session_ref", session_ref}, {"evidence_chains", chains}};
  write_file(workspace / "projects" / project_key / "evidence" / (session_ref + ".json"), card.dump(2) + "\n");
}

void commit_every_turn(const fs::path& workspace, const FixtureDay& day) {
  for (const auto& project : day.projects)
    for (const auto& session : project.sessions)
      write_evidence_card(workspace, project.project_key, session.session_ref, session.turns);
}

json turn_ref(const std::string& session_ref, const std::string& turn) {
  return {{"session_ref", session_ref}, {"turn_ref", turn}};
}

json outcome(const std::string& summary, const std::string& confidence, json evidence_refs, const std::string& category) {
  return {{"category", category}, {"summary", summary}, {"evidence_refs", std::move(evidence_refs)}, {"confidence", confidence}};
}

json terminal_state(const std::string& type, const std::string& summary, json evidence_refs) {
  return {{"type", type}, {"summary", summary}, {"evidence_refs", std::move(evidence_refs)}};
}

json material_item(const std::string& ref, const std::string& title, const std::string& confidence, json covered_turns,
                   json outcomes, json terminal_states) {
  return {{"work_item_ref", ref},
          {"kind", "material_work_item"},
          {"title", title},
          {"covered_turns", std::move(covered_turns)},
          {"trigger", {{"summary", "Trigger of " + title}, {"evidence_refs", json::array()}}},
          {"agent_reaction", {{"summary", "Reaction to " + title}, {"main_actions", json::array({"edited"})}}},
          {"outcomes", std::move(outcomes)},
          {"terminal_states", std::move(terminal_states)},
          {"limits", json::array()},
          {"confidence", confidence}};
}

json plain_item(const std::string& ref, const std::string& kind, const std::string& title, json covered_turns,
                const std::string& confidence) {
  json item = {{"work_item_ref", ref},
               {"kind", kind},
               {"title", title},
               {"covered_turns", std::move(covered_turns)},
               {"outcomes", json::array()},
               {"terminal_states", json::array()},
               {"limits", json::array()},
               {"confidence", confidence}};
  if (kind == "excluded_with_reason") item["reason"] = "not work";
  return item;
}

void write_synthesis(const fs::path& workspace, const std::string& project_key, const std::string& label, json work_items,
                     json source_user_messages) {
  const json synthesis = {{"schema_version", 1},
                          {"project_key", project_key},
                          {"project_label", label},
                          {"work_items", std::move(work_items)},
                          {"source_user_messages", std::move(source_user_messages)},
                          {"inputs_sha256", std::string(64, '0')}};
  write_file(workspace / "projects" / project_key / "project-synthesis.json", synthesis.dump(2) + "\n");
}

DailyDay write_daily_day(const fs::path& reports_root) {
  DailyDay out{two_project_day(), {}};
  out.workspace = write_fixture_workspace(reports_root, out.day);
  commit_every_turn(out.workspace, out.day);
  write_synthesis(
      out.workspace, alpha_key, "alpha",
      json::array({material_item(
          "W0001", "Add a verbose flag", "high", json::array({turn_ref("S0001", "T0001"), turn_ref("S0001", "T0002")}),
          json::array({outcome("Added --verbose.", "high", json::array({turn_ref("S0001", "T0001")}))}), json::array())}),
      json::array({{{"session_ref", "S0001"}, {"turn_ref", "T0001"}, {"messages", {"Add a --verbose flag to the CLI"}}}}));
  write_synthesis(
      out.workspace, beta_key, "beta",
      json::array({material_item("W0001", "Explain the deploy failure", "medium", json::array({turn_ref("S0001", "T0001")}),
                                 json::array({outcome("Found the missing token.", "medium",
                                                      json::array({turn_ref("S0001", "T0001")}), "research_outcome")}),
                                 json::array())}));
  return out;
}

}  // namespace diary::test
