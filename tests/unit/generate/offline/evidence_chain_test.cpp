#include "generate/offline/evidence_chain.h"

#include <gtest/gtest.h>

#include "unit/generate/offline/offline_fixture.h"

namespace {

using namespace diary::generate;
using diary::test::ScratchDir;
using nlohmann::json;

class OfflineChains : public ::testing::Test {
 protected:
  OfflineChains() {
    auto loaded = workspace::DayWorkspace::load(diary::test::write_fixture_workspace(scratch.path(), diary::test::offline_day()));
    EXPECT_TRUE(loaded) << (loaded ? "" : loaded.error().message);
    day = std::move(*loaded);
  }

  std::vector<json> chains(const char* project, const char* session) {
    auto result = offline::offline_chains(day, project, *day.find_session(project, session));
    EXPECT_TRUE(result.has_value());
    return result.value_or(std::vector<json>{});
  }

  static std::vector<std::string> summaries(const json& claims) {
    std::vector<std::string> out;
    for (const auto& c : claims) out.push_back(c["summary"]);
    return out;
  }

  ScratchDir scratch;
  workspace::DayWorkspace day;
};

TEST_F(OfflineChains, FileChangesFailingCommandAndTheUsersOwnWords) {
  // codex-edits T0001 (8-29): two apply_patch calls (through the shell), `ls` of a missing folder.
  const json chain = chains(diary::test::edits_project, "S0001").at(0);
  EXPECT_EQ(chain["trigger"]["type"], "explicit_user_message");
  const auto lines = diary::test::fixture_lines(diary::test::fixture_session_file("reader/codex-edits.jsonl"));
  const std::string prompt = json::parse(lines[7])["payload"]["content"][0]["text"];
  EXPECT_EQ(chain["trigger"]["quoted_messages"], (json::array({{{"text", prompt}, {"citations", {{{"lines", "8-8"}}}}}})));
  EXPECT_EQ(chain["trigger"]["citations"], (json::array({{{"lines", "8-8"}}})));

  // The patches are edits, not checks; the failing ls is the one check.
  EXPECT_EQ(
      chain["observed_checks"],
      json::parse(
          R"([{"type":"command_output","summary":"`ls /nonexistent-dir` exited with code 2 (failure).","citations":[{"lines":"22-22"}]}])"));
  ASSERT_EQ(chain["outcomes"].size(), 2u);
  EXPECT_EQ(chain["outcomes"][0]["category"], "code_outcome");
  EXPECT_EQ(chain["outcomes"][0]["summary"],
            "The session records changes to 2 code files: src/parser.cpp (added, then updated), tests/run_tests.sh (added).");
  EXPECT_EQ(chain["outcomes"][0]["citations"], json::parse(R"([{"lines":"12-12"},{"lines":"17-17"}])"));
  EXPECT_EQ(chain["outcomes"][1]["category"], "document_outcome");
  EXPECT_EQ(chain["outcomes"][1]["summary"], "The session records changes to 1 document file: notes.md (added).");
  EXPECT_EQ(summaries(chain["agent_reactions"]),
            (std::vector<std::string>{"The agent ran 1 shell command: `ls /nonexistent-dir`.",
                                      "The agent changed 3 files: notes.md, src/parser.cpp, tests/run_tests.sh.",
                                      "The agent answered: wrote notes.md and changed parse() to take a depth"}));
  EXPECT_EQ(
      chain["terminal_state"],
      json::parse(
          R"({"type":"material_result","summary":"The turn completed; the session records file changes.","citations":[{"lines":"29-29"}]})"));
  EXPECT_EQ(chain["materiality"], "material");
  diary::test::expect_valid_chain(chain, *day.find_session(diary::test::edits_project, "S0001")->find_turn("T0001"));
}

TEST_F(OfflineChains, ATestRunIsTestOutputAndATurnWithoutChangesIsNoMaterial) {
  const auto all = chains(diary::test::edits_project, "S0001");
  ASSERT_EQ(all.size(), 3u);
  const json& tests = all[1];
  EXPECT_EQ(
      tests["observed_checks"],
      json::parse(
          R"([{"type":"test_output","summary":"`sh tests/run_tests.sh` exited with code 0.","citations":[{"lines":"37-37"}]}])"));
  EXPECT_TRUE(tests["outcomes"].empty());
  EXPECT_EQ(tests["terminal_state"]["type"], "no_material");
  EXPECT_EQ(tests["materiality"], "minor");
  const json& listing = all[2];
  EXPECT_EQ(listing["observed_checks"][0]["type"], "command_output");
  EXPECT_EQ(listing["trigger"]["quoted_messages"][0]["text"],
            "Show me a long listing, café ☕.\nRUN: seq 1 2000\nANSWER: printed 2000 numbers");
}

TEST_F(OfflineChains, InterruptedTurnsGapsAndUnansweredPrompts) {
  const auto all = chains(diary::test::alpha_project, "S0002");
  ASSERT_EQ(all.size(), 3u);
  const json& interrupted = all[0];
  EXPECT_EQ(
      interrupted["terminal_state"],
      json::parse(
          R"({"type":"interrupted","summary":"The turn was interrupted (turn aborted: interrupted).","citations":[{"lines":"3-3"}]})"));
  EXPECT_EQ(interrupted["materiality"], "minor");
  EXPECT_TRUE(interrupted["observed_checks"].empty()) << "a command without a result is no check";
  // The secret in the prompt is not copied.
  EXPECT_EQ(interrupted["trigger"]["quoted_messages"][0]["text"], "Run the long job, my token=[REDACTED].");
  EXPECT_TRUE(all[1].is_null()) << "only malformed lines: nothing to extract";
  const json& unanswered = all[2];
  EXPECT_EQ(unanswered["terminal_state"]["type"], "evidence_gap");
  EXPECT_TRUE(unanswered["agent_reactions"].empty());
  EXPECT_EQ(unanswered["materiality"], "none");
}

TEST_F(OfflineChains, ClaudeCodeSession) {
  const auto all = chains(diary::test::delta_project, "S0001");
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0]["trigger"]["quoted_messages"][0]["text"], "Add a health check endpoint to the server.");
  EXPECT_EQ(all[0]["observed_checks"][0]["summary"], "`ls src` ran; no exit code is recorded and no error was reported.");
  EXPECT_EQ(all[0]["terminal_state"]["type"], "no_material");
  // The Edit call's result carries no patch: the edit is taken from the call's file_path.
  EXPECT_EQ(all[1]["outcomes"][0]["summary"], "The session records changes to 1 code file: tests/health_test.cpp (updated).");
  EXPECT_EQ(all[1]["terminal_state"]["type"], "interrupted");
  EXPECT_EQ(all[1]["materiality"], "material");
  EXPECT_EQ(all[2]["agent_reactions"][0]["summary"], "The agent answered: Shipped: tagged v1.2.0.");
}

