// Accumulates one turn's notifications (delivered by the TurnRouter) into an AgentTurnResult:
// completed items become events, the final answer is picked by phase, usage and errors are
// recorded, and turn/completed (or backend death) settles it exactly once. Every payload is
// decoded through codex_protocol.h: a malformed one is reported (`on_malformed`) and skipped,
// except a malformed turn/completed, which fails the turn with ErrorKind::protocol at once.
// Single-threaded; owned by the runner for the duration of one turn.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "agent/agent_turn.h"
#include "codex/async_slot.h"
#include "codex/turn_router.h"

namespace diary::codex {

class TurnCollector : public TurnSink {
 public:
  using MalformedSink = std::function<void(std::string_view what)>;
  TurnCollector(boost::asio::any_io_executor executor, agent::EventSink on_event, MalformedSink on_malformed = {});

  void deliver(const jsonrpc::IncomingNotification& notification) override;
  void fail(const agent::Error& error) override;
  // Events raised outside the notification stream (approval decisions).
  void add_event(agent::AgentTurnEvent event);

  // Settled with the turn's status, or with the error that ended it.
  AsyncSlot<agent::Result<agent::TurnStatus>>& done() { return done_; }

  // The result so far (complete once done() is set).
  agent::AgentTurnResult result() const;

 private:
  AsyncSlot<agent::Result<agent::TurnStatus>> done_;
  agent::EventSink on_event_;
  MalformedSink on_malformed_;
  agent::AgentTurnResult result_;
  std::optional<std::string> final_answer_;     // last agentMessage with phase final_answer
  std::optional<std::string> unphased_;         // last agentMessage without a phase
  std::optional<agent::TurnError> last_error_;  // from a non-retried `error` notification
  std::string last_malformed_;                  // what the last malformed notification was
};

}  // namespace diary::codex
