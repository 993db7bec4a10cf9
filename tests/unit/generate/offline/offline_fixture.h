// Test helpers for the offline extractor: a fixture workspace made of real session files (codex
// 0.169.0 rollouts, the Claude Code fixture) plus a small synthetic session, and checkers that
// apply the spec §3 / reference §3.2–3.3 acceptance rules of write_evidence and write_work_item
// to what the extractor produced (the production validators live elsewhere; these keep the
// extractor honest on its own). Header-only; used from one test thread.
#pragma once

#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "generate/artifacts/vocabulary.h"
#include "generate/workspace/day_workspace.h"
#include "unit/generate/mcp/fixture_sessions.h"

namespace diary::test {

inline constexpr const char* edits_project = "edits-0123456789ab";
inline constexpr const char* alpha_project = "alpha-0123456789ab";
inline constexpr const char* delta_project = "delta-0123456789ab";
inline constexpr const char* gamma_project = "gamma-0123456789ab";

inline std::string codex_event_line(const std::string& payload_json) {
  return R"({"timestamp":"2026-11-30T10:00:09.000Z","type":"event_msg","payload":)" + payload_json + "}";
}

// S0002 of alpha: an interrupted turn (T0001, lines 1-3) and a turn of malformed lines only
// (T0002, lines 4-5), plus a prompt nobody answered (T0003, line 6).
inline FixtureSession interrupted_session() {
  FixtureSession session;
  session.session_ref = "S0002";
  session.lines = {
      codex_user_line("Run the long job, my token=abcd1234efgh."),
      R"({"timestamp":"2026-11-30T10:00:02.000Z","type":"response_item","payload":{"type":"function_call","name":"exec_command","arguments":"{\"cmd\":\"sleep 600\"}","call_id":"call_9"}})",
      codex_event_line(R"({"type":"turn_aborted","reason":"interrupted"})"),
      "{\"type\":\"response_item\",\"payload\":{\"type\":\"message\",\"role\":\"user\"",
      "not json at all",
      codex_user_line("Anyone there?")};
  session.turns = {{"T0001", 1, 3}, {"T0002", 4, 5}, {"T0003", 6, 6}};
  return session;
}

inline FixtureDay offline_day() {
  FixtureDay day;
  day.projects.push_back({edits_project, "edits", {fixture_session("S0001", "reader/codex-edits.jsonl")}});
  day.projects.push_back({alpha_project, "alpha", {fixture_session("S0001", "codex/alpha"), interrupted_session()}});
  day.projects.push_back(
      {delta_project,
       "delta",
       {fixture_session("S0001", "claude/projects/-fixture-projects-delta/5f0c6a8e-2d41-4c4b-9a57-0e3f1b2c3d4e.jsonl")}});
  day.projects.push_back({gamma_project, "gamma", {fixture_session("S0001", "codex/gamma")}});
  return day;
}

inline std::vector<std::size_t> lines_of(const nlohmann::json& citations) {
  std::vector<std::size_t> lines;
  for (const auto& citation : citations) {
    auto span = generate::workspace::parse_line_span(citation.value("lines", ""));
    if (!span) continue;
    for (std::size_t line = span->first; line <= span->second; ++line) lines.push_back(line);
  }
  return lines;
}

// The write_evidence rules, applied to one chain of `turn`.
inline void expect_valid_chain(const nlohmann::json& chain, const generate::workspace::TurnSpan& turn) {
  using namespace generate::artifacts;
  SCOPED_TRACE(turn.turn_ref + ": " + chain.dump());
  auto non_blank = [](const nlohmann::json& value) {
    return value.is_string() && value.get<std::string>().find_first_not_of(" \t\r\n") != std::string::npos;
  };
  auto spans_ok = [&](const nlohmann::json& citations) {
    ASSERT_TRUE(citations.is_array());
    for (const auto& citation : citations) {
      const std::string lines = citation.value("lines", "");
      EXPECT_TRUE(std::regex_match(lines, std::regex(R"(\d+-\d+)"))) << lines;
      auto span = generate::workspace::parse_line_span(lines);
      ASSERT_TRUE(span) << lines;
      EXPECT_TRUE(turn.contains(span->first) && turn.contains(span->second)) << lines << " outside the turn";
    }
  };
  EXPECT_EQ(chain["turn_ref"], turn.turn_ref);
  EXPECT_EQ(chain["source"], "offline");
  const auto& trigger = chain["trigger"];
  EXPECT_TRUE(trigger_types().contains(trigger.value("type", "")));
  EXPECT_TRUE(non_blank(trigger["summary"]));
  spans_ok(trigger["citations"]);
  for (const auto& quote : trigger["quoted_messages"]) {
    EXPECT_TRUE(non_blank(quote["text"]));
    spans_ok(quote["citations"]);
  }
  std::set<std::size_t> reaction_lines;
  for (const auto& reaction : chain["agent_reactions"]) {
    EXPECT_TRUE(non_blank(reaction["summary"]));
    spans_ok(reaction["citations"]);
    for (auto line : lines_of(reaction["citations"])) reaction_lines.insert(line);
  }
  const auto trigger_lines = lines_of(trigger["citations"]);
  for (const auto& outcome : chain["outcomes"]) {
    EXPECT_TRUE(outcome_categories().contains(outcome.value("category", "")));
    EXPECT_TRUE(non_blank(outcome["summary"]));
    spans_ok(outcome["citations"]);
    const auto lines = lines_of(outcome["citations"]);
    const bool only_trigger = std::all_of(lines.begin(), lines.end(), [&](std::size_t l) {
      return std::find(trigger_lines.begin(), trigger_lines.end(), l) != trigger_lines.end();
    });
    const bool shares_reaction = std::any_of(lines.begin(), lines.end(), [&](std::size_t l) { return reaction_lines.count(l); });
    EXPECT_FALSE(only_trigger && !shares_reaction) << "a material outcome cites only trigger evidence";
  }
  for (const auto& check : chain["observed_checks"]) {
    EXPECT_TRUE(check_types().contains(check.value("type", "")));
    EXPECT_TRUE(non_blank(check["summary"]));
    spans_ok(check["citations"]);
  }
  const auto& terminal = chain["terminal_state"];
  EXPECT_TRUE(terminal_types().contains(terminal.value("type", "")));
  EXPECT_TRUE(non_blank(terminal["summary"]));
  spans_ok(terminal["citations"]);
  if (terminal["type"] == "material_result") {
    EXPECT_FALSE(chain["outcomes"].empty());
  }
  EXPECT_TRUE(materiality_levels().contains(chain.value("materiality", "")));
}

