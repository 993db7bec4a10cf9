#include "generate/loop/resume_loop.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <gtest/gtest.h>

#include "support/fake_agent.h"
#include "support/scratch_dir.h"

namespace diary::generate {
namespace {

namespace asio = boost::asio;
using agent::ErrorKind;
using test::fake_completed;
using test::fake_failed;
using test::FakeAgentSessionFactory;
using test::write_files;
using test::FakeTurnScript;

bool contains(const std::string& haystack, const std::string& needle) { return haystack.find(needle) != std::string::npos; }

class ResumeLoopTest : public ::testing::Test {
 protected:
  test::ScratchDir dir;
  asio::io_context io;
  FakeAgentSessionFactory factory;
  ResumeLoopSpec spec;
  ResumeLoopOptions options{.initial_backoff = std::chrono::milliseconds(1), .max_backoff = std::chrono::milliseconds(4)};
  std::vector<std::pair<std::string, nlohmann::json>> decisions;
  std::vector<std::string> progress_lines;
  ResumeLoopHooks hooks;  // run() adds on_decision and on_progress

  ResumeLoopTest() {
    spec.targets.workdir = dir.path();
    spec.prompt = "Write docs/NOTES.md";
  }

  void add_artifact(std::string path, std::vector<std::string> contains = {}) {
    ArtifactSpec artifact;
    artifact.path = std::move(path);
    artifact.contains = std::move(contains);
    spec.targets.artifacts.push_back(std::move(artifact));
  }

  void set_output_schema(const char* schema) {
    spec.targets.output_schema = std::make_shared<const JsonSchema>(*JsonSchema::compile(nlohmann::json::parse(schema)));
  }

  LoopResult run() {
    hooks.on_decision = [this](std::string_view what, const nlohmann::json& details) {
      decisions.emplace_back(std::string(what), details);
    };
    hooks.on_progress = [this](const std::string& line) { progress_lines.push_back(line); };
    agent::AgentConfig config;
    config.working_directory = dir.path();
    return test::run_awaitable(io, run_resume_loop(factory, config, spec, hooks, options));
  }

  std::vector<nlohmann::json> decisions_named(const std::string& name) const {
    std::vector<nlohmann::json> out;
    for (const auto& [what, details] : decisions)
      if (what == name) out.push_back(details);
    return out;
  }

