// The Codex adapter end to end when things go wrong: a model endpoint that never answers (turn
// timeout -> turn/interrupt -> clean timeout error, backend still usable) and an app-server
// killed mid-turn (every waiter fails at once with the exit status; the next runner gets a
// fresh backend). Real pinned codex, scripted mock model on loopback.
#include <gtest/gtest.h>

#include "codex/codex_agent_runner.h"
#include "e2e_support.h"

namespace diary::test {
namespace {

namespace asio = boost::asio;
using agent::AgentTurnResult;
using agent::ErrorKind;
using agent::Result;

class runner_failure_e2e : public CodexE2eTest {};

struct TimedTurn {
  Result<AgentTurnResult> result;
  std::chrono::milliseconds elapsed{0};
  Clock::time_point finished;
};

asio::awaitable<TimedTurn> timed_turn(agent::AgentRunner& runner, std::string prompt, agent::TurnOptions options) {
  TimedTurn out;
  const auto started = Clock::now();
  out.result = co_await runner.turn(prompt, options);
  out.finished = Clock::now();
  out.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(out.finished - started);
  co_return out;
}

struct TimeoutRun {
  TimedTurn hung;
  bool backend_unusable = false;
  TimedTurn same_runner_after;
  TimedTurn new_runner_after;
  std::size_t backends_started = 0;
};

TEST_F(runner_failure_e2e, HangingModelTimesOutIsInterruptedAndTheBackendStaysUsable) {
  constexpr auto turn_timeout = 3s;
  const auto options = factory_options();
  const auto conversation = config();
  auto outcome = run_coro<TimeoutRun>(
      [&](asio::any_io_executor executor) -> asio::awaitable<TimeoutRun> {
        TimeoutRun out;
        auto factory = codex::make_codex_session_factory(executor, options);
        auto runner = co_await factory->create_runner(conversation);
        if (!runner) {
          out.hung.result = std::unexpected(runner.error());
          co_return out;
        }
        agent::TurnOptions hang_options;
        hang_options.timeout = turn_timeout;
        const std::string hang = "HANG";
        out.hung = co_await timed_turn(**runner, hang, hang_options);
        auto* codex_runner = dynamic_cast<codex::CodexAgentRunner*>(runner->get());
        out.backend_unusable = codex_runner == nullptr || codex_runner->backend()->unusable().has_value();

        agent::TurnOptions normal;
        normal.timeout = 60s;
        const std::string same_prompt = "ANSWER: same runner still works";
        out.same_runner_after = co_await timed_turn(**runner, same_prompt, normal);
        auto fresh = co_await factory->create_runner(conversation);
        const std::string fresh_prompt = "ANSWER: new runner works";
        if (fresh) out.new_runner_after = co_await timed_turn(**fresh, fresh_prompt, normal);
        else out.new_runner_after.result = std::unexpected(fresh.error());
        out.backends_started = factory->backends_started();
        co_await factory->shutdown();
        co_return out;
      },
      90s);

  // A timed-out turn is a result that keeps what the turn had: its id, its status, the error.
  ASSERT_TRUE(outcome.hung.result) << outcome.hung.result.error();
  EXPECT_EQ(outcome.hung.result->status, agent::TurnStatus::timed_out);
  EXPECT_FALSE(outcome.hung.result->turn_id.empty());
  ASSERT_TRUE(outcome.hung.result->error);
  EXPECT_EQ(outcome.hung.result->error->kind, ErrorKind::timeout);
  EXPECT_EQ(outcome.hung.result->error->cause, agent::FailureCause::timeout);
  EXPECT_NE(outcome.hung.result->error->message.find("interrupted"), std::string::npos) << outcome.hung.result->error->message;
  EXPECT_GE(outcome.hung.elapsed, turn_timeout);
  EXPECT_LT(outcome.hung.elapsed, turn_timeout + 3s) << "the interrupt was not confirmed promptly";
  // Not marked broken: codex confirmed the interrupt (turn/completed interrupted) in time.
  EXPECT_FALSE(outcome.backend_unusable);

  ASSERT_TRUE(outcome.same_runner_after.result) << outcome.same_runner_after.result.error();
  EXPECT_TRUE(outcome.same_runner_after.result->ok());
  EXPECT_EQ(outcome.same_runner_after.result->assistant_text, "same runner still works");
  ASSERT_TRUE(outcome.new_runner_after.result) << outcome.new_runner_after.result.error();
  EXPECT_TRUE(outcome.new_runner_after.result->ok());
  EXPECT_EQ(outcome.new_runner_after.result->assistant_text, "new runner works");
  EXPECT_EQ(outcome.backends_started, 1u);

  // The hung request, then one per later turn: the interrupted turn was not retried.
  const auto requests = model_.requests();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].last_user_text(), "HANG");
  RecordProperty("timeout_turn_ms", std::to_string(outcome.hung.elapsed.count()));
}

