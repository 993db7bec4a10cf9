// process_guard: a session is swept whole (re-parented and signal-ignoring members included),
// and the watchdog sweeps the registered sessions of a process that was SIGKILLed.
#include "util/process_guard.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>

namespace diary::util {
namespace {

using namespace std::chrono_literals;

bool alive(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat;
  if (!std::getline(in, stat)) return false;
  const auto close = stat.rfind(')');
  return close != std::string::npos && close + 2 < stat.size() && stat[close + 2] != 'Z';
}

bool gone_within(pid_t pid, std::chrono::milliseconds bound) {
  const auto deadline = std::chrono::steady_clock::now() + bound;
  while (alive(pid)) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

// Forks a session leader whose child ignores every polite signal; both pids go to `pids_fd`.
pid_t start_session(int pids_fd) {
  const pid_t leader = ::fork();
  if (leader != 0) return leader;
  // Like an exec'd child (close-on-exec): hold none of the parent's descriptors, the watchdog's
  // pipe above all.
  for (int fd = 3; fd < 1024; ++fd)
    if (fd != pids_fd) ::close(fd);
  ::setsid();
  const pid_t child = ::fork();
  if (child == 0) {
    for (int signo : {SIGHUP, SIGINT, SIGTERM, SIGQUIT}) ::signal(signo, SIG_IGN);
    ::setpgid(0, 0);  // its own group, like an MCP server codex starts: only the session binds it
    for (;;) ::pause();
  }
  const pid_t pids[2] = {::getpid(), child};
  [[maybe_unused]] auto n = ::write(pids_fd, pids, sizeof pids);
  for (;;) ::pause();
}

TEST(ProcessGuard, KillSessionKillsEveryMemberEvenInAnotherGroup) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t leader = start_session(fds[1]);
  pid_t pids[2] = {};
  ASSERT_EQ(::read(fds[0], pids, sizeof pids), static_cast<ssize_t>(sizeof pids));
  EXPECT_GE(kill_session(leader), 2);
  int status = 0;
  ::waitpid(leader, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status));
  EXPECT_TRUE(gone_within(pids[1], 2s)) << "the member in its own process group survived";
  EXPECT_EQ(kill_session(leader), 0);
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST(ProcessGuard, TheWatchdogSweepsTheSessionsOfAKilledProcess) {
  // A stand-in for diary: installs the guard, starts a guarded session, then waits to be
  // SIGKILLed. The session's members must not outlive it.
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t owner = ::fork();
  ASSERT_GE(owner, 0);
  if (owner == 0) {
    if (!install_process_guard()) ::_exit(3);
    const pid_t leader = start_session(fds[1]);
    guard_session(leader);
    for (;;) ::pause();
  }
  pid_t pids[2] = {};
  ASSERT_EQ(::read(fds[0], pids, sizeof pids), static_cast<ssize_t>(sizeof pids));
  std::this_thread::sleep_for(50ms);  // the registration line reached the watchdog
  ::kill(owner, SIGKILL);
  int status = 0;
  ::waitpid(owner, &status, 0);
  EXPECT_TRUE(gone_within(pids[0], 2s)) << "session leader " << pids[0] << " outlived its owner";
  EXPECT_TRUE(gone_within(pids[1], 2s)) << "session member " << pids[1] << " outlived its owner";
  ::close(fds[0]);
  ::close(fds[1]);
}

}  // namespace
}  // namespace diary::util
