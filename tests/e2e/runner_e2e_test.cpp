// The Codex adapter end to end on its happy paths: the real pinned `codex app-server`, driven
// through CodexAgentSessionFactory/CodexAgentRunner, against the scripted mock model on
// loopback. A shell command writes a file, a conversation spans two turns, an output schema
// yields structured output, four runners share one backend in parallel.
#include <algorithm>
#include <mutex>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "codex/codex_agent_runner.h"
#include "e2e_support.h"
#include "support/mock_model/directives.h"

namespace diary::test {
namespace {

namespace asio = boost::asio;
namespace fs = std::filesystem;
using agent::AgentTurnResult;
using agent::EventKind;
using agent::Result;
using nlohmann::json;

class runner_e2e : public CodexE2eTest {};

struct SingleTurn {
  Result<AgentTurnResult> result;
  std::string conversation_id;
  std::vector<agent::AgentTurnEvent> streamed;  // what on_event saw, in order
  std::vector<pid_t> live_codex_pids;           // processes with our CODEX_HOME before shutdown
};

std::vector<agent::AgentTurnEvent> events_of(const AgentTurnResult& result, EventKind kind) {
  std::vector<agent::AgentTurnEvent> out;
  for (const auto& event : result.events)
    if (event.kind == kind) out.push_back(event);
  return out;
}

TEST_F(runner_e2e, ShellCommandWritesAFileAndTheTurnAnswers) {
  const auto options = factory_options();
  const auto conversation = config();
  auto outcome = run_coro<SingleTurn>(
      [&](asio::any_io_executor executor) -> asio::awaitable<SingleTurn> {
        SingleTurn out;
        auto factory = codex::make_codex_session_factory(executor, options);
        auto runner = co_await factory->create_runner(conversation);
        if (!runner) {
          out.result = std::unexpected(runner.error());
          co_return out;
        }
        agent::TurnOptions turn_options;
        turn_options.timeout = 60s;
        turn_options.on_event = [&out](const agent::AgentTurnEvent& event) { out.streamed.push_back(event); };
        const std::string prompt = "RUN: printf 'hello from codex\\n' > hello.txt\nANSWER: wrote hello.txt";
        out.result = co_await (*runner)->turn(prompt, turn_options);
        out.conversation_id = (*runner)->conversation_id();
        // The leak probe of TearDown must see the app-server while it runs, or it proves nothing.
        for (const auto& process : processes_with_env("CODEX_HOME=" + env_.codex_home().string()))
          out.live_codex_pids.push_back(process.pid);
        co_await factory->shutdown();
        co_return out;
      },
      90s);

  ASSERT_EQ(log_->backend_pids.size(), 1u);
  EXPECT_NE(std::find(outcome.live_codex_pids.begin(), outcome.live_codex_pids.end(), log_->backend_pids[0]),
            outcome.live_codex_pids.end());
  ASSERT_TRUE(outcome.result) << outcome.result.error();
  const AgentTurnResult& result = *outcome.result;
  EXPECT_TRUE(result.ok()) << ::testing::PrintToString(result);
  EXPECT_EQ(result.status, agent::TurnStatus::completed);
  EXPECT_EQ(result.assistant_text, "wrote hello.txt");
  EXPECT_FALSE(result.turn_id.empty());
  EXPECT_FALSE(result.structured_output);

  // The command really ran, inside codex's sandbox, in our workdir.
  ASSERT_TRUE(fs::exists(env_.workdir() / "hello.txt"));
  EXPECT_EQ(read_file(env_.workdir() / "hello.txt"), "hello from codex\n");

  const auto commands = events_of(result, EventKind::command);
  ASSERT_EQ(commands.size(), 1u) << ::testing::PrintToString(result);
  EXPECT_EQ(commands[0].metadata["exit_code"], 0) << commands[0].metadata.dump();
  EXPECT_NE(commands[0].metadata["command"].get<std::string>().find("hello.txt"), std::string::npos);
  EXPECT_EQ(commands[0].metadata["status"], "completed");
  EXPECT_EQ(fs::path(commands[0].metadata["cwd"].get<std::string>()), env_.workdir());
  ASSERT_FALSE(events_of(result, EventKind::agent_message).empty());
  EXPECT_EQ(outcome.streamed, result.events);  // streamed as they completed, nothing lost

  EXPECT_GT(result.usage.total_tokens, 0);
  EXPECT_GT(result.usage.input_tokens, 0);
  EXPECT_GT(result.usage.output_tokens, 0);
  EXPECT_GT(result.duration.count(), 0);

  // Two model calls: the tool call, then the answer after codex sent the command's output.
  const auto requests = model_.requests();
  ASSERT_EQ(requests.size(), 2u);
  ASSERT_EQ(requests[1].function_outputs_since_last_user().size(), 1u);
  EXPECT_NE(requests[1].function_outputs_since_last_user()[0].find("Process exited with code 0"), std::string::npos);
  EXPECT_FALSE(outcome.conversation_id.empty());
  EXPECT_EQ(requests[0].prompt_cache_key(), outcome.conversation_id);
  EXPECT_TRUE(log_->warnings.empty()) << log_->warnings.front();
  RecordProperty("turn_ms", std::to_string(result.duration.count()));
}

struct TwoTurns {
  Result<AgentTurnResult> first;
  Result<AgentTurnResult> second;
  std::string id_after_first;
  std::string id_after_second;
};

TEST_F(runner_e2e, SecondTurnContinuesTheConversation) {
  const auto options = factory_options();
  const auto conversation = config();
  const std::string first_prompt = "Remember this.\nANSWER: the secret word is walnut";
  const std::string second_prompt = "What was the word?\nANSWER: it was walnut";
  auto outcome = run_coro<TwoTurns>(
      [&](asio::any_io_executor executor) -> asio::awaitable<TwoTurns> {
        TwoTurns out;
        auto factory = codex::make_codex_session_factory(executor, options);
        auto runner = co_await factory->create_runner(conversation);
        if (!runner) {
          out.first = std::unexpected(runner.error());
          co_return out;
        }
        agent::TurnOptions turn_options;
        turn_options.timeout = 60s;
        out.first = co_await (*runner)->turn(first_prompt, turn_options);
        out.id_after_first = (*runner)->conversation_id();
        out.second = co_await (*runner)->turn(second_prompt, turn_options);
        out.id_after_second = (*runner)->conversation_id();
        co_await factory->shutdown();
        co_return out;
      },
      90s);

  ASSERT_TRUE(outcome.first) << outcome.first.error();
  ASSERT_TRUE(outcome.second) << outcome.second.error();
  EXPECT_TRUE(outcome.first->ok());
  EXPECT_TRUE(outcome.second->ok());
  EXPECT_EQ(outcome.first->assistant_text, "the secret word is walnut");
  EXPECT_EQ(outcome.second->assistant_text, "it was walnut");
  EXPECT_NE(outcome.first->turn_id, outcome.second->turn_id);
  EXPECT_FALSE(outcome.id_after_first.empty());
  EXPECT_EQ(outcome.id_after_first, outcome.id_after_second);

  const auto requests = model_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].last_user_text(), first_prompt);
  EXPECT_EQ(requests[1].last_user_text(), second_prompt);
  // The second request carries the whole first exchange: same thread, history kept.
  const std::string history = requests[1].body["input"].dump();
  EXPECT_NE(history.find(json(first_prompt).dump()), std::string::npos) << history;
  EXPECT_NE(history.find("the secret word is walnut\""), std::string::npos) << history;
  EXPECT_EQ(requests[0].body["input"].dump().find("it was walnut"), std::string::npos);
  EXPECT_EQ(requests[0].prompt_cache_key(), outcome.id_after_first);
  EXPECT_EQ(requests[1].prompt_cache_key(), outcome.id_after_first);
}

