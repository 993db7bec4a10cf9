// CodexBackend + CodexAgentRunner + session factory against the scripted fake app-server
// (tests/support/fake_app_server/README.md is the contract for the directives used here).
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <signal.h>

#include "codex/codex_session_factory.h"
#include "support/async_test.h"
#include "support/scratch_dir.h"

using namespace diary;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using agent::ErrorKind;
using agent::Result;
using agent::AgentTurnResult;
using test::run_coro;

namespace {

codex::CodexFactoryOptions fake_options(const std::string& mode = "normal", const std::string& log = "") {
  codex::CodexFactoryOptions options;
  options.codex_binary = DIARY_FAKE_APP_SERVER;
  options.backend.env["FAKE_APP_SERVER_MODE"] = mode;
  if (!log.empty()) options.backend.env["FAKE_APP_SERVER_LOG"] = log;
  options.handshake_timeout = 5s;
  options.runner_timeouts.interrupt_grace = 1s;
  options.runner_timeouts.interrupt_call = 1s;
  return options;
}

agent::TurnOptions within(std::chrono::milliseconds timeout) {
  agent::TurnOptions options;
  options.timeout = timeout;
  return options;
}

// One turn on a fresh runner of a fresh factory; shuts everything down afterwards.
Result<AgentTurnResult> one_turn(const std::string& prompt, agent::TurnOptions options = within(10s),
                                 codex::CodexFactoryOptions factory_options = fake_options(), agent::AgentConfig config = {}) {
  return run_coro<Result<AgentTurnResult>>([&](asio::any_io_executor ex) -> asio::awaitable<Result<AgentTurnResult>> {
    auto factory = codex::make_codex_session_factory(ex, factory_options);
    auto runner = co_await factory->create_runner(config);
    if (!runner) co_return std::unexpected(runner.error());
    auto result = co_await (*runner)->turn(prompt, options);
    co_await factory->shutdown();
    co_return result;
  });
}

bool process_alive(int pid) { return pid > 0 && ::kill(pid, 0) == 0; }

}  // namespace

TEST(CodexRunner, CompletesATurnWithFinalAnswerEventsAndUsage) {
  std::vector<agent::AgentTurnEvent> streamed;
  agent::TurnOptions options = within(10s);
  options.on_event = [&](const agent::AgentTurnEvent& event) { streamed.push_back(event); };
  auto result = one_turn("hello world", options);
  ASSERT_TRUE(result) << result.error();
  EXPECT_TRUE(result->ok());
  EXPECT_EQ(result->assistant_text, "echo: hello world");
  EXPECT_FALSE(result->turn_id.empty());
  EXPECT_EQ(result->usage.total_tokens, 1234);
  EXPECT_EQ(result->usage.input_tokens, 1200);
  ASSERT_FALSE(result->events.empty());
  EXPECT_EQ(result->events.back().kind, agent::EventKind::agent_message);
  EXPECT_EQ(streamed, result->events);
}

TEST(CodexRunner, SecondTurnContinuesTheSameThread) {
  auto texts = run_coro<std::vector<std::string>>([&](asio::any_io_executor ex) -> asio::awaitable<std::vector<std::string>> {
    auto factory = codex::make_codex_session_factory(ex, fake_options());
    const agent::AgentConfig config;
    auto runner = co_await factory->create_runner(config);
    std::vector<std::string> out;
    const std::string first = "first", second = "second";
    auto a = co_await (*runner)->turn(first, within(10s));
    const std::string thread = (*runner)->conversation_id();
    auto b = co_await (*runner)->turn(second, within(10s));
    out.push_back(a ? a->assistant_text : a.error().message);
    out.push_back(b ? b->assistant_text : b.error().message);
    out.push_back(thread == (*runner)->conversation_id() ? "same thread" : "different thread");
    co_await factory->shutdown();
    co_return out;
  });
  EXPECT_EQ(texts, (std::vector<std::string>{"echo: first", "echo: second | history: first", "same thread"}));
}

TEST(CodexRunner, OutputSchemaParsesTheFinalMessage) {
  agent::TurnOptions options = within(10s);
  options.output_schema = nlohmann::json{{"type", "object"}};
  auto result = one_turn("structured please", options);
  ASSERT_TRUE(result) << result.error();
  ASSERT_TRUE(result->structured_output);
  EXPECT_EQ((*result->structured_output)["echo"], "structured please");

  auto bad = one_turn("BADJSON", options);
  ASSERT_TRUE(bad) << bad.error();
  ASSERT_TRUE(bad->error);
  EXPECT_EQ(bad->error->kind, ErrorKind::invalid_output);
  EXPECT_FALSE(bad->structured_output);
  EXPECT_EQ(bad->assistant_text, "this is not json");
}