// The write_work_item rules over all items of a project, plus full coverage: every indexed turn
// covered exactly once. `chained` holds the turns that have a chain.
inline void expect_valid_items(const nlohmann::json& items, const generate::workspace::ProjectEntry& project,
                               const std::set<std::pair<std::string, std::string>>& chained) {
  using namespace generate::artifacts;
  std::set<std::string> refs;
  std::set<std::pair<std::string, std::string>> covered_all;
  for (const auto& item : items) {
    SCOPED_TRACE(item.dump());
    const std::string ref = item.value("work_item_ref", "");
    EXPECT_TRUE(std::regex_match(ref, std::regex(R"(W\d{4})")));
    EXPECT_TRUE(refs.insert(ref).second) << "duplicate " << ref;
    EXPECT_FALSE(item.value("title", "").empty());
    EXPECT_TRUE(work_item_kinds().contains(item.value("kind", "")));
    EXPECT_TRUE(confidence_levels().contains(item.value("confidence", "")) || !item.contains("source"));
    if (item.contains("source")) {  // ours (a committed item of the model may lack it)
      EXPECT_EQ(item["source"], "offline");
      EXPECT_EQ(item["confidence"], "low");
    }
    const std::string kind = item["kind"];
    const nlohmann::json outcomes = item.value("outcomes", nlohmann::json::array());
    const nlohmann::json terminals = item.value("terminal_states", nlohmann::json::array());
    const nlohmann::json limits = item.value("limits", nlohmann::json::array());
    ASSERT_TRUE(item["covered_turns"].is_array());
    EXPECT_FALSE(item["covered_turns"].empty());
    std::set<std::pair<std::string, std::string>> covered;
    for (const auto& turn : item["covered_turns"]) {
      std::pair<std::string, std::string> id{turn["session_ref"], turn["turn_ref"]};
      const auto* session = project.find_session(id.first);
      EXPECT_TRUE(session && session->find_turn(id.second)) << "not indexed";
      EXPECT_TRUE(covered_all.insert(id).second) << "covered twice: " << id.first << "/" << id.second;
      covered.insert(id);
      if (kind == "evidence_gap_item") EXPECT_FALSE(chained.count(id)) << "gap item covers a chained turn";
      else EXPECT_TRUE(chained.count(id)) << "item covers a chainless turn";
    }
    auto refs_ok = [&](const nlohmann::json& evidence_refs) {
      for (const auto& r : evidence_refs) {
        std::pair<std::string, std::string> id{r["session_ref"], r["turn_ref"]};
        EXPECT_TRUE(covered.count(id) && chained.count(id)) << "evidence ref outside covered ∩ committed";
      }
    };
    if (kind == "evidence_gap_item" || kind == "excluded_with_reason") {
      for (const char* key : {"trigger", "agent_reaction", "outcomes", "terminal_states"})
        EXPECT_FALSE(item.contains(key)) << key;
      continue;
    }
    if (kind == "material_work_item") {
      EXPECT_TRUE(item.contains("trigger"));
      EXPECT_TRUE(item.contains("agent_reaction"));
      EXPECT_TRUE(!outcomes.empty() || !terminals.empty());
    }
    if (item.contains("trigger")) {
      EXPECT_FALSE(item["trigger"].value("summary", "").empty());
      refs_ok(item["trigger"].value("evidence_refs", nlohmann::json::array()));
    }
    if (item.contains("agent_reaction")) {
      EXPECT_FALSE(item["agent_reaction"].value("summary", "").empty());
      for (const auto& action : item["agent_reaction"].value("main_actions", nlohmann::json::array()))
        EXPECT_FALSE(action.get<std::string>().empty());
    }
    for (const auto& outcome : outcomes) {
      EXPECT_TRUE(outcome_categories().contains(outcome.value("category", "")));
      EXPECT_FALSE(outcome.value("summary", "").empty());
      EXPECT_TRUE(confidence_levels().contains(outcome.value("confidence", "")));
      refs_ok(outcome.value("evidence_refs", nlohmann::json::array()));
    }
    for (const auto& terminal : terminals) {
      EXPECT_TRUE(terminal_types().contains(terminal.value("type", "")));
      EXPECT_FALSE(terminal.value("summary", "").empty());
      refs_ok(terminal.value("evidence_refs", nlohmann::json::array()));
    }
    for (const auto& limit : limits) EXPECT_FALSE(limit.get<std::string>().empty());
  }
  for (const auto& session : project.sessions)
    for (const auto& turn : session.turns)
      EXPECT_TRUE(covered_all.count({session.session_ref, turn.turn_ref}))
          << session.session_ref << "/" << turn.turn_ref << " uncovered";
}

}  // namespace diary::test
