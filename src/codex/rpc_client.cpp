#include "codex/rpc_client.h"

#include <algorithm>
#include <utility>

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>

namespace diary::codex {

namespace asio = boost::asio;

namespace {

// Enough of a line to recognise it in a log, never a multi-MiB dump.
std::string excerpt(std::string_view line, std::size_t max = 300) {
  std::string out(line.substr(0, max));
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  if (line.size() > max) out += fmt::format("... ({} bytes)", line.size());
  return out;
}

constexpr std::uint64_t logged_malformed_limit = 20;

}  // namespace

ServerRequest::ServerRequest(jsonrpc::IncomingRequest request, SendLine send, LogLine log)
    : request_(std::move(request)), send_(std::move(send)), log_(std::move(log)) {}

ServerRequest::ServerRequest(ServerRequest&& other) noexcept
    : request_(std::move(other.request_)),
      send_(std::exchange(other.send_, nullptr)),
      log_(other.log_),  // kept: a misuse of the moved-from object is still logged
      answered_(std::exchange(other.answered_, true)) {}

ServerRequest::~ServerRequest() {
  if (answered_ || !send_) return;
  if (log_)
    log_(fmt::format("no reply to the server request {} ({}); answering -32603", request_.method,
                     jsonrpc::to_string(request_.id)));
  reply_error(jsonrpc::rpc_code::internal_error, "request was not handled");
}

bool ServerRequest::claim(std::string_view what) {
  if (!send_) {
    if (log_) log_(fmt::format("{} on a moved-from server request ignored", what));
    return false;
  }
  if (answered_) {
    if (log_)
      log_(fmt::format("second {} to the server request {} ({}) not sent", what, request_.method,
                       jsonrpc::to_string(request_.id)));
    return false;
  }
  answered_ = true;
  return true;
}

void ServerRequest::reply(const json& result) {
  if (claim("reply")) send_(jsonrpc::encode_result(request_.id, result));
}

void ServerRequest::reply_error(int code, std::string_view message) {
  if (claim("error reply")) send_(jsonrpc::encode_error(request_.id, code, message));
}

RpcClient::RpcClient(asio::any_io_executor executor, SendLine send) : executor_(std::move(executor)), send_(std::move(send)) {}

void RpcClient::on_line(std::string_view line) noexcept {
  // The barrier: one bad line (or a handler bug it triggers) must never end the reader.
  try {
    dispatch(line);
  } catch (const std::exception& e) {
    ++stats_.handler_exceptions;
    try {
      log(fmt::format("skipped a line from codex after an internal error ({}): {}", e.what(), excerpt(line)));
    } catch (...) {}
  } catch (...) {
    ++stats_.handler_exceptions;
  }
}

void RpcClient::report_malformed(std::string_view what) {
  ++stats_.malformed;
  if (stats_.malformed <= logged_malformed_limit) log(what);
  if (stats_.malformed == logged_malformed_limit)
    log(fmt::format("{} malformed messages from codex; further ones are only counted", logged_malformed_limit));
}

void RpcClient::dispatch(std::string_view line) {
  jsonrpc::IncomingMessage message = jsonrpc::classify(line);
  std::visit(
      [this](auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, jsonrpc::IncomingNotification>) {
          ++stats_.notifications;
          if (on_notification_) on_notification_(m);
        } else if constexpr (std::is_same_v<T, jsonrpc::IncomingRequest>) {
          ++stats_.server_requests;
          ServerRequest request(std::move(m), send_, log_);
          if (on_request_) on_request_(std::move(request));
          else request.reply_error(jsonrpc::rpc_code::method_not_found, "method not found: " + request.method());
        } else if constexpr (std::is_same_v<T, jsonrpc::IncomingResponse>) {
          ++stats_.responses;
          settle(m.id, Outcome{std::move(m.result), 0});
        } else if constexpr (std::is_same_v<T, jsonrpc::IncomingError>) {
          ++stats_.responses;
          if (!m.id) {
            ++stats_.unknown_responses;
            return;
          }
          settle(*m.id, Outcome{agent::fail(agent::ErrorKind::rpc, fmt::format("{} (code {})", m.error.message, m.error.code)),
                                m.error.code});
        } else {
          ++stats_.unclassifiable;
        }
      },
      message);
}

void RpcClient::settle(const jsonrpc::RequestId& id, Outcome outcome) {
  const auto* number = std::get_if<std::int64_t>(&id);
  auto it = number ? pending_.find(*number) : pending_.end();
  if (it == pending_.end()) {
    ++stats_.unknown_responses;
    return;
  }
  auto slot = std::move(it->second);
  pending_.erase(it);
  slot->set(std::move(outcome));
}

asio::awaitable<RpcClient::Outcome> RpcClient::call_once(const std::string& method, const json& params,
                                                         AsyncSlot<int>::Clock::time_point deadline) {
  if (failure_) co_return Outcome{std::unexpected(*failure_), 0};
  const std::int64_t id = next_id_++;
  auto slot = std::make_shared<Slot>(executor_);
  pending_.emplace(id, slot);
  send_(jsonrpc::encode_request(id, method, params));
  if (!co_await slot->wait_until(deadline)) {
    pending_.erase(id);
    co_return Outcome{agent::fail(agent::ErrorKind::timeout, fmt::format("no answer to {} before its deadline", method)), 0};
  }
  co_return slot->take();
}

asio::awaitable<agent::Result<json>> RpcClient::call(std::string method, json params, CallOptions options) {
  const auto deadline = AsyncSlot<int>::deadline_after(options.timeout);
  auto backoff = options.overload_backoff;
  for (int attempt = 0;; ++attempt) {
    auto outcome = co_await call_once(method, params, deadline);
    if (outcome.rpc_code != jsonrpc::rpc_code::server_overloaded || attempt >= options.max_overload_retries)
      co_return std::move(outcome.result);
    // Exponential backoff with full jitter in [backoff/2, backoff], never past the deadline.
    std::uniform_int_distribution<long> spread(backoff.count() / 2, backoff.count());
    auto delay = std::chrono::milliseconds(spread(jitter_));
    if (AsyncSlot<int>::Clock::now() + delay >= deadline) co_return std::move(outcome.result);
    asio::steady_timer timer(executor_, delay);
    boost::system::error_code ignored;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    backoff = std::min(backoff * 2, options.overload_backoff_cap);
  }
}

void RpcClient::notify(std::string_view method, const json& params) {
  if (failure_) return;
  send_(jsonrpc::encode_notification(method, params));
}

void RpcClient::fail_all(const agent::Error& error) {
  if (!failure_) failure_ = error;
  auto pending = std::move(pending_);
  pending_.clear();
  for (auto& [id, slot] : pending) slot->set(Outcome{std::unexpected(error), 0});
}

}  // namespace diary::codex
