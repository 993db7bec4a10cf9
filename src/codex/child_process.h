// One child process with stdin/stdout/stderr pipes (Boost.Process v2). Reads stdout as JSONL
// and hands each line to a callback; drains stderr continuously into a bounded tail (a child
// blocked on a full stderr pipe would stall every thread); serializes writes to stdin.
// The child runs in its own session (and process group) and dies with us (PR_SET_PDEATHSIG);
// its session is registered with util::process_guard and swept when it exits, so nothing it
// started outlives it or diary, even after SIGKILL. Single-threaded: use from the executor it was made on.
#pragma once

#include <chrono>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/readable_pipe.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/writable_pipe.hpp>
#include <boost/process/v2/process.hpp>

#include "agent/error.h"
#include "jsonrpc/line_splitter.h"

namespace diary::codex {

struct ChildSpec {
  std::filesystem::path executable;
  std::vector<std::string> args;
  std::vector<std::string> env;  // full environment as KEY=VALUE
  std::filesystem::path working_directory;
  std::size_t stderr_tail_bytes = 16 * 1024;
  std::function<void(std::string_view)> stderr_log;  // every stderr chunk (verbose mode)
};

class ChildProcess : public std::enable_shared_from_this<ChildProcess> {
 public:
  using LineHandler = std::function<void(std::string_view line)>;
  // Called once, when stdout reached EOF and the process was reaped; carries a message with
  // the exit status and the tail of stderr.
  using ExitHandler = std::function<void(agent::Error)>;

  static agent::Result<std::shared_ptr<ChildProcess>> spawn(boost::asio::any_io_executor executor, ChildSpec spec);
  ~ChildProcess();

  void start(LineHandler on_line, ExitHandler on_exit);

  // Queues one line (a '\n' is appended). Ignored once stdin is closed.
  void write_line(std::string line);
  // Closes stdin after queued writes drain: the app-server then exits (and aborts turns).
  void close_stdin();

  void signal(int signo);  // to the whole process group
  bool exited() const { return exit_code_.has_value(); }
  std::optional<int> exit_code() const { return exit_code_; }
  int pid() const { return pid_; }
  std::string stderr_tail() const;

  // Waits until the process exited or the deadline passed; true if it exited. Any number of
  // coroutines may wait at once; the exit wakes them all.
  boost::asio::awaitable<bool> wait_exit(std::chrono::steady_clock::duration timeout);

 private:
  ChildProcess(boost::asio::any_io_executor executor, ChildSpec spec);
  boost::asio::awaitable<void> read_stdout();
  boost::asio::awaitable<void> read_stderr();
  boost::asio::awaitable<void> write_loop();
  boost::asio::awaitable<void> reap();
  void maybe_finish();
  void sweep_session();  // SIGKILL whatever is left in the child's session

  boost::asio::any_io_executor executor_;
  ChildSpec spec_;
  boost::asio::writable_pipe stdin_;
  boost::asio::readable_pipe stdout_;
  boost::asio::readable_pipe stderr_;
  std::optional<boost::process::v2::process> process_;
  int pid_ = -1;
  LineHandler on_line_;
  ExitHandler on_exit_;
  jsonrpc::LineSplitter splitter_;
  std::deque<std::string> write_queue_;
  bool writing_ = false;
  bool stdin_closing_ = false;
  std::string stderr_tail_;
  bool stdout_done_ = false;
  bool stderr_done_ = false;
  std::optional<int> exit_code_;
  bool finished_ = false;
  bool session_swept_ = false;
  std::optional<std::string> stream_error_;
  std::vector<std::weak_ptr<boost::asio::steady_timer>> exit_waiters_;  // of wait_exit() callers
  void wake_exit_waiters();
};

// Formats "exit status 3" / "killed by signal 9".
std::string describe_exit(int native_status);

}  // namespace diary::codex