TEST_F(runner_e2e, OutputSchemaGivesStructuredOutput) {
  const auto options = factory_options();
  const auto conversation = config();
  const json schema = {{"type", "object"},
                       {"properties", {{"n", {{"type", "integer"}}}, {"word", {{"type", "string"}}}}},
                       {"required", {"n", "word"}},
                       {"additionalProperties", false}};
  auto outcome = run_coro<SingleTurn>(
      [&](asio::any_io_executor executor) -> asio::awaitable<SingleTurn> {
        SingleTurn out;
        auto factory = codex::make_codex_session_factory(executor, options);
        auto runner = co_await factory->create_runner(conversation);
        if (!runner) {
          out.result = std::unexpected(runner.error());
          co_return out;
        }
        agent::TurnOptions turn_options;
        turn_options.timeout = 60s;
        turn_options.output_schema = schema;
        const std::string prompt = "ANSWER_JSON: {\"n\": 7, \"word\": \"seven\"}";
        out.result = co_await (*runner)->turn(prompt, turn_options);
        co_await factory->shutdown();
        co_return out;
      },
      90s);

  ASSERT_TRUE(outcome.result) << outcome.result.error();
  EXPECT_TRUE(outcome.result->ok()) << ::testing::PrintToString(*outcome.result);
  ASSERT_TRUE(outcome.result->structured_output);
  EXPECT_EQ(*outcome.result->structured_output, (json{{"n", 7}, {"word", "seven"}}));

  ASSERT_EQ(model_.request_count(), 1u);
  const auto request = model_.requests()[0];
  ASSERT_TRUE(request.has_output_schema());
  EXPECT_EQ(request.body["text"]["format"]["type"], "json_schema");
  EXPECT_EQ(request.body["text"]["format"]["strict"], true);
  EXPECT_EQ(request.body["text"]["format"]["schema"], schema);
}

