// A one-shot result slot a coroutine can await with a deadline: the producer calls set(), the
// one consumer co_awaits wait_until(). Built on steady_timer because Boost 1.81 has no
// cancel_after. Single-threaded: producer and consumer run on the same executor.
#pragma once

#include <chrono>
#include <optional>
#include <utility>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace diary::codex {

template <class T>
class AsyncSlot {
 public:
  using Clock = std::chrono::steady_clock;

  explicit AsyncSlot(const boost::asio::any_io_executor& executor) : timer_(executor, Clock::time_point::max()) {}

  // The first value wins; later ones are ignored, so a result settles exactly once.
  bool set(T value) {
    if (value_) return false;
    value_ = std::move(value);
    timer_.cancel();
    return true;
  }

  bool ready() const { return value_.has_value(); }
  const std::optional<T>& peek() const { return value_; }
  T take() { return std::move(*value_); }

  // True once a value is set, false when the deadline passed first. Read it with peek()/take().
  boost::asio::awaitable<bool> wait_until(Clock::time_point deadline) {
    while (!value_ && Clock::now() < deadline) {
      timer_.expires_at(deadline);
      boost::system::error_code ignored;
      co_await timer_.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ignored));
    }
    co_return value_.has_value();
  }

  boost::asio::awaitable<bool> wait_for(Clock::duration timeout) { return wait_until(deadline_after(timeout)); }

  static Clock::time_point deadline_after(Clock::duration timeout) {
    auto now = Clock::now();
    if (timeout >= Clock::time_point::max() - now) return Clock::time_point::max();
    return now + timeout;
  }

 private:
  boost::asio::steady_timer timer_;
  std::optional<T> value_;
};

}  // namespace diary::codex
