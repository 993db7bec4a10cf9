// The JSON-RPC client over any line transport (sans-io at its edges: lines in via on_line(),
// lines out via the SendLine callback), so it is unit-tested without a process. Owns the
// pending-call table (unique ids, per-call deadlines, -32001 retried with backoff + jitter),
// answers every server request exactly once (ServerRequest replies -32603 if dropped), and
// hands notifications to one handler. Single-threaded: use from one executor.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <unordered_map>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "agent/error.h"
#include "codex/async_slot.h"
#include "jsonrpc/rpc_message.h"

namespace diary::codex {

using json = nlohmann::json;
using SendLine = std::function<void(std::string line)>;

// An incoming server request that must be answered exactly once. Move-only; if it is
// destroyed unanswered it replies with an internal error so the server never waits forever.
class ServerRequest {
 public:
  ServerRequest(jsonrpc::IncomingRequest request, SendLine send);
  ServerRequest(ServerRequest&&) noexcept = default;
  ServerRequest& operator=(ServerRequest&&) noexcept = default;
  ~ServerRequest();

  const std::string& method() const { return request_.method; }
  const json& params() const { return request_.params; }
  const jsonrpc::RequestId& id() const { return request_.id; }

  void reply(const json& result);
  void reply_error(int code, std::string_view message);
  bool answered() const { return answered_; }

 private:
  jsonrpc::IncomingRequest request_;
  SendLine send_;
  bool answered_ = false;
};

struct CallOptions {
  std::chrono::milliseconds timeout{30'000};
  int max_overload_retries = 8;
  std::chrono::milliseconds overload_backoff{50};
  std::chrono::milliseconds overload_backoff_cap{2'000};
};

struct RpcStats {
  std::uint64_t notifications = 0;
  std::uint64_t server_requests = 0;
  std::uint64_t responses = 0;
  std::uint64_t unknown_responses = 0;  // ids we never sent or already gave up on
  std::uint64_t unclassifiable = 0;
};

class RpcClient {
 public:
  using NotificationHandler = std::function<void(jsonrpc::IncomingNotification&)>;
  using RequestHandler = std::function<void(ServerRequest)>;

  RpcClient(boost::asio::any_io_executor executor, SendLine send);

  void set_notification_handler(NotificationHandler handler) { on_notification_ = std::move(handler); }
  // Without a handler every server request is answered with -32601.
  void set_request_handler(RequestHandler handler) { on_request_ = std::move(handler); }

  // Feeds one received line. Never blocks.
  void on_line(std::string_view line);

  // Sends a request and waits for its result. A JSON-RPC error becomes ErrorKind::rpc (after
  // retrying -32001 overload errors), a passed deadline ErrorKind::timeout, and a dead peer the
  // error given to fail_all().
  boost::asio::awaitable<agent::Result<json>> call(std::string method, json params, CallOptions options = {});

  void notify(std::string_view method, const json& params);

  // Fails every pending call with `error`; later calls fail at once with it too.
  void fail_all(const agent::Error& error);
  const std::optional<agent::Error>& failure() const { return failure_; }

  std::size_t pending_calls() const { return pending_.size(); }
  const RpcStats& stats() const { return stats_; }

 private:
  struct Outcome {
    agent::Result<json> result;
    int rpc_code = 0;  // the JSON-RPC error code, 0 for results and local failures
  };
  using Slot = AsyncSlot<Outcome>;
  boost::asio::awaitable<Outcome> call_once(const std::string& method, const json& params,
                                            AsyncSlot<int>::Clock::time_point deadline);
  void settle(const jsonrpc::RequestId& id, Outcome outcome);

  boost::asio::any_io_executor executor_;
  SendLine send_;
  NotificationHandler on_notification_;
  RequestHandler on_request_;
  std::int64_t next_id_ = 1;
  std::unordered_map<std::int64_t, std::shared_ptr<Slot>> pending_;
  std::optional<agent::Error> failure_;
  RpcStats stats_;
  std::minstd_rand jitter_{std::random_device{}()};
};

}  // namespace diary::codex