TEST_F(runner_e2e, NonJsonAnswerUnderASchemaIsInvalidOutput) {
  const auto options = factory_options();
  const auto conversation = config();
  auto outcome = run_coro<SingleTurn>(
      [&](asio::any_io_executor executor) -> asio::awaitable<SingleTurn> {
        SingleTurn out;
        auto factory = codex::make_codex_session_factory(executor, options);
        auto runner = co_await factory->create_runner(conversation);
        if (!runner) {
          out.result = std::unexpected(runner.error());
          co_return out;
        }
        agent::TurnOptions turn_options;
        turn_options.timeout = 60s;
        turn_options.output_schema = json{{"type", "object"}};
        const std::string prompt = "ANSWER: this is not json";
        out.result = co_await (*runner)->turn(prompt, turn_options);
        co_await factory->shutdown();
        co_return out;
      },
      90s);

  ASSERT_TRUE(outcome.result) << outcome.result.error();
  EXPECT_EQ(outcome.result->status, agent::TurnStatus::completed);
  EXPECT_EQ(outcome.result->assistant_text, "this is not json");
  EXPECT_FALSE(outcome.result->structured_output);
  ASSERT_TRUE(outcome.result->error);
  EXPECT_EQ(outcome.result->error->kind, agent::ErrorKind::invalid_output);
  EXPECT_FALSE(outcome.result->ok());
}

struct ParallelRun {
  std::vector<Result<AgentTurnResult>> results;
  std::vector<std::string> conversation_ids;
  std::size_t backends_started = 0;
  std::chrono::milliseconds wall{0};
};

