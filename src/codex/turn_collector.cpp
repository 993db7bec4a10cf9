#include "codex/turn_collector.h"

#include "codex/codex_events.h"

namespace diary::codex {

TurnCollector::TurnCollector(boost::asio::any_io_executor executor, agent::EventSink on_event, MalformedSink on_malformed)
    : done_(executor), on_event_(std::move(on_event)), on_malformed_(std::move(on_malformed)) {}

void TurnCollector::add_event(agent::AgentTurnEvent event) {
  if (on_event_) on_event_(event);
  result_.events.push_back(std::move(event));
}

void TurnCollector::deliver(const jsonrpc::IncomingNotification& notification) {
  if (done_.ready()) return;
  const std::string& method = notification.method;
  // Decodes the params as T; a mismatch is reported and yields nullopt.
  auto decoded = [&]<class T>(std::type_identity<T>) -> std::optional<T> {
    auto out = protocol::decode<T>(notification.params, "params");
    if (out) return std::move(*out);
    last_malformed_ = "codex sent a malformed " + method + ": " + out.error().message;
    if (on_malformed_) on_malformed_(last_malformed_);
    return std::nullopt;
  };
  if (method == "item/completed") {
    auto params = decoded(std::type_identity<protocol::ItemNotification>{});
    if (!params) return;
    const protocol::ThreadItem& item = params->item;
    if (item.type == "agentMessage") {
      if (!item.phase) unphased_ = item.text;
      else if (*item.phase == "final_answer") final_answer_ = item.text;
    }
    if (auto event = event_from_item(item)) add_event(std::move(*event));
  } else if (method == "thread/tokenUsage/updated") {
    // One update per model request, `last` being that request's usage: a turn with tool calls
    // makes several requests, and its usage is their sum.
    if (auto params = decoded(std::type_identity<protocol::TokenUsageUpdated>{})) result_.usage += params->last;
  } else if (method == "error") {
    auto params = decoded(std::type_identity<protocol::ErrorNotification>{});
    if (!params) return;
    agent::TurnError error = turn_error_from(params->error);
    if (params->will_retry) {
      add_event(agent::AgentTurnEvent{
          agent::EventKind::warning, "retrying: " + error.message, {{"cause", agent::to_string(error.cause)}}});
    } else {
      last_error_ = std::move(error);
    }
  } else if (method == "turn/started") {
    auto params = decoded(std::type_identity<protocol::TurnNotification>{});
    if (params && result_.turn_id.empty()) result_.turn_id = params->turn.id;
  } else if (method == "turn/completed") {
    auto params = decoded(std::type_identity<protocol::TurnNotification>{});
    if (!params) {
      // The end of the turn, unreadable: waiting on would only run into the turn's timeout.
      done_.set(agent::fail(agent::ErrorKind::protocol, last_malformed_));
      return;
    }
    const protocol::Turn& turn = params->turn;
    result_.turn_id = turn.id;
    agent::TurnStatus settled = agent::TurnStatus::failed;
    if (turn.status == "completed") settled = agent::TurnStatus::completed;
    else if (turn.status == "interrupted") settled = agent::TurnStatus::interrupted;
    if (turn.error.is_object()) result_.error = turn_error_from(turn.error);
    else if (settled == agent::TurnStatus::failed)
      result_.error = last_error_.value_or(agent::TurnError{agent::ErrorKind::turn_failed, "the turn failed"});
    result_.status = settled;
    done_.set(settled);
  }
}

void TurnCollector::fail(const agent::Error& error) { done_.set(std::unexpected(error)); }

agent::AgentTurnResult TurnCollector::result() const {
  agent::AgentTurnResult out = result_;
  out.assistant_text = final_answer_.value_or(unphased_.value_or(""));
  return out;
}

}  // namespace diary::codex
