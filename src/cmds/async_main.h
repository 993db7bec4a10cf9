// Runs a command's coroutine on a fresh single-threaded io_context with the stop signals
// handled: SIGINT, SIGTERM, SIGHUP (a dropped ssh session) and SIGQUIT. The first one calls the
// command's stop hook (interrupt turns, flush ledgers) and lets it finish; the process then
// re-raises that signal once it is done (cmds/process_exit.h). A second one kills every
// session diary started (util::kill_guarded_sessions) and re-raises at once.
// Before the body runs, the process guard's watchdog is started (util/process_guard.h), so
// nothing diary starts outlives it, even after SIGKILL.
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
