// The JSON-RPC client over any line transport (sans-io at its edges: lines in via on_line(),
// lines out via the SendLine callback), so it is unit-tested without a process. Owns the
// pending-call table (unique ids, per-call deadlines, -32001 retried with backoff + jitter),
// answers every server request exactly once (ServerRequest, modelled on clangd's ReplyOnce),
// hands notifications to one handler, and is the exception barrier of the reader: whatever a
// line does to a handler, the line is counted and logged and the next one is read. call_as<T>
// decodes a result through codex_protocol.h (a wrong shape fails that call with
// ErrorKind::protocol naming the JSON path). Single-threaded: use from one executor.
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
#include "codex/codex_protocol.h"
#include "jsonrpc/rpc_message.h"

namespace diary::codex {

using json = nlohmann::json;
using SendLine = std::function<void(std::string line)>;
// Where diagnostics go (a malformed message, a missing or double reply): one line each.
using LogLine = std::function<void(std::string_view line)>;

// An incoming server request that is answered exactly once, by construction (clangd's
// ReplyOnce): move-constructible only (no assignment, which would drop the obligation of the
// overwritten request), the moved-from object is explicitly empty and owes nothing; a second
// reply is logged and not sent; destroyed unanswered, it logs and replies -32603 so the server
// never waits forever.
class ServerRequest {
 public:
  ServerRequest(jsonrpc::IncomingRequest request, SendLine send, LogLine log = {});
  ServerRequest(ServerRequest&& other) noexcept;
  ServerRequest& operator=(ServerRequest&&) = delete;
  ServerRequest(const ServerRequest&) = delete;
  ServerRequest& operator=(const ServerRequest&) = delete;
  ~ServerRequest();

  const std::string& method() const { return request_.method; }
  const json& params() const { return request_.params; }
  const jsonrpc::RequestId& id() const { return request_.id; }

  // Exactly one of these, once. A second call (or any call on a moved-from object) is logged
  // and sends nothing.
  void reply(const json& result);
  void reply_error(int code, std::string_view message);
  bool answered() const { return answered_; }
  // True for a moved-from request: it has no peer to answer.
  bool empty() const { return !send_; }

 private:
  bool claim(std::string_view what);
  jsonrpc::IncomingRequest request_;
  SendLine send_;
  LogLine log_;
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
  std::uint64_t malformed = 0;           // known messages whose shape did not decode
  std::uint64_t handler_exceptions = 0;  // lines a handler threw on (caught, logged, skipped)
};

class RpcClient {
 public:
  using NotificationHandler = std::function<void(jsonrpc::IncomingNotification&)>;
  using RequestHandler = std::function<void(ServerRequest)>;

  RpcClient(boost::asio::any_io_executor executor, SendLine send);

  void set_notification_handler(NotificationHandler handler) { on_notification_ = std::move(handler); }
  // Without a handler every server request is answered with -32601.
  void set_request_handler(RequestHandler handler) { on_request_ = std::move(handler); }
  // Diagnostics (malformed messages, handler exceptions, missing or double replies).
  void set_log(LogLine log) { log_ = std::move(log); }

  // Feeds one received line. Never blocks, never throws: a handler that throws costs that line
  // only (counted in stats().handler_exceptions, logged with an excerpt of the line).
  void on_line(std::string_view line) noexcept;

  // Counts and logs a message that did not decode (`what`: "codex sent a malformed
  // item/completed: params.item.text: expected string"). The first few are logged, the rest
  // only counted, so a flood of bad lines cannot flood the log.
  void report_malformed(std::string_view what);

  // Sends a request and waits for its result. A JSON-RPC error becomes ErrorKind::rpc (after
  // retrying -32001 overload errors), a passed deadline ErrorKind::timeout, and a dead peer the
  // error given to fail_all().
  boost::asio::awaitable<agent::Result<json>> call(std::string method, json params, CallOptions options = {});

  // call() whose result is decoded as T (codex_protocol.h). A result of the wrong shape fails
  // with ErrorKind::protocol: "codex answered thread/start with an unexpected shape:
  // result.thread.id: expected string".
  template <class T>
  boost::asio::awaitable<agent::Result<T>> call_as(std::string method, json params, CallOptions options = {}) {
    auto raw = co_await call(method, params, options);  // named arguments: the GCC 12 coroutine rule
    if (!raw) co_return std::unexpected(raw.error());
    auto decoded = protocol::decode<T>(*raw, "result");
    if (!decoded) {
      std::string what = "codex answered " + method + " with an unexpected shape: " + decoded.error().message;
      ++stats_.malformed;  // counted, not logged: the caller gets (and reports) the error
      co_return agent::fail(agent::ErrorKind::protocol, std::move(what));
    }
    co_return std::move(*decoded);
  }

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
  void dispatch(std::string_view line);
  void log(std::string_view line) const {
    if (log_) log_(line);
  }

  boost::asio::any_io_executor executor_;
  SendLine send_;
  NotificationHandler on_notification_;
  RequestHandler on_request_;
  LogLine log_;
  std::int64_t next_id_ = 1;
  std::unordered_map<std::int64_t, std::shared_ptr<Slot>> pending_;
  std::optional<agent::Error> failure_;
  RpcStats stats_;
  std::minstd_rand jitter_{std::random_device{}()};
};

}  // namespace diary::codex
