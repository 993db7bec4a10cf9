#include "cmds/async_main.h"

#include <csignal>
#include <exception>
#include <iostream>
#include <optional>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <unistd.h>

#include "cmds/exit_codes.h"
#include "cmds/process_exit.h"
#include "util/process_guard.h"

namespace diary::cmds {

namespace asio = boost::asio;

int run_async(std::function<asio::awaitable<int>(asio::any_io_executor, std::shared_ptr<StopSignal>)> body) {
  util::install_process_guard();
  util::become_subreaper();
  asio::io_context io(1);
  auto stop = std::make_shared<StopSignal>();
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.add(SIGHUP);
  signals.add(SIGQUIT);
  std::function<void(const boost::system::error_code&, int)> on_signal = [&](const boost::system::error_code& ec, int signo) {
    if (ec) return;
    if (stop->requested) {
      std::cerr << "diary: second signal, exiting now\n";
      util::kill_guarded_sessions();  // codex, and everything it started, in one sweep
      util::kill_adopted_children();
      reraise_signal(signo);
    }
    stop->requested = true;
    stop->signal_number = signo;
    note_stop_signal(signo);
    std::cerr << "diary: interrupting (press Ctrl-C again to exit at once)\n";
    if (stop->on_stop) stop->on_stop();
    signals.async_wait(on_signal);
  };
  signals.async_wait(on_signal);

  std::optional<int> code;
  std::exception_ptr failure;
  asio::co_spawn(io, body(io.get_executor(), stop), [&](std::exception_ptr error, int result) {
    failure = error;
    code = result;
    signals.cancel();
    // The command has shut its backends down; whatever is still pending (a read loop waiting
    // for EOF) must not keep diary alive.
    io.stop();
  });
  io.run();
  // Anything of ours still running now is a leak: the backends were shut down.
  util::kill_guarded_sessions();
  util::kill_adopted_children();
  if (failure) std::rethrow_exception(failure);
  return code.value_or(exit_failed);
}

}  // namespace diary::cmds