TEST_F(runner_e2e, FourRunnersShareOneBackendInParallel) {
  constexpr int runners = 4;
  // The first model call of each turn is held back; if all four arrive within that delay, the
  // four turns were in flight at the same time (not merely fast one after the other).
  constexpr auto hold = 2500ms;
  std::mutex mutex;
  std::vector<Clock::time_point> first_calls;
  model_.set_handler([&](const ModelRequest& request) -> std::optional<Reply> {
    if (!request.function_outputs_since_last_user().empty()) return std::nullopt;
    {
      std::lock_guard lock(mutex);
      first_calls.push_back(Clock::now());
    }
    return reply_from_directives(request).after(hold);
  });

  const auto options = factory_options();
  const auto conversation = config();
  auto outcome = run_coro<ParallelRun>(
      [&](asio::any_io_executor executor) -> asio::awaitable<ParallelRun> {
        ParallelRun out;
        auto factory = codex::make_codex_session_factory(executor, options);
        using Turn = std::pair<Result<AgentTurnResult>, std::string>;
        std::vector<std::function<asio::awaitable<Turn>()>> tasks;
        for (int i = 0; i < runners; ++i) {
          tasks.push_back([&factory, &conversation, i]() -> asio::awaitable<Turn> {
            Turn turn;
            auto runner = co_await factory->create_runner(conversation);
            if (!runner) {
              turn.first = std::unexpected(runner.error());
              co_return turn;
            }
            agent::TurnOptions turn_options;
            turn_options.timeout = 60s;
            const std::string prompt = "RUN: echo runner-" + std::to_string(i) + " > out-" + std::to_string(i) +
                                       ".txt\nANSWER: runner " + std::to_string(i) + " done";
            turn.first = co_await (*runner)->turn(prompt, turn_options);
            turn.second = (*runner)->conversation_id();
            co_return turn;
          });
        }
        const auto started = Clock::now();
        auto turns = co_await join_all(std::move(tasks));
        out.wall = since(started);
        for (auto& [result, id] : turns) {
          out.results.push_back(std::move(result));
          out.conversation_ids.push_back(std::move(id));
        }
        out.backends_started = factory->backends_started();
        co_await factory->shutdown();
        co_return out;
      },
      120s);

  EXPECT_EQ(outcome.backends_started, 1u);
  EXPECT_EQ(log_->backend_pids.size(), 1u);
  ASSERT_EQ(outcome.results.size(), static_cast<std::size_t>(runners));
  std::set<std::string> ids;
  for (int i = 0; i < runners; ++i) {
    const auto& result = outcome.results[i];
    ASSERT_TRUE(result) << "runner " << i << ": " << result.error();
    EXPECT_TRUE(result->ok()) << ::testing::PrintToString(*result);
    EXPECT_EQ(result->assistant_text, "runner " + std::to_string(i) + " done");
    const fs::path file = env_.workdir() / ("out-" + std::to_string(i) + ".txt");
    ASSERT_TRUE(fs::exists(file)) << file;
    EXPECT_EQ(read_file(file), "runner-" + std::to_string(i) + "\n");
    ids.insert(outcome.conversation_ids[i]);
  }
  EXPECT_EQ(ids.size(), static_cast<std::size_t>(runners)) << "each runner owns its own thread";
  EXPECT_EQ(model_.request_count(), 2u * runners);

  std::lock_guard lock(mutex);
  ASSERT_EQ(first_calls.size(), static_cast<std::size_t>(runners));
  const auto spread = std::chrono::duration_cast<std::chrono::milliseconds>(
      *std::max_element(first_calls.begin(), first_calls.end()) - *std::min_element(first_calls.begin(), first_calls.end()));
  EXPECT_LT(spread, hold) << "the four turns did not overlap";
  // Serially this would take at least 4 x 2.5 s; in parallel about one hold plus overhead.
  EXPECT_LT(outcome.wall, 4 * hold) << "wall time " << outcome.wall.count() << " ms";
  RecordProperty("wall_ms", std::to_string(outcome.wall.count()));
  RecordProperty("first_call_spread_ms", std::to_string(spread.count()));
}

// Regression: the factory used to read the codex version with `codex --version` in diary's own
// environment, and codex creates $CODEX_HOME/tmp/arg0-linux even for --version, so a run whose
// backend had its own CODEX_HOME still wrote to the user's ~/.codex. The version now comes from
// the handshake's userAgent.
TEST_F(runner_e2e, VersionProbeUsesTheBackendsCodexHome) {
  const fs::path fake_home = scratch_ / "user-home";
  fs::create_directories(fake_home);
  const std::string saved_home = std::getenv("HOME") ? std::getenv("HOME") : "";
  const std::string saved_codex_home = std::getenv("CODEX_HOME") ? std::getenv("CODEX_HOME") : "";
  ::setenv("HOME", fake_home.c_str(), 1);
  ::unsetenv("CODEX_HOME");  // as for a user who never set it
  const auto options = factory_options();
  const auto conversation = config();
  const bool started = run_coro<bool>(
      [&](asio::any_io_executor executor) -> asio::awaitable<bool> {
        auto factory = codex::make_codex_session_factory(executor, options);
        auto runner = co_await factory->create_runner(conversation);
        co_await factory->shutdown();
        co_return runner.has_value();
      },
      60s);
  ::setenv("HOME", saved_home.c_str(), 1);
  ::setenv("CODEX_HOME", saved_codex_home.c_str(), 1);
  EXPECT_TRUE(started);
  EXPECT_FALSE(fs::exists(fake_home / ".codex")) << "codex wrote into the user's ~/.codex";
}

}  // namespace
}  // namespace diary::test
