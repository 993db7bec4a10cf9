#include "support/fake_agent.h"

#include <fstream>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace diary::test {

namespace asio = boost::asio;

FakeAgentRunner::FakeAgentRunner(FakeAgentSessionFactory& factory, std::size_t index, agent::AgentConfig config)
    : factory_(factory), index_(index), config_(std::move(config)), conversation_id_("fake-thread-" + std::to_string(index)) {}

asio::awaitable<agent::Result<agent::ConversationStart>> FakeAgentRunner::start_conversation() {
  if (started_) co_return *started_;
  if (factory_.start_error_) co_return std::unexpected(*factory_.start_error_);
  agent::ConversationStart start;
  if (config_.resume_conversation && factory_.conversations_.contains(*config_.resume_conversation)) {
    start.id = *config_.resume_conversation;
    start.resumed = true;
  } else {
    if (config_.resume_conversation) start.resume_failed = "fake: no rollout found for thread id " + *config_.resume_conversation;
    start.id = conversation_id_;
    factory_.conversations_.insert(start.id);
  }
  start.location = "fake-rollouts/" + start.id + ".jsonl";
  started_ = start;
  co_return start;
}

asio::awaitable<agent::Result<agent::AgentTurnResult>> FakeAgentRunner::turn(std::string prompt, agent::TurnOptions options) {
  if (running_) co_return agent::fail(agent::ErrorKind::busy, "a turn is already running on this runner");
  if (!started_) {
    auto started = co_await start_conversation();
    if (!started) co_return std::unexpected(started.error());
  }
  running_ = true;
  interrupted_ = false;
  const int number = ++turns_;
  factory_.turns_.push_back({index_, prompt, options});
  std::optional<FakeTurn> step = factory_.next_turn();
  if (!step) {
    running_ = false;
    co_return agent::fail(agent::ErrorKind::protocol, "fake: no scripted turn left for prompt: " + prompt);
  }

  const auto started = std::chrono::steady_clock::now();
  auto executor = co_await asio::this_coro::executor;
  if (step->until_interrupted || step->delay.count() > 0) {
    wait_ = std::make_shared<asio::steady_timer>(executor);
    wait_->expires_after(step->until_interrupted ? options.timeout : step->delay);
    boost::system::error_code ec;
    co_await wait_->async_wait(asio::redirect_error(asio::use_awaitable, ec));
    wait_.reset();
    if (step->until_interrupted && !interrupted_) {
      // As the real runner reports it: a result that keeps the turn id (and usage, none here).
      running_ = false;
      agent::AgentTurnResult timed_out;
      timed_out.status = agent::TurnStatus::timed_out;
      timed_out.turn_id = started_->id + "-turn-" + std::to_string(number);
      timed_out.error = agent::TurnError{
          .kind = agent::ErrorKind::timeout, .message = "fake: turn timed out", .cause = agent::FailureCause::timeout};
      timed_out.duration = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
      co_return timed_out;
    }
  }
  agent::Result<agent::AgentTurnResult> result;
  if (interrupted_) {
    agent::AgentTurnResult stopped;
    stopped.status = agent::TurnStatus::interrupted;
    result = std::move(stopped);
  } else {
    result = step->script(prompt, options);
  }
  if (result) {
    if (result->turn_id.empty()) result->turn_id = started_->id + "-turn-" + std::to_string(number);
    if (result->duration.count() == 0)
      result->duration = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  }
  running_ = false;
  co_return result;
}

asio::awaitable<void> FakeAgentRunner::interrupt() {
  ++interrupts_;
  if (running_) {
    interrupted_ = true;
    if (wait_) wait_->cancel();
  }
  co_return;
}

asio::awaitable<agent::Result<std::shared_ptr<agent::AgentRunner>>> FakeAgentSessionFactory::create_runner(
    agent::AgentConfig config) {
  if (create_error_) co_return std::unexpected(*create_error_);
  configs_.push_back(config);
  auto runner = std::make_shared<FakeAgentRunner>(*this, runners_.size(), std::move(config));
  runners_.push_back(runner);
  co_return std::shared_ptr<agent::AgentRunner>(runner);
}

asio::awaitable<void> FakeAgentSessionFactory::shutdown() {
  ++shutdowns_;
  co_return;
}

std::optional<FakeTurn> FakeAgentSessionFactory::next_turn() {
  if (script_.empty()) {
    ++unexpected_turns_;
    return std::nullopt;
  }
  FakeTurn turn = std::move(script_.front());
  script_.pop_front();
  return turn;
}

agent::AgentTurnResult fake_completed(std::string text, agent::TokenUsage usage) {
  agent::AgentTurnResult result;
  result.assistant_text = std::move(text);
  result.usage = usage;
  result.events.push_back({agent::EventKind::agent_message, result.assistant_text.substr(0, 80), nlohmann::json::object()});
  return result;
}

agent::AgentTurnResult fake_failed(agent::TurnError error, agent::TokenUsage usage) {
  agent::AgentTurnResult result;
  result.status = agent::TurnStatus::failed;
  result.error = std::move(error);
  result.usage = usage;
  return result;
}

agent::TokenUsage fake_usage(std::int64_t input_tokens, std::int64_t output_tokens) {
  agent::TokenUsage usage;
  usage.input_tokens = input_tokens;
  usage.output_tokens = output_tokens;
  usage.total_tokens = input_tokens + output_tokens;
  return usage;
}

FakeTurnScript write_files(std::vector<std::pair<std::filesystem::path, std::string>> files,
                           agent::Result<agent::AgentTurnResult> result) {
  return [files = std::move(files), result = std::move(result)](const std::string&, const agent::TurnOptions&) {
    for (const auto& [path, content] : files) {
      if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      out << content;
    }
    return result;
  };
}

}  // namespace diary::test