TEST(CodexRunner, PicksTheFinalAnswerByPhase) {
  auto two = one_turn("TWO_MESSAGES x");
  ASSERT_TRUE(two) << two.error();
  EXPECT_EQ(two->assistant_text, "echo: TWO_MESSAGES x");
  auto nophase = one_turn("NOPHASE y");
  ASSERT_TRUE(nophase) << nophase.error();
  EXPECT_EQ(nophase->assistant_text, "echo: NOPHASE y");
}

TEST(CodexRunner, SurvivesGarbageUnknownNotificationsEarlyAndStaleEvents) {
  for (std::string prompt : {"GARBAGE a", "NOTIFY_UNKNOWN b", "EARLY c", "STALE d", "FAIL_RETRY e"}) {
    auto result = one_turn(prompt);
    ASSERT_TRUE(result) << prompt << ": " << result.error();
    EXPECT_TRUE(result->ok()) << prompt;
    EXPECT_EQ(result->assistant_text, "echo: " + prompt);
    EXPECT_EQ(result->turn_id.rfind("turn_", 0), 0u) << prompt;
    EXPECT_NE(result->turn_id, "turn_stale") << prompt;  // settled on its own completion
  }
}

TEST(CodexRunner, FailedTurnCarriesARetryableProviderError) {
  auto result = one_turn("FAIL");
  ASSERT_TRUE(result) << result.error();
  EXPECT_EQ(result->status, agent::TurnStatus::failed);
  ASSERT_TRUE(result->error);
  EXPECT_EQ(result->error->http_status, 429);
  EXPECT_EQ(result->error->cause, agent::FailureCause::rate_limited);
  EXPECT_TRUE(result->error->retryable());
  EXPECT_NE(result->error->message.find("upstream 429"), std::string::npos);
}

TEST(CodexRunner, OverloadedTurnStartIsRetried) {
  auto result = one_turn("OVERLOAD:2 busy");
  ASSERT_TRUE(result) << result.error();
  EXPECT_TRUE(result->ok());
}

TEST(CodexRunner, RejectsAConcurrentTurnOnTheSameRunner) {
  auto kinds = run_coro<std::vector<std::string>>([&](asio::any_io_executor ex) -> asio::awaitable<std::vector<std::string>> {
    auto factory = codex::make_codex_session_factory(ex, fake_options());
    const agent::AgentConfig config;
    auto runner = *(co_await factory->create_runner(config));
    std::vector<std::string> out;
    asio::co_spawn(
        ex,
        [&, runner]() -> asio::awaitable<void> {
          const std::string slow = "SLEEP_MS:300 slow";
          auto r = co_await runner->turn(slow, within(10s));
          out.push_back(r ? "first ok" : "first failed");
        },
        asio::detached);
    co_await test::sleep_for(50ms);
    const std::string second = "second";
    auto busy = co_await runner->turn(second, within(10s));
    out.push_back(busy ? "second ran" : std::string(agent::to_string(busy.error().kind)));
    while (out.size() < 2) co_await test::sleep_for(10ms);
    auto third = co_await runner->turn(second, within(10s));  // allowed again once idle
    out.push_back(third ? "third ok" : "third failed");
    co_await factory->shutdown();
    co_return out;
  });
  EXPECT_EQ(kinds, (std::vector<std::string>{"busy", "first ok", "third ok"}));
}