  std::filesystem::path notes() const { return dir / "docs" / "NOTES.md"; }
};

TEST_F(ResumeLoopTest, AlreadyCompleteRunsNoTurnAndStartsNoRunner) {
  add_artifact("docs/NOTES.md");
  test::write_file(notes(), "done");
  auto result = run();
  EXPECT_EQ(result.status, RunStatus::complete);
  EXPECT_TRUE(result.turns.empty());
  EXPECT_EQ(factory.runners_created(), 0);
  EXPECT_TRUE(factory.turns().empty());
  EXPECT_TRUE(result.last_check.complete());
}

TEST_F(ResumeLoopTest, FirstTurnCompletesTheWork) {
  add_artifact("docs/NOTES.md");
  factory.push_turn(write_files({{notes(), "notes"}}, fake_completed("written", test::fake_usage(10, 5))));
  auto result = run();
  EXPECT_EQ(result.status, RunStatus::complete);
  ASSERT_EQ(result.turns.size(), 1u);
  EXPECT_EQ(result.turns[0].kind, "first");
  EXPECT_EQ(result.turns[0].status, "completed");
  EXPECT_EQ(factory.turns()[0].prompt, "Write docs/NOTES.md");
  EXPECT_EQ(factory.turns()[0].options.timeout, spec.turn_timeout);
  EXPECT_EQ(result.final_message, "written");
  EXPECT_EQ(result.usage.input_tokens, 10);
  EXPECT_EQ(result.usage.output_tokens, 5);
  EXPECT_FALSE(result.error);
}

TEST_F(ResumeLoopTest, PartialThenCompleteOnTheSameRunner) {
  add_artifact("docs/NOTES.md", {"## Highlights", "## Fixes"});
  factory.push_turn(write_files({{notes(), "# Notes\n## Highlights\n"}}));
  factory.push_turn(write_files({{notes(), "# Notes\n## Highlights\n## Fixes\n"}}));
  auto result = run();
  EXPECT_EQ(result.status, RunStatus::complete);
  ASSERT_EQ(result.turns.size(), 2u);
  EXPECT_EQ(factory.runners_created(), 1);
  ASSERT_EQ(factory.turns().size(), 2u);
  EXPECT_EQ(factory.turns()[1].runner_index, 0u);
  EXPECT_EQ(result.turns[1].kind, "resume");
  const std::string& resume = factory.turns()[1].prompt;
  EXPECT_TRUE(contains(resume, "- docs/NOTES.md: missing substring \"## Fixes\"")) << resume;
  EXPECT_FALSE(contains(resume, "## Highlights\"")) << resume;
  EXPECT_FALSE(contains(resume, "The task:")) << "a completed turn saw the task already:\n" << resume;
  EXPECT_EQ(decisions_named("progress").size(), 1u);
}

TEST_F(ResumeLoopTest, ResumePromptNamesEachFailingCheckAndAppendsResumeText) {
  add_artifact("docs/NOTES.md", {"## Highlights"});
  ArtifactSpec regex_artifact;
  regex_artifact.path = "CHANGELOG.md";
  regex_artifact.min_bytes = 50;
  regex_artifact.matches = "^## v\\d+";
  regex_artifact.matches_regex = *compile_artifact_regex(*regex_artifact.matches);
  spec.targets.artifacts.push_back(regex_artifact);
  spec.resume_prompt = "Remember the style guide.";
  factory.push_turn(write_files({{dir / "CHANGELOG.md", "short"}}));
  factory.push_turn(write_files({{notes(), "## Highlights"}, {dir / "CHANGELOG.md", "## v1\n" + std::string(60, 'x')}}));
  auto result = run();
  EXPECT_EQ(result.status, RunStatus::complete);
  const std::string& resume = factory.turns().at(1).prompt;
  EXPECT_TRUE(contains(resume, "- docs/NOTES.md: missing file (required: at least 1 byte(s); contains \"## Highlights\")"))
      << resume;
  EXPECT_TRUE(contains(resume, "- CHANGELOG.md: too small: 5 byte(s), needs at least 50")) << resume;
  EXPECT_TRUE(contains(resume, "- CHANGELOG.md: no match for regex /^## v\\d+/")) << resume;
  EXPECT_TRUE(resume.ends_with("\n\nRemember the style guide.")) << resume;
}

TEST_F(ResumeLoopTest, NoProgressThreeTimesGivesUpWithTheLastError) {
  add_artifact("docs/NOTES.md");
  for (const char* message : {"first failure", "second failure", "third failure"})
    factory.push_turn(write_files({}, fake_failed({.kind = ErrorKind::turn_failed, .message = message})));
  auto result = run();
  EXPECT_EQ(result.status, RunStatus::failed);
  EXPECT_EQ(result.turns.size(), 3u);
  ASSERT_TRUE(result.error);
  EXPECT_EQ(result.error->message, "third failure");
  EXPECT_TRUE(contains(result.reason, "gave up after 3 consecutive turn(s) without progress")) << result.reason;
  EXPECT_EQ(factory.scripted_turns_left(), 0u);
  EXPECT_EQ(factory.unexpected_turns(), 0);
  // Backoff between no-progress attempts: doubling from 1ms, capped at 4ms; none after the last.
  auto backoffs = decisions_named("backoff");
  ASSERT_EQ(backoffs.size(), 2u);
  EXPECT_EQ(backoffs[0]["ms"], 1);
  EXPECT_EQ(backoffs[1]["ms"], 2);
}

TEST_F(ResumeLoopTest, SuccessfulTurnsWithoutProgressEndIncomplete) {
  add_artifact("docs/NOTES.md");
  spec.max_no_progress = 4;
  for (int i = 0; i < 4; ++i) factory.push_turn(write_files({}));
  auto result = run();
  EXPECT_EQ(result.status, RunStatus::incomplete);
  EXPECT_EQ(result.turns.size(), 4u);
  EXPECT_FALSE(result.error);
  auto backoffs = decisions_named("backoff");
  ASSERT_EQ(backoffs.size(), 3u);
  EXPECT_EQ(backoffs[2]["ms"], 4);  // 1, 2, 4 (cap)
  ASSERT_EQ(result.last_check.artifacts.artifacts.size(), 1u);
  EXPECT_FALSE(result.last_check.artifacts.artifacts[0].ok);
}

TEST_F(ResumeLoopTest, ProgressResetsTheCounterAndTheBackoff) {
  add_artifact("docs/NOTES.md", {"A", "B"});
  spec.max_no_progress = 2;
  factory.push_turn(write_files({}));                // no progress (1)
  factory.push_turn(write_files({{notes(), "A"}}));  // progress: counter back to 0
  factory.push_turn(write_files({}));                // no progress (1)
  factory.push_turn(write_files({}));                // no progress (2): give up
  auto result = run();
  EXPECT_EQ(result.status, RunStatus::incomplete);
  EXPECT_EQ(result.turns.size(), 4u);
  auto backoffs = decisions_named("backoff");
  ASSERT_EQ(backoffs.size(), 2u);
  EXPECT_EQ(backoffs[0]["ms"], 1);
  EXPECT_EQ(backoffs[1]["ms"], 1);  // reset by the progress in turn 2
}

TEST_F(ResumeLoopTest, MoreBytesCountAsProgress) {
  add_artifact("docs/NOTES.md", {"END"});
  spec.max_no_progress = 1;
  factory.push_turn(write_files({{notes(), "part one"}}));
  factory.push_turn(write_files({{notes(), "part one, part two"}}));
  factory.push_turn(write_files({{notes(), "part one, part two END"}}));
  auto result = run();
  EXPECT_EQ(result.status, RunStatus::complete);
  EXPECT_EQ(result.turns.size(), 3u);
}

TEST_F(ResumeLoopTest, TurnErrorsCountAsAttemptsAndArtifactsAreStillChecked) {
  add_artifact("docs/NOTES.md", {"A", "B"});
  // An error (e.g. the turn/start call timed out) after writing part of the work: progress counts.
  factory.push_turn(write_files({{notes(), "A"}}, agent::fail(ErrorKind::timeout, "turn/start was not answered")));
  // (Not ErrorKind::protocol: a backend that answers in a shape diary cannot read is blocked.)
  factory.push_turn(write_files({}, agent::fail(ErrorKind::turn_failed, "the turn failed")));
  factory.push_turn(write_files({{notes(), "A B"}}));
  auto result = run();
  EXPECT_EQ(result.status, RunStatus::complete);
  ASSERT_EQ(result.turns.size(), 3u);
  EXPECT_EQ(result.turns[0].status, "timeout");
  EXPECT_EQ(result.turns[1].status, "error");
  ASSERT_TRUE(result.turns[1].error);
  EXPECT_EQ(result.turns[1].error->kind, ErrorKind::turn_failed);
  EXPECT_EQ(decisions_named("progress").size(), 1u);
  EXPECT_EQ(decisions_named("no_progress").size(), 1u);
}

// 12.1: the backend died under a turn. The loop gets one new backend and resumes the same
// conversation there (no backoff, no turn that never reached codex); the job completes in this run.
TEST_F(ResumeLoopTest, DeadBackendContinuesTheConversationOnANewOne) {
  add_artifact("docs/NOTES.md", {"A", "B"});
  factory.push_turn(
      write_files({{notes(), "A"}}, agent::fail(ErrorKind::process_exited, "codex app-server exited (killed by signal 9)")));
  factory.push_turn(write_files({{notes(), "A B"}}));
  std::vector<std::pair<agent::ConversationStart, int>> conversations;
  hooks.on_conversation = [&](const agent::ConversationStart& start, int after_turn) {
    conversations.emplace_back(start, after_turn);
  };
  auto result = run();
  EXPECT_EQ(result.status, RunStatus::complete) << result.reason;
  ASSERT_EQ(result.turns.size(), 2u);
  EXPECT_EQ(result.turns[0].status, "error");
  ASSERT_EQ(factory.runners_created(), 2);
  ASSERT_TRUE(factory.configs()[1].resume_conversation);
  EXPECT_EQ(*factory.configs()[1].resume_conversation, "fake-thread-0");
  ASSERT_EQ(conversations.size(), 2u);
  EXPECT_FALSE(conversations[0].first.resumed);
  EXPECT_EQ(conversations[0].second, 0);
  EXPECT_TRUE(conversations[1].first.resumed);
  EXPECT_EQ(conversations[1].first.id, "fake-thread-0");
  EXPECT_EQ(conversations[1].second, 1);
  // Turn 1 died before it completed: the model may not have read the task, so it is restated.
  EXPECT_TRUE(contains(factory.turns()[1].prompt, spec.prompt)) << factory.turns()[1].prompt;
  ASSERT_EQ(decisions_named("backend_recovery").size(), 1u);
  EXPECT_EQ(decisions_named("backend_recovery")[0]["conversation"], "fake-thread-0");
  EXPECT_TRUE(decisions_named("backoff").empty());
}

// A second death in the same loop ends it at once with the cause: no endless restarts.
TEST_F(ResumeLoopTest, ASecondDeadBackendEndsTheLoopWithTheCause) {
  add_artifact("docs/NOTES.md", {"A", "B"});
  factory.push_turn(write_files({{notes(), "A"}}, agent::fail(ErrorKind::process_exited, "codex app-server exited")));
  factory.push_turn(write_files({}, agent::fail(ErrorKind::process_exited, "codex app-server exited (killed by signal 9)")));
  factory.push_turn(write_files({{notes(), "A B"}}));
  auto result = run();
  EXPECT_EQ(result.status, RunStatus::failed);
  ASSERT_EQ(result.turns.size(), 2u);
  ASSERT_TRUE(result.turns[1].error);
  EXPECT_EQ(result.turns[1].error->cause, agent::FailureCause::backend_exited);
  EXPECT_TRUE(contains(result.reason, "the agent backend exited")) << result.reason;
  EXPECT_TRUE(contains(result.reason, "signal 9")) << result.reason;
  EXPECT_EQ(factory.runners_created(), 2);
  EXPECT_EQ(factory.scripted_turns_left(), 1u);
}

// A new backend that cannot be started ends the loop with that cause.
TEST_F(ResumeLoopTest, ABackendThatCannotBeRestartedEndsTheLoop) {
  add_artifact("docs/NOTES.md");
  factory.push_turn([&](const std::string&, const agent::TurnOptions&) -> agent::Result<agent::AgentTurnResult> {
    factory.fail_create_runner({ErrorKind::blocked, "codex app-server could not be started: no codex"});
    return agent::fail(ErrorKind::process_exited, "codex app-server exited");
  });
  auto result = run();
  EXPECT_EQ(result.status, RunStatus::blocked);
  EXPECT_TRUE(contains(result.reason, "could not restart the agent")) << result.reason;
  EXPECT_EQ(result.turns.size(), 1u);
}

// 12.1: an earlier run's unfinished conversation continues: the first turn resumes it with a
// resume prompt from what is failing now (not the original prompt again when the model saw it).
TEST_F(ResumeLoopTest, AnUnfinishedConversationContinuesWithAResumePrompt) {
  add_artifact("docs/NOTES.md", {"A", "B"});
  test::write_file(notes(), "A");
  factory.add_conversation("thread-of-run-1");
  spec.continue_conversation = ContinuedConversation{.id = "thread-of-run-1", .earlier_turn_completed = true};
  factory.push_turn(write_files({{notes(), "A B"}}));
  std::vector<agent::ConversationStart> conversations;
  hooks.on_conversation = [&](const agent::ConversationStart& start, int) { conversations.push_back(start); };
  std::vector<TurnStart> starts;
  hooks.on_turn_start = [&](const TurnStart& start) { starts.push_back(start); };
  auto result = run();
  EXPECT_EQ(result.status, RunStatus::complete) << result.reason;
  ASSERT_EQ(factory.runners_created(), 1);
  ASSERT_TRUE(factory.configs()[0].resume_conversation);
  EXPECT_EQ(*factory.configs()[0].resume_conversation, "thread-of-run-1");
  ASSERT_EQ(conversations.size(), 1u);
  EXPECT_TRUE(conversations[0].resumed);
  EXPECT_EQ(conversations[0].id, "thread-of-run-1");
  ASSERT_EQ(starts.size(), 1u);
  EXPECT_EQ(starts[0].kind, "resume");
  const std::string& prompt = factory.turns()[0].prompt;
  EXPECT_TRUE(contains(prompt, "docs/NOTES.md")) << prompt;
  EXPECT_FALSE(contains(prompt, spec.prompt)) << prompt;
}

// ... and restates the task when no turn of that conversation completed (killed in turn 1).
TEST_F(ResumeLoopTest, AnUnfinishedConversationWithoutACompletedTurnRestatesTheTask) {
  add_artifact("docs/NOTES.md");
  factory.add_conversation("thread-of-run-1");
  spec.continue_conversation = ContinuedConversation{.id = "thread-of-run-1", .earlier_turn_completed = false};
  factory.push_turn(write_files({{notes(), "x"}}));
  auto result = run();
  EXPECT_EQ(result.status, RunStatus::complete) << result.reason;
  EXPECT_TRUE(contains(factory.turns()[0].prompt, spec.prompt)) << factory.turns()[0].prompt;
}

// A conversation the backend cannot resume (its rollout is gone): a new one with the original
// prompt, and a conversation_fallback decision naming the lost one.
TEST_F(ResumeLoopTest, AConversationThatCannotBeResumedFallsBackToANewOne) {
  add_artifact("docs/NOTES.md");
  spec.continue_conversation = ContinuedConversation{.id = "gone", .earlier_turn_completed = true};
  factory.push_turn(write_files({{notes(), "x"}}));
  std::vector<agent::ConversationStart> conversations;
  hooks.on_conversation = [&](const agent::ConversationStart& start, int) { conversations.push_back(start); };
  auto result = run();
  EXPECT_EQ(result.status, RunStatus::complete) << result.reason;
  ASSERT_EQ(conversations.size(), 1u);
  EXPECT_FALSE(conversations[0].resumed);
  ASSERT_TRUE(conversations[0].resume_failed);
  EXPECT_TRUE(contains(*conversations[0].resume_failed, "gone"));
  EXPECT_EQ(factory.turns()[0].prompt, spec.prompt);
  ASSERT_EQ(decisions_named("conversation_fallback").size(), 1u);
  EXPECT_EQ(decisions_named("conversation_fallback")[0]["conversation"], "gone");
}

// A backend that does not answer the start ends the loop before any turn, with the cause.
TEST_F(ResumeLoopTest, AConversationThatCannotBeStartedEndsTheLoop) {
  add_artifact("docs/NOTES.md");
  factory.fail_start_conversation({ErrorKind::timeout, "thread/start was not answered within 60s"});
  auto result = run();
  EXPECT_EQ(result.status, RunStatus::failed);
  EXPECT_TRUE(contains(result.reason, "thread/start was not answered")) << result.reason;
  EXPECT_TRUE(result.turns.empty());
}

// 11.2: an expired login is blocked (exit 3 for jobs), not retried.
TEST_F(ResumeLoopTest, ExpiredLoginIsBlockedAtOnce) {
  add_artifact("docs/NOTES.md");
  factory.push_turn(write_files(
      {},
      fake_failed({.kind = ErrorKind::turn_failed, .message = "401 Unauthorized", .cause = agent::FailureCause::unauthorized})));
  factory.push_turn(write_files({{notes(), "x"}}));
  auto result = run();
  EXPECT_EQ(result.status, RunStatus::blocked);
  EXPECT_EQ(result.turns.size(), 1u);
}

// 10.6: a model that only ever appends. The cap holds even with a generous no-progress limit,
// and by default growth alone stops counting after three turns.
TEST_F(ResumeLoopTest, AppendingForeverStopsAtMaxTurns) {
  add_artifact("docs/NOTES.md", {"never"});
  spec.max_no_progress = 100;
  spec.max_turns = 4;
  std::string text;
  for (int i = 0; i < 10; ++i) {
    text += "more ";
    factory.push_turn(write_files({{notes(), text}}));
  }
  auto result = run();
  EXPECT_EQ(result.status, RunStatus::incomplete);
  EXPECT_EQ(result.turns.size(), 4u);
  EXPECT_TRUE(contains(result.reason, "max_turns (4)")) << result.reason;
}

TEST_F(ResumeLoopTest, AppendingForeverGivesUpWhenGrowthAloneStopsCounting) {
  add_artifact("docs/NOTES.md", {"never"});
  std::string text;
  for (int i = 0; i < 30; ++i) {
    text += "more ";
    factory.push_turn(write_files({{notes(), text}}));
  }
  auto result = run();
  EXPECT_EQ(result.status, RunStatus::incomplete);
  EXPECT_EQ(result.turns.size(), 7u) << result.reason;  // creation + 3 growing + 3 without progress
  EXPECT_TRUE(contains(result.reason, "only grew")) << result.reason;
  const auto no_progress = decisions_named("no_progress");
  ASSERT_EQ(no_progress.size(), 3u);
  EXPECT_EQ(no_progress[0]["byte_only_turns"], 4);
}

// 11.1: a timed-out turn's usage counts towards the budget.
TEST_F(ResumeLoopTest, TimedOutTurnUsageCountsTowardsTheBudget) {
  add_artifact("docs/NOTES.md");
  spec.max_tokens = 100;
  agent::AgentTurnResult timed_out;
  timed_out.status = agent::TurnStatus::timed_out;
  timed_out.usage = test::fake_usage(80, 40);
  timed_out.error =
      agent::TurnError{.kind = ErrorKind::timeout, .message = "turn timed out after 1s", .cause = agent::FailureCause::timeout};
  factory.push_turn([timed_out](const std::string&, const agent::TurnOptions&) { return timed_out; });
  factory.push_turn(write_files({{notes(), "x"}}));
  auto result = run();
  EXPECT_EQ(result.status, RunStatus::budget_exceeded);
  ASSERT_EQ(result.turns.size(), 1u);
  EXPECT_EQ(result.turns[0].status, "timeout");
  EXPECT_EQ(tokens_used(result.turns[0].usage), 120);
}

TEST_F(ResumeLoopTest, TimeoutErrorsReCheckArtifacts) {
  add_artifact("docs/NOTES.md");
  // The agent wrote the file, then the turn ran past its timeout: the disk says done.
  factory.push_turn(write_files({{notes(), "done"}}, agent::fail(ErrorKind::timeout, "turn timed out after 10m")));
  auto result = run();
  EXPECT_EQ(result.status, RunStatus::complete);
  ASSERT_EQ(result.turns.size(), 1u);
  EXPECT_EQ(result.turns[0].status, "timeout");
}

TEST_F(ResumeLoopTest, RealTimeoutOfAHangingTurnCountsAndResumes) {
  add_artifact("docs/NOTES.md");
  spec.turn_timeout = std::chrono::milliseconds(5);
  factory.push({.until_interrupted = true});
  factory.push_turn(write_files({{notes(), "x"}}));
  auto result = run();
  EXPECT_EQ(result.status, RunStatus::complete);
  ASSERT_EQ(result.turns.size(), 2u);
  EXPECT_EQ(result.turns[0].status, "timeout");
  EXPECT_EQ(factory.turns()[1].options.timeout, std::chrono::milliseconds(5));
}

TEST_F(ResumeLoopTest, RepairTurnQuotesSchemaErrorsWithPaths) {
  set_output_schema(R"({"type":"object","required":["version","items"],
                        "properties":{"version":{"type":"integer"},"items":{"type":"array"}}})");
  factory.push_turn([](const std::string&, const agent::TurnOptions&) {
    return agent::Result<agent::AgentTurnResult>(fake_completed(R"({"version": "1.0", "items": []})"));
  });
  factory.push_turn([](const std::string&, const agent::TurnOptions&) {
    return agent::Result<agent::AgentTurnResult>(fake_completed(R"({"version": 1, "items": ["a"]})"));
  });
  auto result = run();
  EXPECT_EQ(result.status, RunStatus::complete);
  ASSERT_EQ(result.turns.size(), 2u);
  EXPECT_EQ(result.turns[1].kind, "repair");
  ASSERT_TRUE(factory.turns()[0].options.output_schema);
  EXPECT_EQ(*factory.turns()[0].options.output_schema, spec.targets.output_schema->document());
  const std::string& repair = factory.turns()[1].prompt;
  EXPECT_TRUE(contains(repair, "failed validation")) << repair;
  EXPECT_TRUE(contains(repair, "- $.version: ")) << repair;
  EXPECT_TRUE(contains(repair, "Reply again with only the corrected JSON.")) << repair;
  ASSERT_TRUE(result.structured_output);
  EXPECT_EQ(*result.structured_output, nlohmann::json::parse(R"({"version": 1, "items": ["a"]})"));
}

TEST_F(ResumeLoopTest, StructuredOutputFromTheRunnerIsValidatedToo) {
  set_output_schema(R"({"type":"object","required":["ok"]})");
  factory.push_turn([](const std::string&, const agent::TurnOptions&) {
    auto turn = fake_completed("ignored text");
    turn.structured_output = nlohmann::json{{"ok", true}};
    return agent::Result<agent::AgentTurnResult>(turn);
  });
  auto result = run();
  EXPECT_EQ(result.status, RunStatus::complete);
  EXPECT_EQ(result.structured_output, (nlohmann::json{{"ok", true}}));
}

TEST_F(ResumeLoopTest, OutputSchemaIsCheckedAlongsideArtifacts) {
  add_artifact("docs/NOTES.md");
  set_output_schema(R"({"type":"object","required":["summary"]})");
  factory.push_turn(write_files({{notes(), "x"}}, fake_completed("not json")));
  factory.push_turn(write_files({}, fake_completed(R"({"summary": "done"})")));
  auto result = run();
  EXPECT_EQ(result.status, RunStatus::complete);
  ASSERT_EQ(result.turns.size(), 2u);
  EXPECT_EQ(result.turns[1].kind, "repair");
  EXPECT_TRUE(contains(factory.turns()[1].prompt, "- $: not valid JSON")) << factory.turns()[1].prompt;
}

TEST_F(ResumeLoopTest, WorkWithoutArtifactsRunsOnceAndSucceedsWithTheTurn) {
  factory.push_turn(write_files({}, fake_completed("hello")));
  auto result = run();
  EXPECT_EQ(result.status, RunStatus::complete);
  EXPECT_EQ(result.turns.size(), 1u);
  EXPECT_EQ(factory.runners_created(), 1);
  EXPECT_EQ(result.final_message, "hello");
}

TEST_F(ResumeLoopTest, WorkWithoutArtifactsRetriesAFailedTurnRestatingTheTask) {
  factory.push_turn(write_files({}, fake_failed({.kind = ErrorKind::turn_failed, .message = "stream disconnected"})));
  factory.push_turn(write_files({}, fake_completed("hello")));
  auto result = run();
  EXPECT_EQ(result.status, RunStatus::complete);
  ASSERT_EQ(result.turns.size(), 2u);
  const std::string& resume = factory.turns()[1].prompt;
  EXPECT_TRUE(contains(resume, "- the turn failed: stream disconnected")) << resume;
  EXPECT_TRUE(contains(resume, "The task:\nWrite docs/NOTES.md")) << resume;
}

TEST_F(ResumeLoopTest, TokenBudgetStopsTheJob) {
  add_artifact("docs/NOTES.md");
  spec.max_tokens = 100;
  factory.push_turn(write_files({}, fake_completed("a", test::fake_usage(40, 20))));
  factory.push_turn(write_files({}, fake_completed("b", test::fake_usage(30, 20))));
  factory.push_turn(write_files({{notes(), "never"}}));
  auto result = run();
  EXPECT_EQ(result.status, RunStatus::budget_exceeded);
  EXPECT_EQ(result.turns.size(), 2u);
  EXPECT_EQ(tokens_used(result.usage), 110);
  EXPECT_TRUE(contains(result.reason, "110 of 100")) << result.reason;
}

TEST_F(ResumeLoopTest, CompletionWinsOverTheBudget) {
  add_artifact("docs/NOTES.md");
  spec.max_tokens = 10;
  factory.push_turn(write_files({{notes(), "x"}}, fake_completed("a", test::fake_usage(40, 20))));
  EXPECT_EQ(run().status, RunStatus::complete);
}

TEST_F(ResumeLoopTest, FallbackModelAfterARetryableFailure) {
  add_artifact("docs/NOTES.md", {"A", "B"});
  spec.fallback_model = "small-model";
  agent::TurnError overloaded{.kind = ErrorKind::turn_failed,
                              .message = "429 Too Many Requests",
                              .cause = agent::FailureCause::rate_limited,
                              .http_status = 429};
  factory.push_turn(write_files({}, fake_failed(overloaded)));
  factory.push_turn(write_files({{notes(), "A"}}));
  factory.push_turn(write_files({{notes(), "A B"}}));
  auto result = run();
  EXPECT_EQ(result.status, RunStatus::complete);
  ASSERT_EQ(factory.turns().size(), 3u);
  EXPECT_EQ(factory.turns()[0].options.model, std::nullopt);
  EXPECT_EQ(factory.turns()[1].options.model, "small-model");
  EXPECT_EQ(factory.turns()[2].options.model, "small-model");
  EXPECT_EQ(result.turns[1].model, "small-model");
  EXPECT_EQ(decisions_named("model_fallback").size(), 1u);
  EXPECT_TRUE(decisions_named("backoff").empty()) << "switching models needs no backoff";
  EXPECT_FALSE(result.error) << "a complete job carries no error; turn 1 keeps its own";
  EXPECT_TRUE(result.turns[0].error);
}

TEST_F(ResumeLoopTest, NonRetryableFailureKeepsTheModel) {
  add_artifact("docs/NOTES.md");
  spec.fallback_model = "small-model";
  factory.push_turn(write_files({}, fake_failed({.kind = ErrorKind::turn_failed, .message = "bad request"})));
  factory.push_turn(write_files({{notes(), "x"}}));
  auto result = run();
  EXPECT_EQ(result.status, RunStatus::complete);
  EXPECT_EQ(factory.turns()[1].options.model, std::nullopt);
}

TEST_F(ResumeLoopTest, BlockedRunnerCreation) {
  add_artifact("docs/NOTES.md");
  factory.fail_create_runner({ErrorKind::blocked, "codex not found"});
  auto result = run();
  EXPECT_EQ(result.status, RunStatus::blocked);
  EXPECT_TRUE(result.turns.empty());
  ASSERT_TRUE(result.error);
  EXPECT_EQ(result.error->message, "codex not found");
}

TEST_F(ResumeLoopTest, BlockedTurnStopsAtOnce) {
  add_artifact("docs/NOTES.md");
  factory.push_turn(write_files({}, fake_failed({.kind = ErrorKind::blocked, .message = "not logged in"})));
  auto result = run();
  EXPECT_EQ(result.status, RunStatus::blocked);
  EXPECT_EQ(result.turns.size(), 1u);
}

TEST_F(ResumeLoopTest, BrokenBackendFailsAtOnce) {
  add_artifact("docs/NOTES.md");
  factory.push_turn(write_files({}, agent::fail(ErrorKind::backend_broken, "interrupt not confirmed")));
  auto result = run();
  EXPECT_EQ(result.status, RunStatus::failed);
  EXPECT_EQ(result.turns.size(), 1u);
}

TEST_F(ResumeLoopTest, RejectedRequestFailsAtOnce) {
  add_artifact("docs/NOTES.md");
  factory.push_turn(write_files({}, agent::fail(ErrorKind::rpc, "Model provider `nope` not found (code -32600)")));
  auto result = run();
  EXPECT_EQ(result.status, RunStatus::failed);
  EXPECT_EQ(result.turns.size(), 1u);
  EXPECT_EQ(factory.scripted_turns_left(), 0u);
}

// codex answered in a shape diary cannot read: another turn cannot help, the job is blocked.
TEST_F(ResumeLoopTest, ProtocolMismatchIsBlockedAtOnce) {
  add_artifact("docs/NOTES.md");
  factory.push_turn(write_files(
      {}, agent::fail(ErrorKind::protocol, "codex answered turn/start with an unexpected shape: result: expected object")));
  factory.push_turn(write_files({}, agent::fail(ErrorKind::protocol, "again")));
  auto result = run();
  EXPECT_EQ(result.status, RunStatus::blocked);
  EXPECT_EQ(result.turns.size(), 1u);
  EXPECT_EQ(factory.scripted_turns_left(), 1u);
}

TEST_F(ResumeLoopTest, StopInterruptsTheRunningTurn) {
  add_artifact("docs/NOTES.md");
  factory.push({.until_interrupted = true});
  std::stop_source stop;
  options.stop = stop.get_token();
  asio::steady_timer timer(io, std::chrono::milliseconds(20));
  timer.async_wait([&](boost::system::error_code) { stop.request_stop(); });
  auto result = run();
  EXPECT_EQ(result.status, RunStatus::interrupted);
  ASSERT_EQ(result.turns.size(), 1u);
  EXPECT_EQ(result.turns[0].status, "interrupted");
  ASSERT_EQ(factory.runners().size(), 1u);
  EXPECT_EQ(factory.runners()[0]->interrupts(), 1);
}

TEST_F(ResumeLoopTest, StopCutsTheBackoffShort) {
  add_artifact("docs/NOTES.md");
  options.initial_backoff = std::chrono::seconds(30);
  factory.push_turn(write_files({}));
  factory.push_turn(write_files({}));
  std::stop_source stop;
  options.stop = stop.get_token();
  asio::steady_timer timer(io, std::chrono::milliseconds(20));
  timer.async_wait([&](boost::system::error_code) { stop.request_stop(); });
  const auto started = std::chrono::steady_clock::now();
  auto result = run();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  EXPECT_EQ(result.status, RunStatus::interrupted);
  EXPECT_EQ(result.turns.size(), 1u);
}

TEST_F(ResumeLoopTest, StopBeforeStartingRunsNothing) {
  add_artifact("docs/NOTES.md");
  std::stop_source stop;
  stop.request_stop();
  options.stop = stop.get_token();
  auto result = run();
  EXPECT_EQ(result.status, RunStatus::interrupted);
  EXPECT_EQ(factory.runners_created(), 0);
}

TEST_F(ResumeLoopTest, EventsReachTheHookWithTheTurnIndex) {
  add_artifact("docs/NOTES.md");
  factory.push_turn([this](const std::string&, const agent::TurnOptions& options) {
    options.on_event({agent::EventKind::command, "git status", {{"exit_code", 0}}});
    test::write_file(notes(), "x");
    return agent::Result<agent::AgentTurnResult>(fake_completed());
  });
  std::vector<std::pair<int, std::string>> events;
  ResumeLoopHooks hooks;
  hooks.on_event = [&](int turn, const agent::AgentTurnEvent& event) { events.emplace_back(turn, event.summary); };
  std::vector<int> checks;
  hooks.on_check = [&](int turn, const LoopCheck&) { checks.push_back(turn); };
  auto result = test::run_awaitable(io, run_resume_loop(factory, {}, spec, hooks, options));
  EXPECT_EQ(result.status, RunStatus::complete);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0], (std::pair<int, std::string>{1, "git status"}));
  EXPECT_EQ(checks, (std::vector<int>{0, 1}));
}

