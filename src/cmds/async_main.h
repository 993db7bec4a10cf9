// Runs a command's coroutine on a fresh single-threaded io_context with SIGINT/SIGTERM
// handling: the first signal calls the command's stop hook (interrupt turns, flush ledgers) and
// lets it finish; a second one exits at once with 130 (children die with us: PDEATHSIG).
#pragma once

#include <functional>
#include <memory>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

namespace diary::cmds {

struct StopSignal {
  bool requested = false;
  int signal_number = 0;
  std::function<void()> on_stop;  // set by the command; called once, on the io_context
};

// Returns the coroutine's exit code (or rethrows what it threw, e.g. CommandFailure).
int run_async(std::function<boost::asio::awaitable<int>(boost::asio::any_io_executor, std::shared_ptr<StopSignal>)> body);

}  // namespace diary::cmds
