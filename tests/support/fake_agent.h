// A scripted stand-in for the agent port: FakeAgentSessionFactory hands out FakeAgentRunners
// whose turns are taken, in order, from one queue of scripts shared by all runners; everything
// received (configs, prompts, options) is recorded for assertions. Single-threaded: use it on
// one io_context, like the real port. run_awaitable() drives a coroutine with a deadline.
#pragma once

#include <chrono>
#include <deque>
#include <exception>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "agent/agent_runner.h"

namespace diary::test {

// One scripted turn: it may write files (to simulate the agent), call options.on_event, and
// returns what the turn returns.
using FakeTurnScript =
    std::function<agent::Result<agent::AgentTurnResult>(const std::string& prompt, const agent::TurnOptions& options)>;

struct FakeTurn {
  FakeTurnScript script;
  std::chrono::milliseconds delay{0};  // simulated work before the script runs
  // Runs until interrupt() (-> status interrupted) or until options.timeout (-> a timeout
  // error, as the real runner reports it); `script` is then not called.
  bool until_interrupted = false;
};

struct RecordedTurn {
  std::size_t runner_index = 0;
  std::string prompt;
  agent::TurnOptions options;
};

class FakeAgentSessionFactory;

class FakeAgentRunner : public agent::AgentRunner {
 public:
  FakeAgentRunner(FakeAgentSessionFactory& factory, std::size_t index, agent::AgentConfig config);

  // Resumes config.resume_conversation when the factory knows it (a conversation one of its
  // runners started, or one added with add_conversation()); otherwise starts "fake-thread-<n>".
  boost::asio::awaitable<agent::Result<agent::ConversationStart>> start_conversation() override;
  boost::asio::awaitable<agent::Result<agent::AgentTurnResult>> turn(std::string prompt, agent::TurnOptions options) override;
  boost::asio::awaitable<void> interrupt() override;
  bool turn_running() const override { return running_; }
  std::string conversation_id() const override { return started_ ? started_->id : std::string(); }

  const agent::AgentConfig& config() const { return config_; }
  int interrupts() const { return interrupts_; }

 private:
  FakeAgentSessionFactory& factory_;
  std::size_t index_;
  agent::AgentConfig config_;
  std::string conversation_id_;
  std::optional<agent::ConversationStart> started_;
  bool running_ = false;
  bool interrupted_ = false;
  int turns_ = 0;
  int interrupts_ = 0;
  std::shared_ptr<boost::asio::steady_timer> wait_;
};

class FakeAgentSessionFactory : public agent::AgentSessionFactory {
 public:
  void push_turn(FakeTurnScript script) { push(FakeTurn{std::move(script)}); }
  void push(FakeTurn turn) { script_.push_back(std::move(turn)); }
  // The next create_runner() calls fail with this error (e.g. ErrorKind::blocked).
  void fail_create_runner(agent::Error error) { create_error_ = std::move(error); }
  // A conversation the backend can resume (as if an earlier process had started it).
  void add_conversation(std::string id) { conversations_.insert(std::move(id)); }
  // The next start_conversation() calls fail with this error (the backend does not answer).
  void fail_start_conversation(agent::Error error) { start_error_ = std::move(error); }

  boost::asio::awaitable<agent::Result<std::shared_ptr<agent::AgentRunner>>> create_runner(agent::AgentConfig config) override;
  boost::asio::awaitable<void> shutdown() override;

  int runners_created() const { return static_cast<int>(runners_.size()); }
  const std::vector<std::shared_ptr<FakeAgentRunner>>& runners() const { return runners_; }
  const std::vector<agent::AgentConfig>& configs() const { return configs_; }
  const std::vector<RecordedTurn>& turns() const { return turns_; }
  std::size_t scripted_turns_left() const { return script_.size(); }
  int unexpected_turns() const { return unexpected_turns_; }
  int shutdowns() const { return shutdowns_; }

 private:
  friend class FakeAgentRunner;
  std::optional<FakeTurn> next_turn();

  std::deque<FakeTurn> script_;
  std::optional<agent::Error> create_error_;
  std::optional<agent::Error> start_error_;
  std::set<std::string> conversations_;
  std::vector<std::shared_ptr<FakeAgentRunner>> runners_;
  std::vector<agent::AgentConfig> configs_;
  std::vector<RecordedTurn> turns_;
  int unexpected_turns_ = 0;
  int shutdowns_ = 0;
};

// Results for scripts.
agent::AgentTurnResult fake_completed(std::string text = "done", agent::TokenUsage usage = {});
agent::AgentTurnResult fake_failed(agent::TurnError error, agent::TokenUsage usage = {});
agent::TokenUsage fake_usage(std::int64_t input_tokens, std::int64_t output_tokens);

// A script that writes `files` (path -> content, replacing) and then returns `result`.
FakeTurnScript write_files(std::vector<std::pair<std::filesystem::path, std::string>> files,
                           agent::Result<agent::AgentTurnResult> result = fake_completed());

// Runs `task` on `io` until it finishes or `deadline` passes (then throws: a test must never
// hang). Rethrows an exception escaping the coroutine.
template <class T>
T run_awaitable(boost::asio::io_context& io, boost::asio::awaitable<T> task,
                std::chrono::milliseconds deadline = std::chrono::seconds(10)) {
  std::optional<T> out;
  std::exception_ptr error;
  bool done = false;
  boost::asio::co_spawn(io, std::move(task), [&](std::exception_ptr e, T value) {
    done = true;
    error = e;
    if (!e) out.emplace(std::move(value));
  });
  io.restart();
  const auto until = std::chrono::steady_clock::now() + deadline;
  while (!done && std::chrono::steady_clock::now() < until) io.run_one_until(until);
  if (!done) throw std::runtime_error("coroutine did not finish before the test deadline");
  if (error) std::rethrow_exception(error);
  return std::move(*out);
}

}  // namespace diary::test
