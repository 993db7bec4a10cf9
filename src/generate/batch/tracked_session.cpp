#include "generate/batch/tracked_session.h"

namespace diary::generate {

namespace asio = boost::asio;

namespace {

class TrackedRunner : public agent::AgentRunner {
 public:
  TrackedRunner(std::shared_ptr<agent::AgentRunner> inner, std::shared_ptr<TrackingHooks> hooks)
      : inner_(std::move(inner)), hooks_(std::move(hooks)) {}

  asio::awaitable<agent::Result<agent::AgentTurnResult>> turn(std::string prompt, agent::TurnOptions options) override {
    ++turns_;
    if (hooks_->on_turn_start) hooks_->on_turn_start(turns_);
    agent::Result<agent::AgentTurnResult> result = co_await inner_->turn(std::move(prompt), std::move(options));
    if (!result && result.error().kind == agent::ErrorKind::process_exited) {
      const bool go_on = hooks_->on_backend_lost && hooks_->on_backend_lost(result.error());
      if (!go_on) co_return agent::fail(agent::ErrorKind::backend_broken, result.error().message);
    }
    co_return result;
  }

  asio::awaitable<agent::Result<agent::ConversationStart>> start_conversation() override {
    co_return co_await inner_->start_conversation();
  }

  asio::awaitable<void> interrupt() override { co_await inner_->interrupt(); }
  bool turn_running() const override { return inner_->turn_running(); }
  std::string conversation_id() const override { return inner_->conversation_id(); }

 private:
  std::shared_ptr<agent::AgentRunner> inner_;
  std::shared_ptr<TrackingHooks> hooks_;
  int turns_ = 0;
};

}  // namespace

asio::awaitable<agent::Result<std::shared_ptr<agent::AgentRunner>>> TrackedSessionFactory::create_runner(
    agent::AgentConfig config) {
  auto created = co_await shared_.create_runner(std::move(config));
  if (!created) co_return std::unexpected(created.error());
  if (hooks_->on_runner_created) hooks_->on_runner_created();
  co_return std::shared_ptr<agent::AgentRunner>(std::make_shared<TrackedRunner>(std::move(*created), hooks_));
}

asio::awaitable<void> TrackedSessionFactory::shutdown() { co_return; }

}  // namespace diary::generate