TEST(CodexRunner, TimeoutInterruptsTheTurnAndTheBackendStaysUsable) {
  test::ScratchDir dir;
  const auto log = (dir / "fake.log").string();
  auto outcome = run_coro<std::vector<std::string>>([&](asio::any_io_executor ex) -> asio::awaitable<std::vector<std::string>> {
    auto factory = codex::make_codex_session_factory(ex, fake_options("normal", log));
    const agent::AgentConfig config;
    auto runner = *(co_await factory->create_runner(config));
    const auto started = std::chrono::steady_clock::now();
    const std::string hang = "HANG";
    auto timed_out = co_await runner->turn(hang, within(300ms));
    const auto elapsed = std::chrono::steady_clock::now() - started;
    std::vector<std::string> out;
    out.push_back(timed_out ? std::string(agent::to_string(timed_out->status)) : timed_out.error().message);
    out.push_back(elapsed < 2s ? "prompt" : "slow");
    const std::string after = "after";
    auto next = co_await runner->turn(after, within(10s));
    out.push_back(next ? next->assistant_text.substr(0, 11) : next.error().message);
    co_await factory->shutdown();
    co_return out;
  });
  EXPECT_EQ(outcome, (std::vector<std::string>{"timeout", "prompt", "echo: after"}));
  EXPECT_NE(test::read_file(log).find("turn/interrupt"), std::string::npos);
}

// 11.1: what a turn did before its timeout counts: its tool item, the tokens of the model
// request that asked for it, its turn id.
TEST(CodexRunner, TimedOutTurnKeepsItsEventsUsageAndTurnId) {
  auto result = one_turn("BIGLINE:100 SLEEP_MS:20000", within(500ms));
  ASSERT_TRUE(result) << result.error();
  EXPECT_EQ(result->status, agent::TurnStatus::timed_out);
  ASSERT_TRUE(result->error);
  EXPECT_EQ(result->error->kind, ErrorKind::timeout);
  EXPECT_EQ(result->error->cause, agent::FailureCause::timeout);
  EXPECT_EQ(result->turn_id.rfind("turn_", 0), 0u) << result->turn_id;
  EXPECT_EQ(result->usage.input_tokens, 1200);
  EXPECT_EQ(result->usage.output_tokens, 34);
  bool saw_command = false;
  for (const auto& event : result->events) saw_command = saw_command || event.kind == agent::EventKind::command;
  EXPECT_TRUE(saw_command) << ::testing::PrintToString(*result);
  EXPECT_LT(result->duration, 5s);
}

// One thread/tokenUsage/updated per model request: a turn with a tool item makes two, and the
// turn's usage is their sum.
TEST(CodexRunner, UsageIsSummedOverTheModelRequestsOfATurn) {
  auto result = one_turn("BIGLINE:10 two requests");
  ASSERT_TRUE(result) << result.error();
  EXPECT_TRUE(result->ok());
  EXPECT_EQ(result->usage.input_tokens, 2400);
  EXPECT_EQ(result->usage.cached_input_tokens, 400);
  EXPECT_EQ(result->usage.output_tokens, 68);
  EXPECT_EQ(result->usage.total_tokens, 2468);
}

// 10.5: the first create_runner starts the app-server, the second waits for that start; the
// start fails on a wrongly shaped initialize answer. Both fail at once with its error.
TEST(CodexSessionFactory, WaitersOfAFailedStartFailFastWithItsError) {
  auto outcome = run_coro<std::vector<std::string>>(
      [&](asio::any_io_executor ex) -> asio::awaitable<std::vector<std::string>> {
        auto factory = codex::make_codex_session_factory(ex, fake_options("initialize-not-object"));
        auto out = std::make_shared<std::vector<std::string>>();
        auto record = [out](const Result<std::shared_ptr<agent::AgentRunner>>& created) {
          out->push_back(created ? "started?"
                                 : std::string(agent::to_string(created.error().kind)) + ": " + created.error().message);
        };
        asio::co_spawn(
            ex,
            [factory, record]() -> asio::awaitable<void> {
              const agent::AgentConfig config;
              auto created = co_await factory->create_runner(config);
              record(created);
            },
            asio::detached);
        const agent::AgentConfig config;
        auto second = co_await factory->create_runner(config);
        record(second);
        const auto deadline = std::chrono::steady_clock::now() + 5s;
        while (out->size() < 2 && std::chrono::steady_clock::now() < deadline) co_await test::sleep_for(10ms);
        out->push_back(std::to_string(factory->backends_started()));
        co_await factory->shutdown();
        co_return *out;
      },
      20s);
  ASSERT_EQ(outcome.size(), 3u) << "a waiter never woke";
  EXPECT_EQ(outcome[0], outcome[1]) << "both fail with the one start's error";
  EXPECT_EQ(outcome[0].rfind("blocked: ", 0), 0u) << outcome[0];
  EXPECT_EQ(outcome[2], "0");
}

