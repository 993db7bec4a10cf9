#include "generate/job/run_job.h"

#include <sstream>

#include <boost/asio/steady_timer.hpp>
#include <gtest/gtest.h>

#include "generate/job/dry_run.h"
#include "generate/job/job_spec_parser.h"
#include "support/fake_agent.h"
#include "support/scratch_dir.h"

namespace diary::generate {
namespace {

namespace asio = boost::asio;
using test::fake_completed;
using test::write_files;

bool contains(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

std::vector<nlohmann::json> ledger_lines(const std::filesystem::path& path) {
  std::istringstream in(test::read_file(path));
  std::vector<nlohmann::json> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

std::vector<nlohmann::json> events_named(const std::vector<nlohmann::json>& lines, const std::string& name) {
  std::vector<nlohmann::json> out;
  for (const auto& line : lines)
    if (line["event"] == name) out.push_back(line);
  return out;
}

class RunJobTest : public ::testing::Test {
 protected:
  test::ScratchDir dir;
  asio::io_context io;
  test::FakeAgentSessionFactory factory;
  std::vector<std::string> progress;
  JobRunOptions options;

  RunJobTest() {
    options.progress = [this](const std::string& line) { progress.push_back(line); };
    options.initial_backoff = std::chrono::milliseconds(1);
    options.backend_info = {{"codex_version", "0.169.0"}, {"config_keys", {"model_provider"}}};
  }

  JobSpec spec(const std::string& extra = "[[artifact]]\npath = \"docs/NOTES.md\"\ncontains = [\"A\", \"B\"]\n") {
    test::write_file(dir / "job.toml", "name = \"notes\"\nprompt = \"Write docs/NOTES.md\"\nmodel = \"m1\"\n" + extra);
    auto parsed = parse_job_spec(dir / "job.toml");
    EXPECT_TRUE(parsed) << parsed.error().message;
    return *parsed;
  }

  JobResult run(const JobSpec& job) {
    auto result = test::run_awaitable(io, run_job(job, factory, options));
    EXPECT_TRUE(result) << result.error().message;
    return *result;
  }

  std::filesystem::path notes() const { return dir / "docs" / "NOTES.md"; }
};

TEST_F(RunJobTest, AlreadyCompleteJobWritesALedgerButStartsNothing) {
  test::write_file(notes(), "A B");
  auto result = run(spec());
  EXPECT_EQ(result.status, RunStatus::complete);
  EXPECT_EQ(result.attempts(), 0);
  EXPECT_EQ(factory.runners_created(), 0);
  ASSERT_TRUE(std::filesystem::exists(result.ledger));
  EXPECT_EQ(result.ledger.parent_path().parent_path(), std::filesystem::canonical(dir.path()) / ".diary" / "runs");
  auto lines = ledger_lines(result.ledger);
  ASSERT_GE(lines.size(), 4u);
  EXPECT_EQ(lines[0]["event"], "job_request");
  EXPECT_EQ(lines[0]["job"]["name"], "notes");
  EXPECT_EQ(lines[0]["run_id"], result.run_id);
  EXPECT_EQ(lines[1]["event"], "backend");
  EXPECT_EQ(lines[1]["codex_version"], "0.169.0");
  EXPECT_EQ(events_named(lines, "artifact_check").size(), 1u);
  EXPECT_EQ(lines.back()["event"], "result");
  EXPECT_EQ(lines.back()["status"], "complete");
  auto stored = nlohmann::json::parse(test::read_file(result.ledger.parent_path() / "result.json"));
  EXPECT_EQ(stored, to_json(result));
}

TEST_F(RunJobTest, PartialThenCompleteIsRecordedTurnByTurn) {
  factory.push_turn([this](const std::string&, const agent::TurnOptions& turn_options) {
    turn_options.on_event({agent::EventKind::command, "cat README.md", {}});
    turn_options.on_event({agent::EventKind::reasoning, "thinking", {}});
    test::write_file(notes(), "A");
    return agent::Result<agent::AgentTurnResult>(fake_completed("half", test::fake_usage(100, 10)));
  });
  factory.push_turn(write_files({{notes(), "A B"}}, fake_completed("all", test::fake_usage(200, 20))));
  auto result = run(spec());
  EXPECT_EQ(result.status, RunStatus::complete);
  EXPECT_EQ(result.attempts(), 2);
  EXPECT_EQ(factory.runners_created(), 1);
  EXPECT_EQ(result.usage.input_tokens, 300);
  EXPECT_EQ(result.final_message, "all");

  auto lines = ledger_lines(result.ledger);
  for (std::size_t i = 0; i < lines.size(); ++i) EXPECT_EQ(lines[i]["seq"], i + 1);
  auto started = events_named(lines, "turn_started");
  ASSERT_EQ(started.size(), 2u);
  EXPECT_EQ(started[0]["prompt"], "Write docs/NOTES.md");
  EXPECT_EQ(started[1]["kind"], "resume");
  EXPECT_TRUE(contains(started[1]["prompt"].get<std::string>(), "missing substring \"B\""));
  auto completed = events_named(lines, "turn_completed");
  ASSERT_EQ(completed.size(), 2u);
  EXPECT_EQ(completed[0]["status"], "completed");
  EXPECT_EQ(completed[0]["usage"]["input_tokens"], 100);
  auto items = events_named(lines, "item");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0]["kind"], "command");
  EXPECT_EQ(items[0]["summary"], "cat README.md");
  EXPECT_EQ(items[0]["turn"], 1);
  auto checks = events_named(lines, "artifact_check");
  ASSERT_EQ(checks.size(), 3u);
  EXPECT_EQ(checks[1]["turn"], 1);
  EXPECT_EQ(checks[1]["failing_checks"], 1);
  EXPECT_EQ(checks[2]["complete"], true);
  EXPECT_FALSE(events_named(lines, "loop").empty());
  EXPECT_EQ(lines.back()["event"], "result");
  EXPECT_EQ(lines.back()["attempts"], 2);

  // Progress lines: commands the agent ran, checks, turns; not reasoning.
  auto joined = [&] {
    std::string all;
    for (const auto& line : progress) all += line + "\n";
    return all;
  }();
  EXPECT_TRUE(contains(joined, "turn 1: $ cat README.md")) << joined;
  EXPECT_TRUE(contains(joined, "turn 2 started (resume")) << joined;
  EXPECT_TRUE(contains(joined, "checks: 1 failing, 0/1 artifacts ok")) << joined;
  EXPECT_FALSE(contains(joined, "thinking")) << joined;
}

TEST_F(RunJobTest, AgentConfigComesFromTheSpec) {
  auto job = spec(
      "sandbox = \"read-only\"\napproval_policy = \"on-request\"\nreasoning_effort = \"low\"\n"
      "developer_instructions = \"dev\"\n");
  job.config_overrides = {"model_provider=\"mock\""};
  options.backend.binary = "/opt/codex";
  options.backend.config_overrides = {"analytics.enabled=false"};
  factory.push_turn(write_files({}, fake_completed("ok")));
  auto result = run(job);
  EXPECT_EQ(result.status, RunStatus::complete);
  ASSERT_EQ(factory.configs().size(), 1u);
  const auto& config = factory.configs()[0];
  EXPECT_EQ(config.working_directory, std::filesystem::canonical(dir.path()));
  EXPECT_EQ(config.model, "m1");
  EXPECT_EQ(config.sandbox, "read-only");
  EXPECT_EQ(config.approval_policy, "on-request");
  EXPECT_EQ(config.reasoning_effort, "low");
  EXPECT_EQ(config.developer_instructions, "dev");
  EXPECT_EQ(config.backend.binary, "/opt/codex");
  EXPECT_EQ(config.backend.config_overrides, (std::vector<std::string>{"analytics.enabled=false", "model_provider=\"mock\""}));
  EXPECT_TRUE(config.approval_handler);
}

TEST_F(RunJobTest, ApprovalsAreAnsweredByPolicyAndLogged) {
  auto job = spec("[policy]\nallow_commands = [\"git status\"]\ndeny_commands = [\"git push\"]\n");
  factory.push_turn([this](const std::string&, const agent::TurnOptions&) {
    const auto& handler = factory.configs().at(0).approval_handler;
    EXPECT_EQ(handler({.kind = agent::ApprovalKind::command, .command = "git status"}), agent::ApprovalDecision::accept);
    EXPECT_EQ(handler({.kind = agent::ApprovalKind::command, .command = "git push --force"}), agent::ApprovalDecision::decline);
    return agent::Result<agent::AgentTurnResult>(fake_completed("ok"));
  });
  auto result = run(job);
  EXPECT_EQ(result.status, RunStatus::complete);
  auto approvals = events_named(ledger_lines(result.ledger), "approval");
  ASSERT_EQ(approvals.size(), 2u);
  EXPECT_EQ(approvals[0]["decision"], "accept");
  EXPECT_EQ(approvals[0]["turn"], 1);
  EXPECT_EQ(approvals[1]["decision"], "decline");
  EXPECT_EQ(approvals[1]["rule"], "deny_commands: \"git push\"");
  bool reported = false;
  for (const auto& line : progress) reported |= contains(line, "approval: decline git push --force");
  EXPECT_TRUE(reported);
}

TEST_F(RunJobTest, InterruptedRunEndsTheLedgerWithTheResult) {
  factory.push({.until_interrupted = true});
  std::stop_source stop;
  options.stop = stop.get_token();
  asio::steady_timer timer(io, std::chrono::milliseconds(20));
  timer.async_wait([&](boost::system::error_code) { stop.request_stop(); });
  auto result = run(spec());
  EXPECT_EQ(result.status, RunStatus::interrupted);
  auto lines = ledger_lines(result.ledger);
  EXPECT_EQ(lines.back()["event"], "result");
  EXPECT_EQ(lines.back()["status"], "interrupted");
  EXPECT_EQ(events_named(lines, "turn_completed").at(0)["status"], "interrupted");
}

TEST_F(RunJobTest, JsonResultHasTheDocumentedShape) {
  factory.push_turn(write_files({{notes(), "A B"}}, fake_completed("done", test::fake_usage(3, 4))));
  auto json = to_json(run(spec()));
  for (const char* key :
       {"name", "status", "attempts", "turns", "artifacts", "final_message", "structured_output", "usage", "run_id", "ledger"})
    EXPECT_TRUE(json.contains(key)) << key;
  EXPECT_EQ(json["status"], "complete");
  EXPECT_EQ(json["attempts"], 1);
  for (const char* key : {"turn_id", "status", "duration_ms", "usage", "error"})
    EXPECT_TRUE(json["turns"][0].contains(key)) << key;
  EXPECT_EQ(json["artifacts"][0],
            (nlohmann::json{{"path", "docs/NOTES.md"}, {"ok", true}, {"problems", nlohmann::json::array()}}));
  EXPECT_EQ(json["usage"]["output_tokens"], 4);
}

TEST_F(RunJobTest, SummaryNamesStatusArtifactsTokensAndLedger) {
  for (int i = 0; i < 3; ++i) factory.push_turn(write_files({}));
  auto result = run(spec());
  EXPECT_EQ(result.status, RunStatus::incomplete);
  const std::string summary = format_job_summary(result);
  EXPECT_TRUE(summary.starts_with("notes: incomplete (3 turns, ")) << summary;
  EXPECT_TRUE(contains(summary, "FAIL  docs/NOTES.md")) << summary;
  EXPECT_TRUE(contains(summary, "missing file")) << summary;
  EXPECT_TRUE(contains(summary, "tokens: ")) << summary;
  EXPECT_TRUE(contains(summary, "ledger: " + result.ledger.string())) << summary;
}

TEST_F(RunJobTest, QuietMeansNoProgress) {
  options.quiet = true;
  factory.push_turn(write_files({{notes(), "A B"}}));
  EXPECT_EQ(run(spec()).status, RunStatus::complete);
  EXPECT_TRUE(progress.empty());
}

TEST_F(RunJobTest, LedgerFailureRunsNothing) {
  auto job = spec();
  test::write_file(dir / ".diary", "not a directory");
  auto result = test::run_awaitable(io, run_job(job, factory, options));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, agent::ErrorKind::io);
  EXPECT_EQ(factory.runners_created(), 0);
}

TEST_F(RunJobTest, UsesALedgerOpenedByTheCaller) {
  auto job = spec();
  auto ledger = RunLedger::open(job.workdir, "caller-run");
  ASSERT_TRUE(ledger);
  options.ledger = *ledger;
  factory.push_turn([&](const std::string&, const agent::TurnOptions&) {
    (*ledger)->append("backend_started", {{"pid", 42}});  // as the factory's callback would
    test::write_file(notes(), "A B");
    return agent::Result<agent::AgentTurnResult>(fake_completed());
  });
  auto result = run(job);
  EXPECT_EQ(result.run_id, "caller-run");
  auto lines = ledger_lines(result.ledger);
  ASSERT_EQ(events_named(lines, "backend_started").size(), 1u);
  EXPECT_EQ(lines.back()["event"], "result");
  EXPECT_EQ(lines.back()["seq"], lines.size());
}

TEST_F(RunJobTest, DryRunShowsTheResolvedJobAndChecksWithoutRunning) {
  auto job = spec();
  job.turn_timeout = std::chrono::seconds(42);
  test::write_file(notes(), "A");
  auto report = dry_run_job(job);
  EXPECT_TRUE(report.would_run);
  EXPECT_EQ(report.job["turn_timeout_ms"], 42000);
  auto json = to_json(report);
  EXPECT_EQ(json["failing_checks"], 1);
  EXPECT_EQ(json["artifacts"][0]["problems"][0], "missing substring \"B\"");
  const std::string text = format_dry_run(report);
  EXPECT_TRUE(contains(text, "\"turn_timeout_ms\": 42000")) << text;
  EXPECT_TRUE(contains(text, "FAIL  docs/NOTES.md")) << text;
  EXPECT_TRUE(contains(text, "would run: yes")) << text;
  EXPECT_TRUE(text.ends_with("prompt:\nWrite docs/NOTES.md\n")) << text;
  EXPECT_FALSE(std::filesystem::exists(dir / ".diary"));
  EXPECT_EQ(factory.runners_created(), 0);

  test::write_file(notes(), "A B");
  EXPECT_FALSE(dry_run_job(job).would_run);
}

// 12.1: a run that ended unfinished (here: its turn cap) leaves its conversation in the ledger;
// the next run continues it (the model keeps what it knew) and says so in ledger and result.
TEST_F(RunJobTest, TheNextRunContinuesTheConversationOfAnUnfinishedOne) {
  const std::string capped = "max_turns = 1\n[[artifact]]\npath = \"docs/NOTES.md\"\ncontains = [\"A\", \"B\"]\n";
  factory.push_turn(write_files({{notes(), "A"}}));
  const JobResult first = run(spec(capped));
  ASSERT_EQ(first.status, RunStatus::incomplete) << first.reason;
  EXPECT_EQ(first.conversation_id, "fake-thread-0");
  auto conversation = events_named(ledger_lines(first.ledger), "conversation");
  ASSERT_EQ(conversation.size(), 1u);
  EXPECT_EQ(conversation[0]["conversation_id"], "fake-thread-0");
  EXPECT_EQ(conversation[0]["resumed"], false);
  EXPECT_EQ(conversation[0]["location"], "fake-rollouts/fake-thread-0.jsonl");

  factory.push_turn(write_files({{notes(), "A B"}}));
  const JobResult second = run(spec());
  EXPECT_EQ(second.status, RunStatus::complete) << second.reason;
  ASSERT_EQ(factory.configs().size(), 2u);
  ASSERT_TRUE(factory.configs()[1].resume_conversation);
  EXPECT_EQ(*factory.configs()[1].resume_conversation, "fake-thread-0");
  EXPECT_EQ(second.conversation_id, "fake-thread-0");
  EXPECT_EQ(second.continued_from, first.run_id);
  const auto lines = ledger_lines(second.ledger);
  ASSERT_EQ(events_named(lines, "continue").size(), 1u);
  EXPECT_EQ(events_named(lines, "continue")[0]["run_id"], first.run_id);
  EXPECT_EQ(events_named(lines, "continue")[0]["earlier_turn_completed"], true);
  EXPECT_EQ(events_named(lines, "conversation").at(0)["resumed"], true);
  EXPECT_EQ(to_json(second)["conversation"]["continued_from_run"], first.run_id);
  EXPECT_TRUE(contains(format_job_summary(second), "continued conversation fake-thread-0 of run " + first.run_id));
  // The model saw the task in run 1: the resume prompt names what is missing, not the task again.
  EXPECT_FALSE(contains(factory.turns()[1].prompt, "Write docs/NOTES.md")) << factory.turns()[1].prompt;
  EXPECT_TRUE(contains(factory.turns()[1].prompt, "B")) << factory.turns()[1].prompt;
}

// A run killed outright (SIGKILL, reboot) has no result.json: it is unfinished too.
TEST_F(RunJobTest, AKilledRunIsContinued) {
  factory.push({.until_interrupted = true});
  std::stop_source stop;
  options.stop = stop.get_token();
  asio::steady_timer timer(io, std::chrono::milliseconds(20));
  timer.async_wait([&](boost::system::error_code) { stop.request_stop(); });
  const JobResult first = run(spec());
  std::filesystem::remove(first.ledger.parent_path() / "result.json");  // as if diary had been killed

  options.stop = {};
  factory.push_turn(write_files({{notes(), "A B"}}));
  const JobResult second = run(spec());
  EXPECT_EQ(second.status, RunStatus::complete) << second.reason;
  EXPECT_EQ(second.continued_from, first.run_id);
  // No turn of it completed: the task is restated.
  EXPECT_TRUE(contains(factory.turns()[1].prompt, "Write docs/NOTES.md")) << factory.turns()[1].prompt;
}

TEST_F(RunJobTest, FreshStartsANewConversation) {
  const std::string capped = "max_turns = 1\n[[artifact]]\npath = \"docs/NOTES.md\"\ncontains = [\"A\", \"B\"]\n";
  factory.push_turn(write_files({{notes(), "A"}}));
  run(spec(capped));
  options.fresh = true;
  factory.push_turn(write_files({{notes(), "A B"}}));
  const JobResult second = run(spec());
  EXPECT_EQ(second.status, RunStatus::complete);
  EXPECT_FALSE(factory.configs().at(1).resume_conversation);
  EXPECT_TRUE(second.continued_from.empty());
  EXPECT_EQ(second.conversation_id, "fake-thread-1");
}

// After a complete run there is nothing to continue, even when the artifacts were removed since.
TEST_F(RunJobTest, ACompleteRunEndsTheSearch) {
  factory.push_turn(write_files({{notes(), "A B"}}));
  run(spec());
  std::filesystem::remove(notes());
  factory.push_turn(write_files({{notes(), "A B"}}));
  run(spec());
  EXPECT_FALSE(factory.configs().at(1).resume_conversation);
}

// The backend lost the conversation (rollout deleted, another CODEX_HOME): a new one, a warning
// even with --quiet, and the fallback in the ledger.
TEST_F(RunJobTest, AConversationTheBackendLostFallsBackWithAWarning) {
  const std::string capped = "max_turns = 1\n[[artifact]]\npath = \"docs/NOTES.md\"\ncontains = [\"A\", \"B\"]\n";
  factory.push_turn(write_files({{notes(), "A"}}));
  run(spec(capped));
  test::FakeAgentSessionFactory other;  // a backend that never saw fake-thread-0
  options.quiet = true;
  progress.clear();
  other.push_turn(write_files({{notes(), "A B"}}));
  auto result = test::run_awaitable(io, run_job(spec(), other, options));
  ASSERT_TRUE(result);
  EXPECT_EQ(result->status, RunStatus::complete);
  EXPECT_TRUE(result->continued_from.empty());
  ASSERT_EQ(progress.size(), 1u);
  EXPECT_TRUE(contains(progress[0], "warning: could not continue the earlier conversation")) << progress[0];
  const auto lines = ledger_lines(result->ledger);
  EXPECT_EQ(events_named(lines, "conversation").at(0)["resumed"], false);
  EXPECT_TRUE(contains(events_named(lines, "conversation").at(0)["resume_failed"].get<std::string>(), "fake-thread-0"));
  EXPECT_EQ(other.turns().at(0).prompt, "Write docs/NOTES.md");
}

}  // namespace
}  // namespace diary::generate
