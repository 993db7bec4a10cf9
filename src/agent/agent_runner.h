// The neutral agent port: a runner is one conversation; a session factory owns the backend(s)
// and mints runners. Everything runs on one asio executor (single-threaded io_context): call
// these only from coroutines on that executor. Implementations: src/codex (real), tests/support
// (fake).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "agent/agent_config.h"
#include "agent/agent_turn.h"
#include "agent/error.h"

namespace diary::agent {

// How a runner's conversation began: started new, or resumed from AgentConfig::resume_conversation.
struct ConversationStart {
  std::string id;                            // conversation_id() from now on
  std::string location;                      // where the backend keeps its history (codex: the rollout), if it says
  bool resumed = false;                      // the requested earlier conversation continues
  std::optional<std::string> resume_failed;  // a resume was requested, could not be done: why (a new one started)

  friend bool operator==(const ConversationStart&, const ConversationStart&) = default;
};

class AgentRunner {
 public:
  virtual ~AgentRunner() = default;

  // Starts the conversation now, or resumes config.resume_conversation (falling back to a new one
  // when the backend cannot resume it), so that a caller can record its id before any turn runs:
  // a process killed during the first turn can then continue it. Idempotent: later calls return
  // the first answer. Fails (no conversation) when the backend does not answer or is unusable.
  virtual boost::asio::awaitable<Result<ConversationStart>> start_conversation() = 0;

  // Runs one turn: the first turn starts the conversation (start_conversation()) if that was not
  // done yet, later ones continue it. Fails with
  // ErrorKind::busy while another turn of this runner is running. A turn that ran but did not
  // succeed is a result whose status/error say why; one that ran past options.timeout is
  // interrupted and comes back as status timed_out (error kind timeout) with the events, usage
  // and turn id it had by then.
  virtual boost::asio::awaitable<Result<AgentTurnResult>> turn(std::string prompt, TurnOptions options) = 0;

  // Asks the running turn, if any, to stop; it then completes as interrupted. Idempotent.
  virtual boost::asio::awaitable<void> interrupt() = 0;

  virtual bool turn_running() const = 0;

  // The backend's id of this conversation; empty before the first turn.
  virtual std::string conversation_id() const = 0;
};

class AgentSessionFactory {
 public:
  virtual ~AgentSessionFactory() = default;

  // A new conversation. Starts the backend it needs if none runs yet (ErrorKind::blocked when
  // it cannot be started).
  virtual boost::asio::awaitable<Result<std::shared_ptr<AgentRunner>>> create_runner(AgentConfig config) = 0;

  // Interrupts running turns, waits a bounded time, stops every backend. Idempotent.
  virtual boost::asio::awaitable<void> shutdown() = 0;
};

}  // namespace diary::agent