// A turn whose interrupt codex never confirms gets the app-server killed: the other runner's
// running turn ends at once (not at its own 30 s timeout) with process_exited naming why, which
// the resume loop recovers from (a new app-server, the thread resumed); a later call fails fast
// the same way, and a new runner gets a fresh backend.
TEST(CodexRunner, UnconfirmedInterruptKillsTheBackendAndEndsEveryTurnOnIt) {
  auto outcome = run_coro<std::vector<std::string>>([&](asio::any_io_executor ex) -> asio::awaitable<std::vector<std::string>> {
    auto factory = codex::make_codex_session_factory(ex, fake_options());
    const agent::AgentConfig config;
    auto runner = *(co_await factory->create_runner(config));
    auto other = *(co_await factory->create_runner(config));
    const int pid = std::static_pointer_cast<codex::CodexAgentRunner>(runner)->backend()->info().pid;
    auto other_turn = std::make_shared<std::optional<agent::Result<agent::AgentTurnResult>>>();
    asio::co_spawn(
        ex,
        [other, other_turn]() -> asio::awaitable<void> {
          const std::string hang = "HANG";
          const agent::TurnOptions options = within(30s);  // GCC 12: no temporaries in co_await
          *other_turn = co_await other->turn(hang, options);
        },
        asio::detached);
    co_await test::sleep_for(50ms);
    const std::string hang = "HANG_NO_INTERRUPT";
    auto timed_out = co_await runner->turn(hang, within(200ms));
    const auto killed = std::chrono::steady_clock::now();
    std::vector<std::string> out;
    out.push_back(timed_out ? std::string(agent::to_string(timed_out->status)) : timed_out.error().message);
    while (!other_turn->has_value() && std::chrono::steady_clock::now() - killed < 5s) co_await test::sleep_for(10ms);
    out.push_back(std::chrono::steady_clock::now() - killed < 1s ? "other ended at once" : "other still running");
    if (other_turn->has_value() && !**other_turn) {
      const agent::Error& error = (*other_turn)->error();
      out.push_back(std::string(agent::to_string(error.kind)));
      out.push_back(error.message.find("killed because turn ") != std::string::npos ? "says why" : error.message);
    }
    out.push_back(process_alive(pid) ? "alive" : "gone");
    const std::string after = "after";
    const auto started = std::chrono::steady_clock::now();
    auto refused = co_await runner->turn(after, within(10s));
    out.push_back(refused ? "ran" : std::string(agent::to_string(refused.error().kind)));
    out.push_back(std::chrono::steady_clock::now() - started < 100ms ? "fast" : "slow");
    auto fresh = *(co_await factory->create_runner(config));
    auto ok = co_await fresh->turn(after, within(10s));
    out.push_back(ok ? "fresh ok" : ok.error().message);
    out.push_back(std::to_string(factory->backends_started()));
    co_await factory->shutdown();
    co_return out;
  });
  EXPECT_EQ(outcome, (std::vector<std::string>{"timeout", "other ended at once", "process_exited", "says why", "gone",
                                               "process_exited", "fast", "fresh ok", "2"}));
}

TEST(CodexRunner, ChildDeathFailsEveryWaiterAtOnceWithExitStatusAndStderr) {
  auto outcome = run_coro<std::vector<std::string>>([&](asio::any_io_executor ex) -> asio::awaitable<std::vector<std::string>> {
    auto factory = codex::make_codex_session_factory(ex, fake_options());
    const agent::AgentConfig config;
    auto hanging = *(co_await factory->create_runner(config));
    auto crashing = *(co_await factory->create_runner(config));
    std::vector<std::string> out;
    const auto started = std::chrono::steady_clock::now();
    asio::co_spawn(
        ex,
        [&, hanging]() -> asio::awaitable<void> {
          const std::string hang = "HANG";
          auto r = co_await hanging->turn(hang, within(30s));
          out.push_back(r ? "hang finished?" : r.error().message);
        },
        asio::detached);
    co_await test::sleep_for(50ms);
    const std::string crash = "CRASH";
    auto r = co_await crashing->turn(crash, within(30s));
    out.push_back(r ? "crash finished?" : r.error().message);
    while (out.size() < 2 && std::chrono::steady_clock::now() - started < 5s) co_await test::sleep_for(10ms);
    out.push_back(std::chrono::steady_clock::now() - started < 2s ? "within 2s" : "too slow");
    co_await factory->shutdown();
    co_return out;
  });
  ASSERT_EQ(outcome.size(), 3u);
  for (int i = 0; i < 2; ++i) {
    EXPECT_NE(outcome[i].find("exit status 101"), std::string::npos) << outcome[i];
    EXPECT_NE(outcome[i].find("panic: simulated crash"), std::string::npos) << outcome[i];
  }
  EXPECT_EQ(outcome[2], "within 2s");
}