// A phase supplies its own completeness check and resume prompt (generate's evidence, project
// and daily passes); declared artifacts are then not needed, and fewer missing items is progress.
class WorkCheckLoopTest : public ResumeLoopTest {
 protected:
  std::vector<std::string> missing{"T0001", "T0002", "T0003"};
  std::vector<std::string> resume_inputs;

  WorkCheckLoopTest() {
    spec.targets.work = [this] { return missing; };
    spec.build_resume_prompt = [this](const LoopCheck& check) {
      std::string prompt = "still missing:";
      for (const auto& item : check.work_missing) prompt += " " + item;
      resume_inputs.push_back(prompt);
      return prompt;
    };
  }

  FakeTurnScript commits(int count) {
    return [this, count](const std::string&, const agent::TurnOptions&) {
      for (int i = 0; i < count && !missing.empty(); ++i) missing.erase(missing.begin());
      return agent::Result<agent::AgentTurnResult>(fake_completed());
    };
  }
};

TEST_F(WorkCheckLoopTest, CompleteOnDiskRunsNoTurnAndStartsNoRunner) {
  missing.clear();
  auto result = run();
  EXPECT_EQ(result.status, RunStatus::complete);
  EXPECT_EQ(factory.runners_created(), 0);
  EXPECT_TRUE(result.turns.empty());
}

