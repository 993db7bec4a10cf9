// One Codex conversation (thread) on a shared CodexBackend: start_conversation() (or the first
// turn()) sends thread/start, or thread/resume for config.resume_conversation (thread/start
// when codex refuses the resume: its rollout is gone); every turn sends turn/start and settles exactly once on its own turn/completed
// (or on the backend's death). A timeout or interrupt() sends turn/interrupt again every
// `interrupt_resend` until the turn ends (codex drops one that lands before it runs the turn),
// and gives up after a bound: the turn then settles as cancelled (interrupt) or timed out and
// the backend is marked broken. Use from the backend's executor only.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "agent/agent_runner.h"
#include "codex/codex_backend.h"
#include "codex/codex_protocol.h"

namespace diary::codex {

class TurnCollector;

struct RunnerTimeouts {
  std::chrono::milliseconds thread_start{60'000};
  std::chrono::milliseconds interrupt_call{5'000};   // answer to turn/interrupt
  std::chrono::milliseconds interrupt_grace{5'000};  // turn/completed after a timeout's interrupt
  // A stop (interrupt()) ends the turn within this bound, confirmed by codex or not, so that a
  // supervisor's SIGTERM-then-SIGKILL always finds the ledger written.
  std::chrono::milliseconds stop_bound{1'500};
  std::chrono::milliseconds interrupt_resend{200};  // turn/interrupt again until the turn ends
};

class CodexAgentRunner : public agent::AgentRunner, public std::enable_shared_from_this<CodexAgentRunner> {
 public:
  CodexAgentRunner(std::shared_ptr<CodexBackend> backend, agent::AgentConfig config, RunnerTimeouts timeouts = {});
  ~CodexAgentRunner() override;

  boost::asio::awaitable<agent::Result<agent::ConversationStart>> start_conversation() override;
  boost::asio::awaitable<agent::Result<agent::AgentTurnResult>> turn(std::string prompt, agent::TurnOptions options) override;
  boost::asio::awaitable<void> interrupt() override;
  bool turn_running() const override { return running_; }
  std::string conversation_id() const override { return thread_id_; }

  const std::shared_ptr<CodexBackend>& backend() const { return backend_; }

 private:
  // thread/resume (when asked and codex can) or thread/start; notes the resume's fate in `start`.
  boost::asio::awaitable<agent::Result<protocol::ThreadStartResponse>> open_thread(agent::ConversationStart& start);
  boost::asio::awaitable<void> send_interrupt();
  // Sends turn/interrupt every interrupt_resend until this turn settled; false when `bound`
  // passed first.
  boost::asio::awaitable<bool> interrupt_until_settled(std::chrono::milliseconds bound);
  bool settled() const;

  std::shared_ptr<CodexBackend> backend_;
  agent::AgentConfig config_;
  RunnerTimeouts timeouts_;
  std::string thread_id_;
  std::optional<agent::ConversationStart> conversation_;  // once the thread is open
  bool opening_ = false;                                  // thread/start or thread/resume in flight
  std::string model_;    // the thread's model as thread/start answered it, or the last turn override
  std::string turn_id_;  // of the running turn, once known
  bool running_ = false;
  bool interrupt_requested_ = false;
  std::uint64_t turn_generation_ = 0;         // counts turns, so an old interrupt loop stops
  std::shared_ptr<TurnCollector> collector_;  // of the running turn, once created
  std::shared_ptr<std::function<void(agent::AgentTurnEvent)>> event_forwarder_;
};

}  // namespace diary::codex