TEST(CodexRunner, ApprovalsGoThroughThePerRunnerHandlerAndDefaultToDecline) {
  agent::AgentConfig accepting;
  std::vector<std::string> asked;
  accepting.approval_handler = [&](const agent::ApprovalRequest& request) {
    asked.push_back(request.command);
    return agent::ApprovalDecision::accept;
  };
  auto accepted = one_turn("APPROVAL", within(10s), fake_options(), accepting);
  ASSERT_TRUE(accepted) << accepted.error();
  EXPECT_EQ(accepted->assistant_text, "decision: accept");
  ASSERT_EQ(asked.size(), 1u);
  EXPECT_NE(asked[0].find("rm -rf /tmp/x"), std::string::npos);
  bool logged = false;
  for (const auto& event : accepted->events)
    if (event.kind == agent::EventKind::approval && event.metadata["decision"] == "accept") logged = true;
  EXPECT_TRUE(logged);

  auto declined = one_turn("APPROVAL FILE_APPROVAL");
  ASSERT_TRUE(declined) << declined.error();
  EXPECT_EQ(declined->assistant_text, "decision: decline\ndecision: decline");

  auto unknown = one_turn("UNKNOWN_REQUEST");
  ASSERT_TRUE(unknown) << unknown.error();
  EXPECT_EQ(unknown->assistant_text, "reply: error -32601");
}

TEST(CodexRunner, HandlesFloodsAndHugeLines) {
  auto flood = one_turn("FLOOD:20000 f");
  ASSERT_TRUE(flood) << flood.error();
  EXPECT_TRUE(flood->ok());
  auto big = one_turn("BIGLINE:67108864 b", within(test::scaled_deadline(30s)));
  ASSERT_TRUE(big) << big.error();
  bool saw = false;
  for (const auto& event : big->events)
    if (event.kind == agent::EventKind::command) {
      saw = true;
      EXPECT_EQ(event.metadata["output_bytes"], 67108864);
    }
  EXPECT_TRUE(saw);
}

TEST(CodexBackend, StartupFailuresAreBlockedWithTheReason) {
  auto immediate = one_turn("x", within(5s), fake_options("exit-immediately"));
  ASSERT_FALSE(immediate);
  EXPECT_EQ(immediate.error().kind, ErrorKind::blocked);
  EXPECT_NE(immediate.error().message.find("fatal: boom"), std::string::npos) << immediate.error().message;

  auto options = fake_options("no-handshake");
  options.handshake_timeout = 300ms;
  auto silent = one_turn("x", within(5s), options);
  ASSERT_FALSE(silent);
  EXPECT_EQ(silent.error().kind, ErrorKind::blocked);

  auto missing = fake_options();
  missing.codex_binary = "/nonexistent/codex";
  auto absent = one_turn("x", within(5s), missing);
  ASSERT_FALSE(absent);
  EXPECT_EQ(absent.error().kind, ErrorKind::blocked);
}

TEST(CodexBackend, DrainsAFloodOfStderr) {
  auto result = one_turn("still works", within(20s), fake_options("stderr-flood"));
  ASSERT_TRUE(result) << result.error();
  EXPECT_EQ(result->assistant_text, "echo: still works");
}