// A turn that times out while codex runs a long shell command. Measured with codex 0.169.0:
// turn/interrupt ends the turn at once but NOT the command (exec_command processes live on in
// the app-server until they finish), so a timed-out turn may still change the workdir later.
// What diary guarantees is that shutting the backend down stops it.
TEST_F(runner_failure_e2e, TimeoutDuringAShellCommandAndShutdownStopsTheCommand) {
  const auto options = factory_options();
  const auto conversation = config();
  const std::string marker = "CODEX_HOME=" + env_.codex_home().string();  // codex passes it on
  auto sleeping = [marker] {
    for (const auto& process : processes_with_env(marker))
      if (process.comm == "sleep") return true;
    return false;
  };
  struct Outcome {
    TimedTurn turn;
    bool command_ran = false;
    bool running_after_interrupt = false;
    bool running_after_shutdown = true;
  };
  auto outcome = run_coro<Outcome>(
      [&](asio::any_io_executor executor) -> asio::awaitable<Outcome> {
        Outcome out;
        auto factory = codex::make_codex_session_factory(executor, options);
        auto runner = co_await factory->create_runner(conversation);
        if (!runner) {
          out.turn.result = std::unexpected(runner.error());
          co_return out;
        }
        std::vector<std::function<asio::awaitable<TimedTurn>()>> tasks;
        agent::TurnOptions turn_options;
        turn_options.timeout = 3s;
        const std::string prompt = "RUN: sleep 41\nANSWER: too late";
        tasks.push_back([&]() { return timed_turn(**runner, prompt, turn_options); });
        tasks.push_back([&]() -> asio::awaitable<TimedTurn> {
          const std::function<bool()> ran = sleeping;
          out.command_ran = co_await co_poll_until(ran, 3s);
          co_return TimedTurn{};
        });
        auto finished = co_await join_all(std::move(tasks));
        out.turn = std::move(finished[0]);
        out.running_after_interrupt = sleeping();
        co_await factory->shutdown();
        const std::function<bool()> stopped = [&] { return !sleeping(); };  // it may take a moment
        out.running_after_shutdown = !co_await co_poll_until(stopped, 3s);
        co_return out;
      },
      60s);

  EXPECT_TRUE(outcome.command_ran);
  // The timed-out turn keeps the usage of the model request that asked for the command (the mock
  // reports 120 input and 30 output tokens per response).
  ASSERT_TRUE(outcome.turn.result) << outcome.turn.result.error();
  EXPECT_EQ(outcome.turn.result->status, agent::TurnStatus::timed_out);
  EXPECT_EQ(outcome.turn.result->usage.input_tokens, 120) << ::testing::PrintToString(*outcome.turn.result);
  EXPECT_EQ(outcome.turn.result->usage.output_tokens, 30) << ::testing::PrintToString(*outcome.turn.result);
  EXPECT_LT(outcome.turn.elapsed, 6s);
  EXPECT_FALSE(outcome.running_after_shutdown) << "the command outlived the backend's shutdown";
  RecordProperty("command_outlived_interrupt", outcome.running_after_interrupt ? "yes" : "no");
}

struct KillRun {
  std::vector<TimedTurn> waiters;
  Clock::time_point killed_at;
  int old_pid = -1;
  std::string start_failure;
  TimedTurn dead_runner_again;
  TimedTurn replacement;
  int new_pid = -1;
  std::size_t backends_started = 0;
};

