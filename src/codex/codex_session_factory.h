// The Codex implementation of the agent port's session factory: a small pool of CodexBackends
// keyed by backend options (runners with identical options share one app-server process), and
// CodexAgentRunners minted on them. A dead backend is replaced on the next create_runner.
// Use from one executor only.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>

#include "agent/agent_runner.h"
#include "codex/codex_agent_runner.h"
#include "codex/codex_backend.h"

namespace diary::codex {

struct CodexFactoryOptions {
  std::string codex_binary;            // --codex-bin; empty = discover
  agent::AgentBackendOptions backend;  // used for runners whose config.backend is empty
  std::chrono::milliseconds handshake_timeout{30'000};
  RunnerTimeouts runner_timeouts;
  std::function<void(std::string_view)> warn;        // one-line warnings (version mismatch, ...)
  std::function<void(std::string_view)> stderr_log;  // verbose: codex's stderr
  // Called after each backend finished its handshake (for ledgers and progress).
  std::function<void(const BackendInfo&, const agent::AgentBackendOptions&)> on_backend_started;
};

class CodexAgentSessionFactory : public agent::AgentSessionFactory {
 public:
  CodexAgentSessionFactory(boost::asio::any_io_executor executor, CodexFactoryOptions options);
  ~CodexAgentSessionFactory() override;

  boost::asio::awaitable<agent::Result<std::shared_ptr<agent::AgentRunner>>> create_runner(agent::AgentConfig config) override;
  boost::asio::awaitable<void> shutdown() override;
  // A stop: backends still in their handshake are killed and no new one starts (create_runner
  // then fails with ErrorKind::cancelled); running backends and turns are left to the caller's
  // graceful stop. Idempotent.
  void stop_starting();

  // The backend for these options, started if needed (also used by `diary doctor`).
  boost::asio::awaitable<agent::Result<std::shared_ptr<CodexBackend>>> backend_for(const agent::AgentBackendOptions& options);

  std::size_t backends_started() const { return backends_started_; }
  const std::string& codex_version() const { return codex_version_; }

 private:
  agent::AgentBackendOptions effective(const agent::AgentBackendOptions& requested) const;

  struct Entry;
  boost::asio::any_io_executor executor_;
  CodexFactoryOptions options_;
  std::map<agent::AgentBackendOptions, std::shared_ptr<Entry>> backends_;
  std::vector<std::weak_ptr<CodexAgentRunner>> runners_;
  std::size_t backends_started_ = 0;
  std::string codex_version_;
  bool version_checked_ = false;
  bool shut_down_ = false;
  bool stop_starting_ = false;
};

std::shared_ptr<CodexAgentSessionFactory> make_codex_session_factory(boost::asio::any_io_executor executor,
                                                                     CodexFactoryOptions options);

}  // namespace diary::codex
