// A program run by an e2e test (diary itself): own process group, stdin from /dev/null or (with
// Stdin::pipe) a pipe the test writes to, stdout/stderr drained by a background thread (a full
// pipe would stall the program), every wait bounded. The destructor SIGKILLs the group and
// reaps, so a failing test leaks nothing. Header-only. Use from the test thread; out()/err()
// are safe while the drain thread runs.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace diary::test {

class SpawnedProcess {
 public:
  enum class Stdin { null, pipe };

  SpawnedProcess(const std::vector<std::string>& args, const std::filesystem::path& cwd, const std::vector<std::string>& env,
                 Stdin stdin_mode = Stdin::null) {
    std::array<int, 2> out_pipe{}, err_pipe{}, in_pipe{-1, -1};
    if (::pipe2(out_pipe.data(), O_CLOEXEC) != 0 || ::pipe2(err_pipe.data(), O_CLOEXEC) != 0 ||
        (stdin_mode == Stdin::pipe && ::pipe2(in_pipe.data(), O_CLOEXEC) != 0))
      throw std::runtime_error(std::string("pipe2: ") + std::strerror(errno));
    // Writing to a program that died must fail the write, not kill the test binary.
    if (stdin_mode == Stdin::pipe) ::signal(SIGPIPE, SIG_IGN);
    std::vector<char*> argv, envp;
    for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    for (const auto& entry : env) envp.push_back(const_cast<char*>(entry.c_str()));
    envp.push_back(nullptr);
    const std::string dir = cwd.string();
    started_ = std::chrono::steady_clock::now();
    pid_ = ::fork();
    if (pid_ == 0) {  // child: async-signal-safe calls only
      ::setpgid(0, 0);
      const int child_in = in_pipe[0] >= 0 ? in_pipe[0] : ::open("/dev/null", O_RDONLY);
      if (child_in < 0 || ::dup2(child_in, 0) < 0 || ::dup2(out_pipe[1], 1) < 0 || ::dup2(err_pipe[1], 2) < 0 ||
          ::chdir(dir.c_str()) != 0)
        ::_exit(126);
      ::execve(argv[0], argv.data(), envp.data());
      ::_exit(127);
    }
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    if (in_pipe[0] >= 0) ::close(in_pipe[0]);
    stdin_fd_ = in_pipe[1];
    if (pid_ < 0) {
      close_stdin();
      ::close(out_pipe[0]);
      ::close(err_pipe[0]);
      throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    }
    ::setpgid(pid_, pid_);  // also here, so a kill of the group cannot race the child's setpgid
    drain_ = std::thread([this, out = out_pipe[0], err = err_pipe[0]] { drain(out, err); });
  }

  ~SpawnedProcess() {
    close_stdin();
    if (!exit_status_) {
      ::kill(-pid_, SIGKILL);
      ::kill(pid_, SIGKILL);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
    stop_drain_ = true;
    if (drain_.joinable()) drain_.join();
  }

  SpawnedProcess(const SpawnedProcess&) = delete;
  SpawnedProcess& operator=(const SpawnedProcess&) = delete;

  pid_t pid() const { return pid_; }

  // Stdin::pipe only: writes all of `bytes`; false once the program no longer reads.
  bool write_stdin(std::string_view bytes) {
    while (!bytes.empty() && stdin_fd_ >= 0) {
      const ssize_t n = ::write(stdin_fd_, bytes.data(), bytes.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
    return bytes.empty();
  }
  // The program sees EOF on stdin.
  void close_stdin() {
    if (stdin_fd_ >= 0) ::close(stdin_fd_);
    stdin_fd_ = -1;
  }

  // Polls stdout until `done(out())` holds; false when the deadline passed first.
  bool wait_for_out(const std::function<bool(const std::string&)>& done, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done(out())) {
      if (std::chrono::steady_clock::now() >= deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return true;
  }

  void signal(int signo) {
    if (!exit_status_) ::kill(pid_, signo);
  }

  // Waits for the exit; the exit code (128+N when killed by signal N), or nullopt when the
  // deadline passed (the process is then still running; the destructor kills it).
  std::optional<int> wait(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!exit_status_) {
      int status = 0;
      const pid_t done = ::waitpid(pid_, &status, WNOHANG);
      if (done == pid_) {
        exit_status_ = status;
        exited_at_ = std::chrono::steady_clock::now();
        break;
      }
      if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    // The output is complete once the pipes closed; a grandchild holding them must not hang us.
    const auto drain_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (!drained_ && std::chrono::steady_clock::now() < drain_deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    if (WIFEXITED(*exit_status_)) return WEXITSTATUS(*exit_status_);
    return 128 + WTERMSIG(*exit_status_);
  }

  // The signal that ended the program (nullopt while running or after a normal exit): tells a
  // re-raised SIGINT (130 as a shell shows it) from an exit(130).
  std::optional<int> term_signal() const {
    if (!exit_status_ || !WIFSIGNALED(*exit_status_)) return std::nullopt;
    return WTERMSIG(*exit_status_);
  }

  std::string out() const {
    std::lock_guard lock(mutex_);
    return out_;
  }
  std::string err() const {
    std::lock_guard lock(mutex_);
    return err_;
  }
  // From the start to the reaped exit (or to now, while running).
  std::chrono::milliseconds elapsed() const {
    const auto end = exit_status_ ? exited_at_ : std::chrono::steady_clock::now();
    return std::chrono::duration_cast<std::chrono::milliseconds>(end - started_);
  }

 private:
  void drain(int out_fd, int err_fd) {
    std::array<pollfd, 2> fds{pollfd{out_fd, POLLIN, 0}, pollfd{err_fd, POLLIN, 0}};
    std::array<std::string*, 2> sinks{&out_, &err_};
    int open_fds = 2;
    while (open_fds > 0 && !stop_drain_) {
      if (::poll(fds.data(), fds.size(), 50) < 0 && errno != EINTR) break;
      for (std::size_t i = 0; i < fds.size(); ++i) {
        if (fds[i].fd < 0 || fds[i].revents == 0) continue;
        char buffer[8192];
        const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
        if (n > 0) {
          std::lock_guard lock(mutex_);
          sinks[i]->append(buffer, static_cast<std::size_t>(n));
        } else if (n == 0 || errno != EINTR) {
          ::close(fds[i].fd);
          fds[i].fd = -1;
          --open_fds;
        }
      }
    }
    for (auto& fd : fds)
      if (fd.fd >= 0) ::close(fd.fd);
    drained_ = true;
  }

  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point exited_at_;
  std::optional<int> exit_status_;
  std::thread drain_;
  std::atomic<bool> stop_drain_{false};
  std::atomic<bool> drained_{false};
  mutable std::mutex mutex_;
  std::string out_;
  std::string err_;
};

}  // namespace diary::test
