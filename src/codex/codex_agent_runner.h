// One Codex conversation (thread) on a shared CodexBackend: the first turn() sends
// thread/start, every turn sends turn/start and settles exactly once on its own turn/completed
// (or on the backend's death). A timeout interrupts the turn, waits a bounded time for it to
// end, and marks the backend broken if it never does. Use from the backend's executor only.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "agent/agent_runner.h"
#include "codex/codex_backend.h"

namespace diary::codex {

struct RunnerTimeouts {
  std::chrono::milliseconds thread_start{60'000};
  std::chrono::milliseconds interrupt_call{5'000};   // answer to turn/interrupt
  std::chrono::milliseconds interrupt_grace{5'000};  // turn/completed after the interrupt
};

class CodexAgentRunner : public agent::AgentRunner, public std::enable_shared_from_this<CodexAgentRunner> {
 public:
  CodexAgentRunner(std::shared_ptr<CodexBackend> backend, agent::AgentConfig config, RunnerTimeouts timeouts = {});
  ~CodexAgentRunner() override;

  boost::asio::awaitable<agent::Result<agent::AgentTurnResult>> turn(std::string prompt,
                                                                     agent::TurnOptions options) override;
  boost::asio::awaitable<void> interrupt() override;
  bool turn_running() const override { return running_; }
  std::string conversation_id() const override { return thread_id_; }

  const std::shared_ptr<CodexBackend>& backend() const { return backend_; }

 private:
  boost::asio::awaitable<agent::Result<void>> ensure_thread();
  boost::asio::awaitable<void> send_interrupt();

  std::shared_ptr<CodexBackend> backend_;
  agent::AgentConfig config_;
  RunnerTimeouts timeouts_;
  std::string thread_id_;
  std::string model_;    // the thread's model as thread/start answered it, or the last turn override
  std::string turn_id_;  // of the running turn, once known
  bool running_ = false;
  bool interrupt_requested_ = false;
  bool interrupt_sent_ = false;
  std::shared_ptr<std::function<void(agent::AgentTurnEvent)>> event_forwarder_;
};

}  // namespace diary::codex