TEST_F(OfflineChains, EveryChainFollowsTheWriteEvidenceRulesAndOneTurnReadsTheSame) {
  std::size_t checked = 0;
  for (const auto& project : day.projects()) {
    for (const auto& session : project.sessions) {
      auto all = offline::offline_chains(day, project.project_key, session);
      ASSERT_TRUE(all);
      ASSERT_EQ(all->size(), session.turns.size());
      for (std::size_t i = 0; i < session.turns.size(); ++i) {
        auto one = offline::offline_chain(day, project.project_key, session, session.turns[i]);
        ASSERT_TRUE(one);
        EXPECT_EQ(*one, (*all)[i]) << session.session_ref << "/" << session.turns[i].turn_ref;
        if ((*all)[i].is_null()) continue;
        diary::test::expect_valid_chain((*all)[i], session.turns[i]);
        ++checked;
      }
    }
  }
  EXPECT_EQ(checked, 12u);  // 13 turns, one of them only malformed lines
}

TEST_F(OfflineChains, CardHoldsTheExtractableChains) {
  auto card =
      offline::offline_evidence_card(day, diary::test::alpha_project, *day.find_session(diary::test::alpha_project, "S0002"));
  ASSERT_TRUE(card);
  EXPECT_EQ((*card)["schema_version"], 1);
  EXPECT_EQ((*card)["project_key"], diary::test::alpha_project);
  EXPECT_EQ((*card)["session_ref"], "S0002");
  ASSERT_EQ((*card)["evidence_chains"].size(), 2u);
  EXPECT_EQ((*card)["evidence_chains"][1]["turn_ref"], "T0003");
}

TEST_F(OfflineChains, AMissingSessionFileIsAnError) {
  const auto& session = *day.find_session(diary::test::gamma_project, "S0001");
  std::filesystem::remove(day.session_file(diary::test::gamma_project, session));
  EXPECT_FALSE(offline::offline_chains(day, diary::test::gamma_project, session));
}

}  // namespace
