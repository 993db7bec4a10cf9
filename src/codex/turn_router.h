// Sans-io routing of app-server notifications to the turn that owns them. A runner attaches
// its thread before sending turn/start; events that arrive before the turn id is known are
// buffered and replayed when it is bound; events of other (stale) turns are dropped, so each
// turn sees only its own events and settles on its own turn/completed. Single-threaded.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "agent/error.h"
#include "jsonrpc/rpc_message.h"

namespace diary::codex {

class TurnSink {
 public:
  virtual ~TurnSink() = default;
  // A notification of this sink's turn (or of its thread with no turn id).
  virtual void deliver(const jsonrpc::IncomingNotification& notification) = 0;
  // The backend died or broke: the turn can never complete.
  virtual void fail(const agent::Error& error) = 0;
};

struct RouterStats {
  std::uint64_t delivered = 0;
  std::uint64_t buffered = 0;
  std::uint64_t stale = 0;       // belonged to another turn of an attached thread
  std::uint64_t unattached = 0;  // no turn of ours is running on that thread (or no thread)
};

class TurnRouter {
 public:
  void attach(const std::string& thread_id, TurnSink* sink);
  // Binds the turn id of the attached sink and replays what was buffered for it.
  void bind_turn(const std::string& thread_id, const std::string& turn_id);
  void detach(const std::string& thread_id);

  void route(const jsonrpc::IncomingNotification& notification);
  void fail_all(const agent::Error& error);

  std::size_t attached() const { return routes_.size(); }
  const RouterStats& stats() const { return stats_; }

 private:
  struct Route {
    TurnSink* sink = nullptr;
    std::string turn_id;                                                       // empty until bound
    std::vector<std::pair<std::string, jsonrpc::IncomingNotification>> early;  // (turn id, event)
  };
  std::unordered_map<std::string, Route> routes_;
  RouterStats stats_;
};

}  // namespace diary::codex