TEST_F(WorkCheckLoopTest, FewerMissingItemsIsProgressAndThePhaseBuildsTheResumePrompt) {
  factory.push_turn(commits(1));
  factory.push_turn(commits(0));  // no progress: counted, backed off, resumed
  factory.push_turn(commits(2));
  auto result = run();
  EXPECT_EQ(result.status, RunStatus::complete);
  ASSERT_EQ(result.turns.size(), 3u);
  ASSERT_EQ(factory.turns().size(), 3u);
  EXPECT_EQ(factory.turns()[0].prompt, "Write docs/NOTES.md");
  EXPECT_EQ(factory.turns()[1].prompt, "still missing: T0002 T0003");
  EXPECT_EQ(factory.turns()[2].prompt, "still missing: T0002 T0003");
  EXPECT_EQ(factory.runners_created(), 1);  // one conversation throughout
}

TEST_F(WorkCheckLoopTest, ASuccessfulTurnThatLeavesWorkMissingIsNotComplete) {
  for (int i = 0; i < 3; ++i) factory.push_turn(commits(0));
  spec.max_no_progress = 3;
  auto result = run();
  EXPECT_EQ(result.status, RunStatus::incomplete);
  EXPECT_EQ(result.last_check.work_missing, missing);
  EXPECT_EQ(result.last_check.tally().failing_checks, 3);
}

TEST_F(WorkCheckLoopTest, TheModelTheBackendReportsIsKeptForTheReport) {
  factory.push_turn([this](const std::string&, const agent::TurnOptions&) {
    missing.clear();
    auto result = fake_completed();
    result.model = "gpt-backend-default";
    return agent::Result<agent::AgentTurnResult>(result);
  });
  auto result = run();
  EXPECT_EQ(result.status, RunStatus::complete);
  EXPECT_EQ(result.backend_model, "gpt-backend-default");
}

}  // namespace
}  // namespace diary::generate