TEST_F(runner_failure_e2e, KilledAppServerFailsEveryWaiterAtOnceAndIsReplaced) {
  constexpr int waiters = 2;
  const auto options = factory_options();
  const auto conversation = config();
  auto outcome = run_coro<KillRun>(
      [&](asio::any_io_executor executor) -> asio::awaitable<KillRun> {
        KillRun out;
        auto factory = codex::make_codex_session_factory(executor, options);
        std::vector<std::shared_ptr<agent::AgentRunner>> runners;
        for (int i = 0; i < waiters; ++i) {
          auto runner = co_await factory->create_runner(conversation);
          if (!runner) {
            out.start_failure = runner.error().message;
            co_return out;
          }
          runners.push_back(*runner);
        }
        auto backend = std::dynamic_pointer_cast<codex::CodexAgentRunner>(runners[0])->backend();
        out.old_pid = backend->info().pid;

        agent::TurnOptions hang_options;
        hang_options.timeout = 60s;
        const std::string hang = "HANG";
        std::vector<std::function<asio::awaitable<TimedTurn>()>> tasks;
        for (int i = 0; i < waiters; ++i)
          tasks.push_back([&runners, &hang, &hang_options, i]() { return timed_turn(*runners[i], hang, hang_options); });
        // A third task kills the app-server once both turns reached the model.
        tasks.push_back([&]() -> asio::awaitable<TimedTurn> {
          TimedTurn none;
          const std::function<bool()> reached = [&] { return model_.request_count() >= waiters; };
          const bool both_hanging = co_await co_poll_until(reached, 30s);
          if (!both_hanging) ADD_FAILURE() << "the turns never reached the model";
          out.killed_at = Clock::now();
          backend->kill_for_test();
          co_return none;
        });
        auto finished = co_await join_all(std::move(tasks));
        finished.pop_back();
        out.waiters = std::move(finished);

        agent::TurnOptions normal;
        normal.timeout = 60s;
        const std::string unreachable = "ANSWER: unreachable";
        out.dead_runner_again = co_await timed_turn(*runners[0], unreachable, normal);
        auto fresh = co_await factory->create_runner(conversation);
        const std::string again = "ANSWER: back again";
        if (fresh) {
          out.replacement = co_await timed_turn(**fresh, again, normal);
          out.new_pid = std::dynamic_pointer_cast<codex::CodexAgentRunner>(*fresh)->backend()->info().pid;
        } else {
          out.replacement.result = std::unexpected(fresh.error());
        }
        out.backends_started = factory->backends_started();
        co_await factory->shutdown();
        co_return out;
      },
      120s);

  ASSERT_TRUE(outcome.start_failure.empty()) << outcome.start_failure;
  ASSERT_EQ(outcome.waiters.size(), static_cast<std::size_t>(waiters));
  for (const auto& waiter : outcome.waiters) {
    ASSERT_FALSE(waiter.result) << ::testing::PrintToString(*waiter.result);
    EXPECT_EQ(waiter.result.error().kind, ErrorKind::process_exited) << waiter.result.error();
    EXPECT_NE(waiter.result.error().message.find("killed by signal 9"), std::string::npos) << waiter.result.error();
    const auto latency = std::chrono::duration_cast<std::chrono::milliseconds>(waiter.finished - outcome.killed_at);
    EXPECT_LT(latency, 2s) << "a waiter learned of the death only after " << latency.count() << " ms";
    RecordProperty("death_latency_ms", std::to_string(latency.count()));
  }
  EXPECT_TRUE(process_group_gone(outcome.old_pid)) << "old app-server group " << outcome.old_pid;

  // A runner of the dead backend fails fast instead of hanging.
  ASSERT_FALSE(outcome.dead_runner_again.result);
  EXPECT_EQ(outcome.dead_runner_again.result.error().kind, ErrorKind::process_exited);
  EXPECT_LT(outcome.dead_runner_again.elapsed, 1s);

  // The next create_runner starts a fresh app-server, which works.
  EXPECT_EQ(outcome.backends_started, 2u);
  EXPECT_NE(outcome.new_pid, outcome.old_pid);
  EXPECT_EQ(log_->backend_pids.size(), 2u);
  ASSERT_TRUE(outcome.replacement.result) << outcome.replacement.result.error();
  EXPECT_TRUE(outcome.replacement.result->ok());
  EXPECT_EQ(outcome.replacement.result->assistant_text, "back again");
}

}  // namespace
}  // namespace diary::test
