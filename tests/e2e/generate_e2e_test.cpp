// `diary generate` as a process, end to end: the real pinned codex 0.169.0 app-server, diary's
// own MCP server (`diary mcp serve`, started by codex), and the project's demo agent
// (diary-mock-model's scripted generate agent) on loopback. Everything the agent produces really
// passes through codex, the MCP tools and diary's checks; these tests read the results from disk.
#include <fstream>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "e2e_support.h"
#include "support/workspace_fixture.h"

namespace diary::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

json read_json(const fs::path& path) {
  std::ifstream in(path);
  return json::parse(in, nullptr, false);
}

std::vector<json> ledger_of(const fs::path& workspace) {
  std::vector<json> events;
  std::error_code ec;
  for (const auto& run : fs::directory_iterator(workspace / ".diary" / "runs", ec)) {
    std::ifstream in(run.path() / "events.jsonl");
    std::string line;
    while (std::getline(in, line)) events.push_back(json::parse(line, nullptr, false));
  }
  return events;
}

std::size_t count_offered(const std::vector<ModelRequest>& requests, const std::string& tool_name) {
  std::size_t n = 0;
  for (const auto& request : requests)
    for (const auto& tool : request.offered_tools())
      if (tool.name == tool_name && tool.tool_namespace == "mcp__diary") ++n;
  return n;
}

class generate_e2e : public CodexE2eTest {
 protected:
  MockModelServer demo_model_{MockModelOptions{.demo_agent = true}};
  CodexEnv demo_env_{scratch_.path() / "demo", mock_provider_overrides(demo_model_.port(), "diary-demo-agent")};
  fs::path reports_ = scratch_.path() / "reports";

  void TearDown() override {
    const auto left = leftover_codex(demo_env_.codex_home(), 5s);
    EXPECT_TRUE(left.empty()) << "codex processes left behind: " << describe(left);
    CodexE2eTest::TearDown();
  }

  fs::path write_day(const FixtureDay& day) { return write_fixture_workspace(reports_, day); }

  std::vector<std::string> generate_args(const std::vector<std::string>& extra = {}) const {
    std::vector<std::string> args{"generate"};
    args.insert(args.end(), extra.begin(), extra.end());
    for (const char* flag : {"--date", "2026-11-30", "--timezone", "UTC"}) args.emplace_back(flag);
    args.insert(args.end(), {"--reports-root", reports_.string(), "--codex-bin", DIARY_TEST_CODEX_BIN});
    for (const auto& value : demo_env_.config_overrides()) args.insert(args.end(), {"-c", value});
    return args;
  }

  Finished generate(const std::vector<std::string>& extra = {}, std::chrono::milliseconds timeout = 240s,
                    std::optional<int> port = std::nullopt) const {
    std::vector<std::string> argv{DIARY_BIN};
    auto args = generate_args(extra);
    if (port) {  // another demo model: replace the -c values of the first one
      args.erase(std::find(args.begin(), args.end(), "-c"), args.end());
      for (const auto& value : mock_provider_overrides(*port, "diary-demo-agent")) args.insert(args.end(), {"-c", value});
    }
    argv.insert(argv.end(), args.begin(), args.end());
    SpawnedProcess process(argv, demo_env_.workdir(), demo_env_.process_environment());
    Finished finished;
    finished.exit_code = process.wait(timeout);
    finished.out = process.out();
    finished.err = process.err();
    return finished;
  }
};

