// process_guard: a session is swept whole (re-parented and signal-ignoring members included),
// the watchdog sweeps the registered sessions of a process that was SIGKILLed, and after that
// SIGKILL it also finds, by the environment marker, what left every session and went to init.
#include "util/process_guard.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
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

// Forks `sleep 60` in a session of its own (as bubblewrap's --new-session does, registered
// nowhere) whose whole environment is `entry`; returns its pid.
pid_t start_detached(const std::string& entry) {
  std::string copy = entry;
  char* envp[] = {copy.data(), nullptr};
  char arg0[] = "sleep", arg1[] = "60";
  char* argv[] = {arg0, arg1, nullptr};
  const pid_t pid = ::fork();
  if (pid == 0) {
    for (int fd = 3; fd < 1024; ++fd) ::close(fd);
    ::setsid();
    ::execve("/bin/sleep", argv, envp);
    ::_exit(127);
  }
  return pid;
}

TEST(ProcessGuard, TheMarkerNamesOurTokenAfterAnInheritedOne) {
  ::setenv(process_marker_variable, "outer", 1);
  const std::string nested = process_marker_entry();
  ::unsetenv(process_marker_variable);
  const std::string own = process_marker_entry();
  const std::string prefix = std::string(process_marker_variable) + "=";
  ASSERT_TRUE(own.starts_with(prefix)) << own;
  EXPECT_EQ(own.size(), prefix.size() + 16) << own;
  EXPECT_EQ(nested, prefix + "outer:" + own.substr(prefix.size()));
  std::vector<std::string> environment{"PATH=/bin", prefix + "stale", "HOME=/"};
  add_process_marker(environment);
  EXPECT_EQ(environment, (std::vector<std::string>{"PATH=/bin", "HOME=/", own}));
}

TEST(ProcessGuard, TheWatchdogKillsMarkedProcessesThatLeftEverySessionAndNothingElse) {
  // The stand-in for diary sends its marker entry, then starts a marked process that leaves
  // its session and is re-parented to init when the stand-in dies: only the marker finds it.
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t owner = ::fork();
  ASSERT_GE(owner, 0);
  if (owner == 0) {
    if (!install_process_guard()) ::_exit(3);
    char entry[128] = {};
    std::strncpy(entry, process_marker_entry().c_str(), sizeof entry - 1);
    const pid_t marked = start_detached(entry);
    [[maybe_unused]] auto a = ::write(fds[1], entry, sizeof entry);
    [[maybe_unused]] auto b = ::write(fds[1], &marked, sizeof marked);
    for (;;) ::pause();
  }
  char entry[128] = {};
  pid_t marked = 0;
  ASSERT_EQ(::read(fds[0], entry, sizeof entry), static_cast<ssize_t>(sizeof entry));
  ASSERT_EQ(::read(fds[0], &marked, sizeof marked), static_cast<ssize_t>(sizeof marked));
  const std::string token = std::string(entry).substr(std::strlen(process_marker_variable) + 1);
  // Below a nested diary (our token after another): ours too. A token that only starts like
  // ours, or another diary's: not ours.
  const pid_t nested = start_detached(std::string(process_marker_variable) + "=0123456789abcdef:" + token);
  const pid_t longer = start_detached(std::string(entry) + "0");
  const pid_t other = start_detached(std::string(process_marker_variable) + "=0123456789abcdef");
  std::this_thread::sleep_for(50ms);
  ASSERT_TRUE(alive(marked));
  const auto killed = std::chrono::steady_clock::now();
  ::kill(owner, SIGKILL);
  int status = 0;
  ::waitpid(owner, &status, 0);
  EXPECT_TRUE(gone_within(marked, 2s)) << "marked process " << marked << " outlived its owner";
  EXPECT_TRUE(gone_within(nested, 2s)) << "process below a nested diary outlived the outer one";
  EXPECT_LT(std::chrono::steady_clock::now() - killed, 2s);
  std::this_thread::sleep_for(100ms);
  EXPECT_TRUE(alive(longer)) << "a different token was swept";
  EXPECT_TRUE(alive(other)) << "another diary's process was swept";
  for (pid_t pid : {nested, longer, other}) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
  }
  ::kill(marked, SIGKILL);  // re-parented to init (or a subreaper): not ours to reap
  ::close(fds[0]);
  ::close(fds[1]);
}

}  // namespace
}  // namespace diary::util
