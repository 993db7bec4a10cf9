#include "codex/child_process.h"

#include "util/process_guard.h"

#include <csignal>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/process/v2/start_dir.hpp>
#include <boost/process/v2/stdio.hpp>
#include <fmt/format.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/log_exception.h"

namespace diary::codex {

namespace asio = boost::asio;
namespace bp = boost::process::v2;

namespace {

// Every child also carries process_guard's environment marker (add_process_marker in spawn),
// and so does all it starts, session or not: the watchdog finds those after a SIGKILL too.
//
// Runs in the forked child before exec: own session, hence own process group (our terminal's
// Ctrl-C goes to diary, which interrupts turns cleanly; the session keeps every process codex
// starts findable after re-parenting, see util/process_guard.h) and death with the parent,
// whatever kills the parent.
struct DieWithParent {
  pid_t parent = ::getpid();
  const char* const* env = nullptr;  // NUL-terminated KEY=VALUE array, owned by the caller
  // process_environment is not header-only in Boost 1.81; setting the launcher's env is.
  bp::error_code on_setup(bp::posix::default_launcher& launcher, const bp::filesystem::path&, const char* const*) {
    if (env != nullptr) launcher.env = env;
    return {};
  }
  bp::error_code on_exec_setup(bp::posix::default_launcher&, const bp::filesystem::path&, const char* const*) {
    ::signal(SIGPIPE, SIG_DFL);  // an ignored signal survives exec: give the child the default back
    if (::setsid() < 0) ::setpgid(0, 0);
    if (::prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) return bp::error_code(errno, bp::system_category());
    if (::getppid() != parent) ::_exit(127);  // the parent died between fork and prctl
    return {};
  }
};

constexpr std::size_t read_chunk = 256 * 1024;

// Writing to the stdin of a child that already died must be an EPIPE error for write_loop, not
// a SIGPIPE that kills diary (seen with a codex that exits at once: exit 141 instead of 3).
void ignore_sigpipe() {
  static const bool done = [] {
    struct sigaction current {};
    if (::sigaction(SIGPIPE, nullptr, &current) == 0 && current.sa_handler == SIG_DFL) ::signal(SIGPIPE, SIG_IGN);
    return true;
  }();
  (void)done;
}

}  // namespace

std::string describe_exit(int native_status) {
  if (WIFEXITED(native_status)) return fmt::format("exit status {}", WEXITSTATUS(native_status));
  if (WIFSIGNALED(native_status)) return fmt::format("killed by signal {}", WTERMSIG(native_status));
  return fmt::format("wait status {}", native_status);
}

ChildProcess::ChildProcess(asio::any_io_executor executor, ChildSpec spec)
    : executor_(executor), spec_(std::move(spec)), stdin_(executor), stdout_(executor), stderr_(executor) {}

ChildProcess::~ChildProcess() {
  if (pid_ > 0 && !exit_code_) {
    ::kill(-pid_, SIGKILL);
    ::kill(pid_, SIGKILL);
  }
  if (pid_ > 0 && !session_swept_) sweep_session();
  if (process_) process_->detach();  // reaped (or killed) above; avoid a second terminate
}

agent::Result<std::shared_ptr<ChildProcess>> ChildProcess::spawn(asio::any_io_executor executor, ChildSpec spec) {
  ignore_sigpipe();
  std::shared_ptr<ChildProcess> child(new ChildProcess(executor, std::move(spec)));
  bp::filesystem::path exe(child->spec_.executable.string());
  bp::filesystem::path cwd(child->spec_.working_directory.empty() ? std::filesystem::current_path().string()
                                                                  : child->spec_.working_directory.string());
  // The marker the watchdog finds everything codex starts by, even what left its session.
  util::add_process_marker(child->spec_.env);
  std::vector<const char*> env;
  env.reserve(child->spec_.env.size() + 1);
  for (const auto& entry : child->spec_.env) env.push_back(entry.c_str());
  env.push_back(nullptr);
  try {
    bp::process proc(executor, exe, child->spec_.args, bp::process_stdio{child->stdin_, child->stdout_, child->stderr_},
                     bp::process_start_dir(cwd), DieWithParent{::getpid(), env.data()});
    child->pid_ = proc.id();
    child->process_.emplace(std::move(proc));
    util::guard_session(child->pid_);  // its session id is its pid (setsid above)
    // A 1 MiB pipe (Linux default: 64 KiB) cuts wake-ups 16x for the multi-MiB lines codex
    // sends (aggregated command output, diffs). Best effort: the limit may be lower.
    ::fcntl(child->stdout_.native_handle(), F_SETPIPE_SZ, 1 << 20);
  } catch (const boost::system::system_error& e) {
    return agent::fail(agent::ErrorKind::blocked, "cannot start " + child->spec_.executable.string() + ": " + e.code().message());
  }
  return child;
}

void ChildProcess::start(LineHandler on_line, ExitHandler on_exit) {
  on_line_ = std::move(on_line);
  on_exit_ = std::move(on_exit);
  auto self = shared_from_this();
  // A reader that dies must not leave everyone waiting for a line or an exit that never comes:
  // its stream counts as ended (and the child is killed) so the exit handler still runs.
  std::weak_ptr<ChildProcess> weak = self;
  auto stream_failed = [weak](bool ChildProcess::*done) {
    return [weak, done](std::exception_ptr error) {
      auto child = weak.lock();
      if (!child) return;
      child->stream_error_ = util::describe_exception("the codex reader", error);
      (*child).*done = true;
      child->signal(SIGKILL);
      child->maybe_finish();
    };
  };
  asio::co_spawn(
      executor_, [self]() { return self->read_stdout(); },
      util::log_exception("the codex stdout reader", stream_failed(&ChildProcess::stdout_done_)));
  asio::co_spawn(
      executor_, [self]() { return self->read_stderr(); },
      util::log_exception("the codex stderr reader", stream_failed(&ChildProcess::stderr_done_)));
  asio::co_spawn(
      executor_, [self]() { return self->reap(); }, util::log_exception("the codex reaper"));
}

asio::awaitable<void> ChildProcess::read_stdout() {
  auto self = shared_from_this();
  boost::system::error_code ec;
  for (;;) {
    char* buffer = splitter_.prepare(read_chunk);
    std::size_t n =
        co_await stdout_.async_read_some(asio::buffer(buffer, read_chunk), asio::redirect_error(asio::use_awaitable, ec));
    if (n > 0) {
      bool ok = splitter_.commit(n, [this](std::string_view line) {
        if (!line.empty() && on_line_) on_line_(line);
      });
      if (!ok) {
        stream_error_ = "a line on stdout exceeded 256 MiB";
        signal(SIGKILL);
        break;
      }
    }
    if (ec) break;
  }
  stdout_done_ = true;
  maybe_finish();
}

asio::awaitable<void> ChildProcess::read_stderr() {
  auto self = shared_from_this();
  std::string buffer(64 * 1024, '\0');
  boost::system::error_code ec;
  for (;;) {
    std::size_t n = co_await stderr_.async_read_some(asio::buffer(buffer), asio::redirect_error(asio::use_awaitable, ec));
    if (n > 0) {
      std::string_view chunk(buffer.data(), n);
      if (spec_.stderr_log) spec_.stderr_log(chunk);
      stderr_tail_.append(chunk);
      if (stderr_tail_.size() > 2 * spec_.stderr_tail_bytes) stderr_tail_.erase(0, stderr_tail_.size() - spec_.stderr_tail_bytes);
    }
    if (ec) break;
  }
  stderr_done_ = true;
  maybe_finish();
}

asio::awaitable<void> ChildProcess::reap() {
  auto self = shared_from_this();
  boost::system::error_code ec;
  co_await process_->async_wait(asio::redirect_error(asio::use_awaitable, ec));
  exit_code_ = process_->native_exit_code();
  // What codex started and left behind (an MCP server, a shell command) is an orphan now.
  sweep_session();
  wake_exit_waiters();
  // A grandchild may still hold our stdout/stderr open; once codex itself is gone nothing more
  // of interest can arrive, so stop waiting for EOF.
  boost::system::error_code ignored;
  if (!stdout_done_) {
    asio::steady_timer grace(executor_, std::chrono::milliseconds(200));
    co_await grace.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    stdout_.close(ignored);
    stderr_.close(ignored);
  }
  maybe_finish();
}

void ChildProcess::sweep_session() {
  session_swept_ = true;
  util::kill_session(pid_);
  util::release_session(pid_);
}

void ChildProcess::maybe_finish() {
  if (finished_ || !stdout_done_ || !exit_code_) return;
  finished_ = true;
  boost::system::error_code ignored;
  stdin_.close(ignored);
  std::string message = fmt::format("codex app-server (pid {}) exited: {}", pid_, describe_exit(*exit_code_));
  if (stream_error_) message += " (" + *stream_error_ + ")";
  std::string tail = stderr_tail();
  if (!tail.empty()) message += "; stderr tail: " + tail;
  if (on_exit_) {
    auto handler = std::move(on_exit_);
    handler(agent::Error{agent::ErrorKind::process_exited, std::move(message)});
  }
  on_line_ = nullptr;
}

std::string ChildProcess::stderr_tail() const {
  std::string_view tail(stderr_tail_);
  if (tail.size() > spec_.stderr_tail_bytes) tail.remove_prefix(tail.size() - spec_.stderr_tail_bytes);
  // Keep the last few lines only: error messages must stay one readable line.
  std::string out(tail);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  std::size_t keep_from = out.size();
  for (int lines = 0; lines < 5 && keep_from > 0; ++lines) {
    auto nl = out.rfind('\n', keep_from - 1);
    keep_from = nl == std::string::npos ? 0 : nl;
  }
  out.erase(0, keep_from);
  for (char& c : out)
    if (c == '\n' || c == '\r') c = ' ';
  while (!out.empty() && out.front() == ' ') out.erase(0, 1);
  if (out.size() > 2000) out.erase(0, out.size() - 2000);
  return out;
}

void ChildProcess::write_line(std::string line) {
  if (stdin_closing_ || finished_) return;
  line.push_back('\n');
  write_queue_.push_back(std::move(line));
  if (!writing_) {
    writing_ = true;
    std::weak_ptr<ChildProcess> weak = shared_from_this();
    asio::co_spawn(
        executor_, [self = shared_from_this()]() { return self->write_loop(); },
        util::log_exception("the codex stdin writer", [weak](std::exception_ptr) {
          if (auto child = weak.lock()) child->writing_ = false;
        }));
  }
}

asio::awaitable<void> ChildProcess::write_loop() {
  boost::system::error_code ec;
  while (!write_queue_.empty()) {
    co_await asio::async_write(stdin_, asio::buffer(write_queue_.front()), asio::redirect_error(asio::use_awaitable, ec));
    write_queue_.pop_front();
    if (ec) {
      write_queue_.clear();
      break;
    }
  }
  writing_ = false;
  if (stdin_closing_) stdin_.close(ec);
}

void ChildProcess::close_stdin() {
  stdin_closing_ = true;
  if (!writing_) {
    boost::system::error_code ignored;
    stdin_.close(ignored);
  }
}

void ChildProcess::signal(int signo) {
  if (pid_ <= 0 || exit_code_) return;
  ::kill(-pid_, signo);  // the group: codex and whatever it started
  ::kill(pid_, signo);
}

void ChildProcess::wake_exit_waiters() {
  auto waiters = std::move(exit_waiters_);
  exit_waiters_.clear();
  for (auto& weak : waiters)
    if (auto timer = weak.lock()) timer->cancel();
}

asio::awaitable<bool> ChildProcess::wait_exit(std::chrono::steady_clock::duration timeout) {
  auto self = shared_from_this();
  if (finished_ || exit_code_) co_return true;
  // One timer per waiter, all woken by the exit: any number of coroutines may wait at once.
  auto timer = std::make_shared<asio::steady_timer>(executor_, timeout);
  std::erase_if(exit_waiters_, [](const auto& weak) { return weak.expired(); });
  exit_waiters_.push_back(timer);
  boost::system::error_code ignored;
  while (!exit_code_ && timer->expiry() > std::chrono::steady_clock::now()) {
    co_await timer->async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
  co_return exit_code_.has_value();
}

}  // namespace diary::codex
