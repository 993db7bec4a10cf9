#include "codex/turn_router.h"

#include "codex/codex_protocol.h"

namespace diary::codex {

void TurnRouter::attach(const std::string& thread_id, TurnSink* sink) { routes_[thread_id] = Route{sink, {}, {}}; }

void TurnRouter::bind_turn(const std::string& thread_id, const std::string& turn_id) {
  auto it = routes_.find(thread_id);
  if (it == routes_.end()) return;
  it->second.turn_id = turn_id;
  auto early = std::move(it->second.early);
  for (auto& [id, notification] : early) {
    // The sink may detach itself while handling a replayed terminal event.
    auto current = routes_.find(thread_id);
    if (current == routes_.end() || current->second.turn_id != turn_id) break;
    if (!id.empty() && id != turn_id) {
      ++stats_.stale;
      continue;
    }
    ++stats_.delivered;
    current->second.sink->deliver(notification);
  }
}

void TurnRouter::detach(const std::string& thread_id) { routes_.erase(thread_id); }

void TurnRouter::route(const jsonrpc::IncomingNotification& notification) {
  const std::string thread_id = protocol::thread_id_of(notification.params);
  auto it = thread_id.empty() ? routes_.end() : routes_.find(thread_id);
  if (it == routes_.end()) {
    ++stats_.unattached;
    return;
  }
  Route& route = it->second;
  const std::string turn_id = protocol::turn_id_of(notification.params);
  if (route.turn_id.empty()) {
    ++stats_.buffered;
    route.early.emplace_back(turn_id, notification);
    return;
  }
  if (!turn_id.empty() && turn_id != route.turn_id) {
    ++stats_.stale;
    return;
  }
  ++stats_.delivered;
  route.sink->deliver(notification);
}

void TurnRouter::fail_all(const agent::Error& error) {
  auto routes = std::move(routes_);
  routes_.clear();
  for (auto& [thread_id, route] : routes) route.sink->fail(error);
}

}  // namespace diary::codex
