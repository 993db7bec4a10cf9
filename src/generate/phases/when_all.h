// Runs coroutines concurrently on the current executor and waits for all of them: the fan-out of
// one task (the turns of a session, the parallel daily passes). An exception escaping one is
// rethrown after all have finished. One executor; header-only.
#pragma once

#include <exception>
#include <memory>
#include <optional>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace diary::generate::phases {

template <class T>
boost::asio::awaitable<std::vector<T>> when_all(std::vector<boost::asio::awaitable<T>> work) {
  namespace asio = boost::asio;
  auto executor = co_await asio::this_coro::executor;
  struct State {
    explicit State(asio::any_io_executor e, std::size_t n) : done(e, asio::steady_timer::time_point::max()), results(n) {}
    asio::steady_timer done;
    std::vector<std::optional<T>> results;
    std::size_t left = 0;
    std::exception_ptr error;
  };
  auto state = std::make_shared<State>(executor, work.size());
  state->left = work.size();
  for (std::size_t i = 0; i < work.size(); ++i) {
    asio::co_spawn(executor, std::move(work[i]), [state, i](std::exception_ptr error, T value) {
      if (error && !state->error) state->error = error;
      if (!error) state->results[i].emplace(std::move(value));
      if (--state->left == 0) state->done.cancel();
    });
  }
  while (state->left > 0) {
    boost::system::error_code ignored;
    co_await state->done.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
  if (state->error) std::rethrow_exception(state->error);
  std::vector<T> out;
  out.reserve(work.size());
  for (auto& result : state->results) out.push_back(std::move(*result));
  co_return out;
}

}  // namespace diary::generate::phases
