#include "codex/turn_collector.h"

#include "codex/codex_events.h"

namespace diary::codex {

TurnCollector::TurnCollector(boost::asio::any_io_executor executor, agent::EventSink on_event)
    : done_(std::move(executor)), on_event_(std::move(on_event)) {}

void TurnCollector::add_event(agent::AgentTurnEvent event) {
  if (on_event_) on_event_(event);
  result_.events.push_back(std::move(event));
}

void TurnCollector::deliver(const jsonrpc::IncomingNotification& notification) {
  if (done_.ready()) return;
  const std::string& method = notification.method;
  const json& params = notification.params;
  if (method == "item/completed") {
    const json& item = params.contains("item") ? params["item"] : json::object();
    if (item.value("type", "") == "agentMessage") {
      std::string text = item.value("text", "");
      const json phase = item.value("phase", json(nullptr));
      if (phase.is_null()) unphased_ = text;
      else if (phase == "final_answer") final_answer_ = text;
    }
    if (auto event = event_from_item(item)) add_event(std::move(*event));
  } else if (method == "thread/tokenUsage/updated") {
    // One update per model request, `last` being that request's usage: a turn with tool calls
    // makes several requests, and its usage is their sum.
    if (auto usage = params.find("tokenUsage"); usage != params.end() && usage->contains("last"))
      result_.usage += usage_from_breakdown((*usage)["last"]);
  } else if (method == "error") {
    agent::TurnError error = turn_error_from(params.value("error", json::object()));
    if (params.value("willRetry", false)) {
      add_event(agent::AgentTurnEvent{agent::EventKind::warning, "retrying: " + error.message,
                                      {{"cause", agent::to_string(error.cause)}}});
    } else {
      last_error_ = std::move(error);
    }
  } else if (method == "turn/started") {
    if (result_.turn_id.empty()) result_.turn_id = turn_id_of(params);
  } else if (method == "turn/completed") {
    const json& turn = params.contains("turn") ? params["turn"] : json::object();
    result_.turn_id = turn.value("id", result_.turn_id);
    const std::string status = turn.value("status", "");
    agent::TurnStatus settled = agent::TurnStatus::failed;
    if (status == "completed") settled = agent::TurnStatus::completed;
    else if (status == "interrupted") settled = agent::TurnStatus::interrupted;
    if (auto error = turn.find("error"); error != turn.end() && error->is_object())
      result_.error = turn_error_from(*error);
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