TEST(CodexSessionFactory, SharesOneBackendPerConfigAndSeparatesOthers) {
  auto outcome = run_coro<std::vector<std::string>>([&](asio::any_io_executor ex) -> asio::awaitable<std::vector<std::string>> {
    auto factory = codex::make_codex_session_factory(ex, fake_options());
    agent::AgentConfig plain;
    agent::AgentConfig other;
    other.backend.config_overrides = {"model=\"x\""};
    other.backend.binary = DIARY_FAKE_APP_SERVER;
    std::vector<std::shared_ptr<agent::AgentRunner>> runners;
    for (int i = 0; i < 4; ++i) runners.push_back(*(co_await factory->create_runner(plain)));
    runners.push_back(*(co_await factory->create_runner(other)));
    int finished = 0;
    std::vector<std::string> out(runners.size());
    for (std::size_t i = 0; i < runners.size(); ++i)
      asio::co_spawn(
          ex,
          [&, i]() -> asio::awaitable<void> {
            const std::string prompt = "SLEEP_MS:100 r" + std::to_string(i);
            auto r = co_await runners[i]->turn(prompt, within(10s));
            out[i] = r ? r->assistant_text : r.error().message;
            ++finished;
          },
          asio::detached);
    while (finished < static_cast<int>(runners.size())) co_await test::sleep_for(10ms);
    out.push_back("backends=" + std::to_string(factory->backends_started()));
    co_await factory->shutdown();
    co_return out;
  });
  EXPECT_EQ(outcome, (std::vector<std::string>{"echo: SLEEP_MS:100 r0", "echo: SLEEP_MS:100 r1", "echo: SLEEP_MS:100 r2",
                                               "echo: SLEEP_MS:100 r3", "echo: SLEEP_MS:100 r4", "backends=2"}));
}

TEST(CodexSessionFactory, ShutdownLeavesNoProcessBehind) {
  int pid = run_coro<int>([&](asio::any_io_executor ex) -> asio::awaitable<int> {
    auto factory = codex::make_codex_session_factory(ex, fake_options());
    const agent::AgentBackendOptions defaults;
    auto backend = co_await factory->backend_for(defaults);
    int pid = (*backend)->info().pid;
    co_await factory->shutdown();
    co_return pid;
  });
  EXPECT_GT(pid, 0);
  EXPECT_FALSE(process_alive(pid));
}

TEST(CodexRunner, FileChangeApprovalsNameTheFilesOfTheirItem) {
  agent::AgentConfig config;
  std::vector<std::string> paths;
  config.approval_handler = [&](const agent::ApprovalRequest& request) {
    for (const auto& path : request.paths) paths.push_back(path.filename().string());
    return request.kind == agent::ApprovalKind::file_change ? agent::ApprovalDecision::accept : agent::ApprovalDecision::decline;
  };
  auto result = one_turn("FILE_APPROVAL", within(10s), fake_options(), config);
  ASSERT_TRUE(result) << result.error();
  EXPECT_EQ(result->assistant_text, "decision: accept");
  EXPECT_EQ(paths, (std::vector<std::string>{"fake-approval.txt"}));
}

TEST(CodexSessionFactory, ASecondShutdownWaitsForTheFirst) {
  auto outcome = run_coro<std::vector<std::string>>([&](asio::any_io_executor ex) -> asio::awaitable<std::vector<std::string>> {
    auto factory = codex::make_codex_session_factory(ex, fake_options());
    const agent::AgentConfig config;
    auto runner = *(co_await factory->create_runner(config));
    auto backend = std::static_pointer_cast<codex::CodexAgentRunner>(runner)->backend();
    const int pid = backend->info().pid;
    // A turn that ignores the interrupt keeps the first shutdown busy (idle grace, then signals).
    const std::string hang = "HANG_NO_INTERRUPT";
    asio::co_spawn(
        ex, [runner, hang]() -> asio::awaitable<void> { co_await runner->turn(hang, within(30s)); }, asio::detached);
    co_await test::sleep_for(50ms);
    asio::co_spawn(ex, factory->shutdown(), asio::detached);  // e.g. the SIGINT handler
    co_await test::sleep_for(20ms);
    co_await factory->shutdown();  // the command's own shutdown must not return early
    std::vector<std::string> out;
    out.push_back(process_alive(pid) ? "alive" : "gone");
    out.push_back(backend->unusable() ? std::string(agent::to_string(backend->unusable()->kind)) : "usable");
    co_return out;
  });
  EXPECT_EQ(outcome, (std::vector<std::string>{"gone", "process_exited"}));
}

// Wrong-typed notifications (fake directive BAD_NOTIFY) are skipped: the reader goes on, the
// turn completes with its real answer and only the well-formed usage update counts.
TEST(CodexRunner, WrongTypedNotificationsAreSkippedAndTheTurnCompletes) {
  const auto started = std::chrono::steady_clock::now();
  auto result = one_turn("hi BAD_NOTIFY", within(10s));
  ASSERT_TRUE(result) << result.error();
  EXPECT_TRUE(result->ok());
  EXPECT_EQ(result->assistant_text, "echo: hi BAD_NOTIFY");
  EXPECT_EQ(result->usage.total_tokens, 1234);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
}