TEST_F(generate_e2e, AFullRunProducesAVerifiedReportThroughCodexAndTheMcpTools) {
  FixtureDay day = two_project_day();
  // alpha gets a second session: its synthesis must cover the turns of both.
  day.projects[0].sessions.push_back(FixtureSession{
      .session_ref = "S0002",
      .lines = {codex_user_line("Document the --verbose flag in the README", "2026-11-30T15:00:00.000Z"),
                codex_shell_call_line("sed -n 1,20p README.md", "call_9"), codex_shell_output_line("# cli", 0, "call_9"),
                codex_assistant_line("Documented --verbose in the README.", "2026-11-30T15:00:09.000Z")},
      .turns = {{"T0001", 1, 4}}});
  const fs::path ws = write_day(day);
  const auto run = generate({"--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err << run.out;
  const json result = json::parse(run.out, nullptr, false);
  ASSERT_TRUE(result.is_object()) << run.out;
  EXPECT_TRUE(result["errors"].empty()) << result.dump(2);

  // Every indexed turn has its chain, made by the model (no offline fallback).
  for (const auto& [pk, turns] :
       std::vector<std::pair<std::string, std::size_t>>{{"alpha-0123456789ab", 2}, {"beta-ba9876543210", 1}}) {
    const json card = read_json(ws / "projects" / pk / "evidence" / "S0001.json");
    ASSERT_TRUE(card.is_object()) << pk;
    ASSERT_EQ(card["evidence_chains"].size(), turns) << card.dump(2);
    for (const auto& chain : card["evidence_chains"]) {
      EXPECT_FALSE(chain.contains("source")) << chain.dump();
      EXPECT_EQ(chain["inputs_sha256"].get<std::string>().size(), 64u);
    }
  }
  for (const auto& [pk, turns] :
       std::vector<std::pair<std::string, std::size_t>>{{"alpha-0123456789ab", 3}, {"beta-ba9876543210", 1}}) {
    const json synthesis = read_json(ws / "projects" / pk / "project-synthesis.json");
    std::set<std::string> covered;
    for (const auto& item : synthesis["work_items"])
      for (const auto& turn : item["covered_turns"])
        covered.insert(turn["session_ref"].get<std::string>() + "/" + turn["turn_ref"].get<std::string>());
    EXPECT_EQ(covered.size(), turns) << synthesis.dump(2);
  }
  const json alpha_synthesis = read_json(ws / "projects/alpha-0123456789ab/project-synthesis.json");
  EXPECT_EQ(alpha_synthesis["source_user_messages"].size(), 3u) << alpha_synthesis.dump(2);
  // The first chain quotes the user's own words.
  const json alpha = read_json(ws / "projects/alpha-0123456789ab/evidence/S0001.json");
  EXPECT_EQ(alpha["evidence_chains"][0]["trigger"]["quoted_messages"][0]["text"], "Add a --verbose flag to the CLI");

  const json report = read_json(ws / "daily-report.json");
  ASSERT_TRUE(report.is_object());
  EXPECT_FALSE(report["overall_confidence"].is_null());
  EXPECT_FALSE(report["report_title"].is_null());
  EXPECT_FALSE(report["engagement_assessment"].is_null());
  EXPECT_FALSE(report["team_learning"].is_null());
  EXPECT_EQ(report["generated_by"]["offline"], false);
  EXPECT_TRUE(report["offline_parts"].empty()) << report["offline_parts"].dump();
  const std::string markdown = read_file(ws / "report.md");
  EXPECT_NE(markdown.find("[S0001/T0002](#evidence-alpha-0123456789ab-s0001-t0002)"), std::string::npos) << markdown;
  EXPECT_TRUE(fs::exists(ws / "report.html"));

  // codex really offered diary's tools, each pass only its own.
  const auto requests = demo_model_.requests();
  EXPECT_GT(count_offered(requests, "read_session_lines"), 0u);
  EXPECT_GT(count_offered(requests, "write_work_item"), 0u);
  for (const auto& request : requests) {
    std::set<std::string> names;
    for (const auto& tool : request.offered_tools())
      if (tool.tool_namespace == "mcp__diary") names.insert(tool.name);
    if (names.contains("write_work_item")) {
      EXPECT_EQ(names.size(), 1u) << "a project pass saw more than its tool";
    }
    if (names.contains("write_evidence")) {
      EXPECT_EQ(names, (std::set<std::string>{"read_session_lines", "write_evidence"}));
    }
  }

  // The ledger records every task and every tool call (with the tool's verdict).
  const auto ledger = ledger_of(ws);
  std::set<std::string> ended;
  std::size_t tool_calls = 0;
  for (const auto& event : ledger) {
    if (event.value("event", "") == "task_end") ended.insert(event.value("task", ""));
    if (event.value("event", "") == "item" && event["item"].value("kind", "") == "tool_call") ++tool_calls;
  }
  EXPECT_EQ(ended, (std::set<std::string>{"evidence:alpha-0123456789ab:S0001", "evidence:alpha-0123456789ab:S0002",
                                          "evidence:beta-ba9876543210:S0001", "project:alpha-0123456789ab",
                                          "project:beta-ba9876543210", "daily", "render"}));
  EXPECT_GE(tool_calls, 3u * 2u + 2u + 5u);  // per turn a read and a write; per project a write; every slot
}

TEST_F(generate_e2e, ASecondRunFindsEverythingCompleteAndAsksTheModelNothing) {
  write_day(two_project_day());
  ASSERT_EQ(generate().exit_code, 0);
  const auto before = demo_model_.request_count();
  const auto again = generate();
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(demo_model_.request_count(), before);
}

TEST_F(generate_e2e, ATurnThatNeedsAResumeAndARejectedWriteStillCompleteTheCard) {
  FixtureDay day;
  FixtureSession session{
      .session_ref = "S0001",
      .lines = {codex_user_line("Please tidy the README [demo:stop-early]"), codex_assistant_line("I tidied the README."),
                codex_user_line("And fix the typo in the intro [demo:mistake]", "2026-11-30T12:00:00.000Z"),
                codex_assistant_line("Fixed the typo.", "2026-11-30T12:00:04.000Z")},
      .turns = {{"T0001", 1, 2}, {"T0002", 3, 4}}};
  day.projects = {FixtureProject{"gamma-00000000000a", "gamma", {session}}};
  const fs::path ws = write_day(day);
  const auto run = generate({"--concurrency", "evidence=1"});
  ASSERT_EQ(run.exit_code, 0) << run.err << run.out;
  const json card = read_json(ws / "projects/gamma-00000000000a/evidence/S0001.json");
  ASSERT_EQ(card["evidence_chains"].size(), 2u) << card.dump(2);

  const auto ledger = ledger_of(ws);
  bool resumed = false, rejected = false;
  for (const auto& event : ledger) {
    if (event.value("event", "") == "turn_start" && event.value("kind", "") == "resume") resumed = true;
    if (event.value("event", "") == "item" && event.dump().find("\"result_status\":\"invalid\"") != std::string::npos)
      rejected = true;
  }
  EXPECT_TRUE(resumed) << "the stop-early turn needed diary's resume prompt";
  EXPECT_TRUE(rejected) << "the mistake turn's first write was rejected by the tool";
}

TEST_F(generate_e2e, AHalfWrittenCardIsCompletedWithoutRedoingTheCommittedChain) {
  const fs::path ws = write_day(two_project_day());
  const std::string pk = "alpha-0123456789ab";
  // `generate evidence` takes its flags after the subcommand.
  std::vector<std::string> argv{DIARY_BIN,       "generate",       "evidence",        "--project-key", pk,
                                "--session-ref", "S0001",          "--date",          "2026-11-30",    "--timezone",
                                "UTC",           "--reports-root", reports_.string(), "--codex-bin",   DIARY_TEST_CODEX_BIN};
  for (const auto& value : demo_env_.config_overrides()) argv.insert(argv.end(), {"-c", value});
  {
    SpawnedProcess process(argv, demo_env_.workdir(), demo_env_.process_environment());
    ASSERT_EQ(process.wait(180s), 0) << process.err();
  }
  const fs::path card_path = ws / "projects" / pk / "evidence" / "S0001.json";
  json card = read_json(card_path);
  ASSERT_EQ(card["evidence_chains"].size(), 2u);
  const json kept = card["evidence_chains"][0];
  card["evidence_chains"].erase(1);  // the run "died" after the first turn
  std::ofstream(card_path) << card.dump(2) << "\n";

  const auto before = demo_model_.requests().size();
  {
    SpawnedProcess process(argv, demo_env_.workdir(), demo_env_.process_environment());
    ASSERT_EQ(process.wait(180s), 0) << process.err();
  }
  const json after = read_json(card_path);
  ASSERT_EQ(after["evidence_chains"].size(), 2u);
  EXPECT_EQ(after["evidence_chains"][0], kept);  // byte-for-byte the committed chain
  // Only T0002 was asked for: every new conversation's assignment is T0002 (T0001 appears only
  // as its previous turn, context).
  const auto requests = demo_model_.requests();
  ASSERT_GT(requests.size(), before);
  for (std::size_t i = before; i < requests.size(); ++i) {
    EXPECT_EQ(requests[i].last_user_text().find("- Turn: T0001,"), std::string::npos);
    EXPECT_NE(requests[i].last_user_text().find("- Turn: T0002,"), std::string::npos);
  }
}

TEST_F(generate_e2e, CodexThatCannotStartIsBlockedWithTheWaysOut) {
  write_day(two_project_day());
  std::vector<std::string> argv{DIARY_BIN, "generate",       "--date",          "2026-11-30",  "--timezone",
                                "UTC",     "--reports-root", reports_.string(), "--codex-bin", "/nonexistent/codex"};
  SpawnedProcess process(argv, demo_env_.workdir(), demo_env_.process_environment());
  ASSERT_EQ(process.wait(60s), 3) << process.err();
  EXPECT_NE(process.err().find("codex login"), std::string::npos) << process.err();
  EXPECT_NE(process.err().find("--offline"), std::string::npos) << process.err();
}

TEST_F(generate_e2e, ADeadModelStillYieldsACompleteReportWithOfflinePartsAndTheNextRunRedoesExactlyThose) {
  const fs::path ws = write_day(two_project_day());
  const fs::path settings = scratch_.path() / "settings.toml";
  write_file(
      settings,
      "[defaults]\nmax_no_progress = 1\nturn_timeout = \"4s\"\n");  // codex retries a dead endpoint until the turn times out
  demo_model_.stop();                                               // the provider is down for the whole first run
  const auto first = generate({"--settings", settings.string(), "--json"});
  ASSERT_EQ(first.exit_code, 1) << first.err << first.out;
  EXPECT_NE(first.err.find("error: "), std::string::npos) << first.err;
  const json report = read_json(ws / "daily-report.json");
  ASSERT_TRUE(report.is_object());
  EXPECT_FALSE(report["offline_parts"].empty());
  EXPECT_FALSE(report["overall_confidence"].is_null());  // finalize passed on offline parts
  const json card = read_json(ws / "projects/alpha-0123456789ab/evidence/S0001.json");
  for (const auto& chain : card["evidence_chains"]) EXPECT_EQ(chain.value("source", ""), "offline");
  const std::string markdown = read_file(ws / "report.md");
  EXPECT_NE(markdown.find("Made without a model"), std::string::npos);

  MockModelServer revived{MockModelOptions{.demo_agent = true}};
  const auto second = generate({"--json"}, 240s, revived.port());
  ASSERT_EQ(second.exit_code, 0) << second.err << second.out;
  const json fixed = read_json(ws / "daily-report.json");
  EXPECT_TRUE(fixed["offline_parts"].empty()) << fixed["offline_parts"].dump(2);
  const json model_card = read_json(ws / "projects/alpha-0123456789ab/evidence/S0001.json");
  ASSERT_EQ(model_card["evidence_chains"].size(), 2u);
  for (const auto& chain : model_card["evidence_chains"]) EXPECT_FALSE(chain.contains("source")) << chain.dump();
  EXPECT_GT(revived.request_count(), 0u);
}

TEST_F(generate_e2e, SigintMidRunExits130LeavesNoCodexAndTheNextRunContinues) {
  FixtureDay day = two_project_day();
  // A turn that makes the demo agent wait keeps the run busy long enough to interrupt it.
  const fs::path ws = write_day(day);
  std::vector<std::string> argv{DIARY_BIN};
  const auto args = generate_args({"--concurrency", "evidence=1"});
  argv.insert(argv.end(), args.begin(), args.end());
  {
    SpawnedProcess process(argv, demo_env_.workdir(), demo_env_.process_environment());
    ASSERT_TRUE(demo_model_.wait_for_requests(1, 60s));
    ::kill(process.pid(), SIGINT);
    const auto code = process.wait(60s);
    ASSERT_TRUE(code.has_value()) << "diary did not stop after SIGINT";
    // Interrupted (130), or done already if the run was faster than the signal.
    EXPECT_TRUE(*code == 130 || *code == 0) << *code << process.err();
    if (*code == 130) {
      EXPECT_NE(process.err().find("interrupted"), std::string::npos) << process.err();
    }
  }
  EXPECT_TRUE(leftover_codex(demo_env_.codex_home(), 5s).empty());
  const auto again = generate();
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_TRUE(fs::exists(ws / "report.html"));
}

}  // namespace
}  // namespace diary::test
