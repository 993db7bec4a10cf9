// Runs a coroutine to completion on a private io_context with a hard deadline, so no test can
// hang: past the deadline the test fails and the io_context is abandoned (its children are
// killed by their owners' destructors).
#pragma once

#include <chrono>
#include <cstdlib>
#include <exception>
#include <functional>
#include <optional>
#include <stdexcept>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <gtest/gtest.h>

namespace diary::test {

// Test deadlines times DIARY_TEST_DEADLINE_SCALE (a whole number, default 1).
// scripts/test-sanitizers.sh raises it: code built at -O0 with ASan runs many times slower, and
// a deadline there must still catch a hang, not a slow build.
inline std::chrono::milliseconds scaled_deadline(std::chrono::milliseconds deadline) {
  const char* text = std::getenv("DIARY_TEST_DEADLINE_SCALE");
  const long scale = text ? std::strtol(text, nullptr, 10) : 1;
  return scale > 1 ? deadline * scale : deadline;
}

template <class T>
T run_coro(std::function<boost::asio::awaitable<T>(boost::asio::any_io_executor)> body,
           std::chrono::milliseconds deadline = std::chrono::seconds(30)) {
  boost::asio::io_context io;
  std::optional<T> value;
  std::exception_ptr failure;
  bool done = false;
  boost::asio::co_spawn(io, body(io.get_executor()), [&](std::exception_ptr error, T result) {
    failure = error;
    if (!error) value.emplace(std::move(result));
    done = true;
    io.stop();
  });
  io.run_for(scaled_deadline(deadline));
  if (!done) throw std::runtime_error("test coroutine did not finish within its deadline");
  if (failure) std::rethrow_exception(failure);
  return std::move(*value);
}

// Sleeps inside a coroutine (for tests that need another coroutine to make progress).
inline boost::asio::awaitable<void> sleep_for(std::chrono::milliseconds duration) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, duration);
  boost::system::error_code ignored;
  co_await timer.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ignored));
}

}  // namespace diary::test