TEST(CodexRunner, AMalformedTurnCompletedFailsTheTurnWithAProtocolError) {
  const auto started = std::chrono::steady_clock::now();
  auto result = one_turn("hi BAD_COMPLETED", within(20s));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::protocol);
  EXPECT_NE(result.error().message.find("params.turn.status: expected string"), std::string::npos) << result.error();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
}

TEST(CodexRunner, WrongShapedAnswersFailTheirRequestWithTheJsonPath) {
  for (const std::string method : {"thread/start", "turn/start"}) {
    auto result = one_turn("hello", within(10s), fake_options("wrong-result:" + method));
    ASSERT_FALSE(result) << method;
    EXPECT_EQ(result.error().kind, ErrorKind::protocol) << method;
    EXPECT_EQ(result.error().message, "codex answered " + method + " with an unexpected shape: result: expected object");
  }
  auto handshake = one_turn("hello", within(10s), fake_options("wrong-result:initialize"));
  ASSERT_FALSE(handshake);
  EXPECT_EQ(handshake.error().kind, ErrorKind::blocked);
  EXPECT_NE(handshake.error().message.find("initialize with an unexpected shape: result: expected object"), std::string::npos)
      << handshake.error();
}

// An approval request of the wrong shape is answered -32602 (fail closed: nothing is approved)
// and the turn goes on.
TEST(CodexRunner, AMalformedApprovalRequestIsRefusedWithInvalidParams) {
  agent::AgentConfig config;
  bool asked = false;
  config.approval_handler = [&](const agent::ApprovalRequest&) {
    asked = true;
    return agent::ApprovalDecision::accept;
  };
  auto result = one_turn("BAD_APPROVAL", within(10s), fake_options(), config);
  ASSERT_TRUE(result) << result.error();
  EXPECT_EQ(result->assistant_text, "decision: error -32602");
  EXPECT_FALSE(asked);
}

// A stop keeps its bound even when codex never honours the interrupt: turn/interrupt is sent
// again and again, and after stop_bound the turn ends as cancelled (backend marked broken).
TEST(CodexRunner, AnInterruptCodexIgnoresIsResentAndTheTurnEndsWithinTheStopBound) {
  test::ScratchDir dir;
  const auto log = (dir / "fake.log").string();
  auto options = fake_options("normal", log);
  options.runner_timeouts.stop_bound = 800ms;
  options.runner_timeouts.interrupt_resend = 100ms;
  auto outcome = run_coro<std::vector<std::string>>([&](asio::any_io_executor ex) -> asio::awaitable<std::vector<std::string>> {
    auto factory = codex::make_codex_session_factory(ex, options);
    const agent::AgentConfig config;
    auto runner = *(co_await factory->create_runner(config));
    auto ended = std::make_shared<std::optional<Result<AgentTurnResult>>>();
    const std::string hang = "HANG_NO_INTERRUPT";
    asio::co_spawn(
        ex,
        [runner, hang, ended]() -> asio::awaitable<void> {
          const agent::TurnOptions options = within(30s);  // GCC 12: no temporaries in co_await
          *ended = co_await runner->turn(hang, options);
        },
        asio::detached);
    co_await test::sleep_for(100ms);
    const auto stopped = std::chrono::steady_clock::now();
    co_await runner->interrupt();
    for (int i = 0; i < 100 && !ended->has_value(); ++i) co_await test::sleep_for(10ms);
    const auto took = std::chrono::steady_clock::now() - stopped;
    std::vector<std::string> out;
    out.push_back(!ended->has_value() ? "still running"
                  : **ended           ? "completed"
                                      : std::string(agent::to_string((*ended)->error().kind)));
    out.push_back(took < 1500ms ? "bounded" : "slow");
    const auto& broken = static_cast<codex::CodexAgentRunner&>(*runner).backend()->unusable();
    out.push_back(broken ? std::string(agent::to_string(broken->kind)) : "usable");
    co_await factory->shutdown();
    co_return out;
  });
  EXPECT_EQ(outcome, (std::vector<std::string>{"cancelled", "bounded", "process_exited"}));
  const std::string sent = test::read_file(log);
  std::size_t interrupts = 0;
  for (auto at = sent.find("turn/interrupt"); at != std::string::npos; at = sent.find("turn/interrupt", at + 1)) ++interrupts;
  EXPECT_GE(interrupts, 3u) << "the interrupt was not re-sent";
}
