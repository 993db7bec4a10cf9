#include "util/process_guard.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstddef>
#include <cstdlib>
#include <cstring>

namespace diary::util {

namespace {

constexpr std::size_t max_sessions = 256;

constexpr std::size_t token_length = 16;  // hex digits of 64 random bits

struct Registry {
  std::array<pid_t, max_sessions> sessions{};
  std::size_t count = 0;
  int pipe_fd = -1;  // write end to the watchdog; -1 = not installed
  pid_t watchdog = -1;
  char token[token_length + 1] = {};  // this process's marker value; empty until first use
};

Registry& registry() {
  static Registry instance;
  return instance;
}

// Our marker token, made on first use (before the watchdog is forked, so it knows it too):
// 64 random bits, so no unrelated process carries it by chance.
const char* marker_token() {
  Registry& reg = registry();
  if (reg.token[0] != '\0') return reg.token;
  unsigned char bytes[token_length / 2] = {};
  if (::getrandom(bytes, sizeof bytes, 0) != static_cast<ssize_t>(sizeof bytes)) {
    // No entropy source (very old kernel): pid and time still differ between live processes.
    timespec now{};
    ::clock_gettime(CLOCK_REALTIME, &now);
    const unsigned long long mixed = (static_cast<unsigned long long>(::getpid()) << 40) ^
                                     static_cast<unsigned long long>(now.tv_sec) * 1'000'000'007ULL ^
                                     static_cast<unsigned long long>(now.tv_nsec);
    std::memcpy(bytes, &mixed, sizeof bytes);
  }
  constexpr char hex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < sizeof bytes; ++i) {
    reg.token[2 * i] = hex[bytes[i] >> 4];
    reg.token[2 * i + 1] = hex[bytes[i] & 0xf];
  }
  reg.token[token_length] = '\0';
  return reg.token;
}

void add(std::array<pid_t, max_sessions>& sessions, std::size_t& count, pid_t session) {
  for (std::size_t i = 0; i < count; ++i)
    if (sessions[i] == session) return;
  if (count < sessions.size()) sessions[count++] = session;
}

void remove(std::array<pid_t, max_sessions>& sessions, std::size_t& count, pid_t session) {
  for (std::size_t i = 0; i < count; ++i) {
    if (sessions[i] != session) continue;
    sessions[i] = sessions[--count];
    return;
  }
}

// Decimal text of `value` into `out` (no allocation); returns the length.
std::size_t format_number(long value, char* out) {
  char digits[24];
  std::size_t n = 0;
  bool negative = value < 0;
  unsigned long rest = negative ? static_cast<unsigned long>(-value) : static_cast<unsigned long>(value);
  do {
    digits[n++] = static_cast<char>('0' + rest % 10);
    rest /= 10;
  } while (rest != 0);
  std::size_t length = 0;
  if (negative) out[length++] = '-';
  while (n > 0) out[length++] = digits[--n];
  return length;
}

bool parse_number(const char* text, std::size_t length, long& value) {
  if (length == 0) return false;
  value = 0;
  for (std::size_t i = 0; i < length; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    value = value * 10 + (text[i] - '0');
  }
  return true;
}

struct StatFields {
  char state = '?';
  long ppid = 0;
  long session = 0;
};

// The state, parent and session of `pid` from /proc/<pid>/stat ("pid (comm) state ppid pgrp session ...").
bool read_stat(long pid, StatFields& out) {
  char path[48] = "/proc/";
  std::size_t length = 6 + format_number(pid, path + 6);
  std::memcpy(path + length, "/stat", 6);
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char buffer[512];
  const ssize_t n = ::read(fd, buffer, sizeof buffer - 1);
  ::close(fd);
  if (n <= 0) return false;
  buffer[n] = '\0';
  const char* close_paren = nullptr;
  for (ssize_t i = n - 1; i >= 0; --i)
    if (buffer[i] == ')') {
      close_paren = buffer + i;
      break;
    }
  if (close_paren == nullptr) return false;
  // After ") ": state, ppid, pgrp, session.
  const char* p = close_paren + 1;
  const char* end = buffer + n;
  const char* fields[4] = {};
  std::size_t lengths[4] = {};
  for (int field = 0; field < 4; ++field) {
    while (p < end && *p == ' ') ++p;
    fields[field] = p;
    while (p < end && *p != ' ') ++p;
    lengths[field] = static_cast<std::size_t>(p - fields[field]);
  }
  if (lengths[0] == 0) return false;
  out.state = fields[0][0];
  return parse_number(fields[1], lengths[1], out.ppid) && parse_number(fields[3], lengths[3], out.session);
}

struct LinuxDirent64 {
  ino64_t d_ino;
  off64_t d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  // d_name (NUL-terminated) follows d_type; a flexible array member is C only, not C++.
};
constexpr std::size_t dirent_name_offset = offsetof(LinuxDirent64, d_type) + 1;
static_assert(dirent_name_offset == 19, "struct linux_dirent64: d_name at offset 19");

// One pass over /proc: `visit(pid, fields)` for every process but the caller; stops early when
// it returns false. No allocation (async-signal-safe).
template <class Visit>
void for_each_process(Visit&& visit) {
  const int dir = ::open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return;
  const pid_t self = ::getpid();
  alignas(LinuxDirent64) char buffer[8192];
  for (;;) {
    const long n = ::syscall(SYS_getdents64, dir, buffer, sizeof buffer);
    if (n <= 0) break;
    for (long offset = 0; offset < n;) {
      const auto* entry = reinterpret_cast<const LinuxDirent64*>(buffer + offset);
      offset += entry->d_reclen;
      long pid = 0;
      const char* name = reinterpret_cast<const char*>(entry) + dirent_name_offset;
      if (!parse_number(name, std::strlen(name), pid) || pid == self) continue;
      StatFields fields;
      if (read_stat(pid, fields)) visit(static_cast<pid_t>(pid), fields);
    }
  }
  ::close(dir);
}

// True when `value` (a marker variable's value: tokens joined by ':') holds `token`.
bool value_holds_token(const char* value, std::size_t length, const char* token) {
  const std::size_t token_size = std::strlen(token);
  for (std::size_t start = 0; start <= length;) {
    std::size_t end = start;
    while (end < length && value[end] != ':') ++end;
    if (end - start == token_size && std::memcmp(value + start, token, token_size) == 0) return true;
    start = end + 1;
  }
  return false;
}

// True when the environment `pid` was exec'd with (/proc/<pid>/environ) carries `token` in the
// marker variable. Streams the file (environments may be large); no allocation. Unreadable
// (another user's process, gone) = not ours.
bool carries_token(long pid, const char* token) {
  char path[48] = "/proc/";
  std::size_t length = 6 + format_number(pid, path + 6);
  std::memcpy(path + length, "/environ", 9);
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  constexpr std::size_t name_length = sizeof process_marker_variable - 1;
  // The current entry's first bytes: the name, '=', and enough of the value for every token of
  // a deep nesting of diaries (longer values are cut; their last tokens are then not seen).
  char entry[1024];
  std::size_t used = 0;
  bool found = false;
  char buffer[4096];
  auto entry_is_ours = [&] {
    return used > name_length && std::memcmp(entry, process_marker_variable, name_length) == 0 && entry[name_length] == '=' &&
           value_holds_token(entry + name_length + 1, used - name_length - 1, token);
  };
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    for (ssize_t i = 0; i < n && !found; ++i) {
      if (buffer[i] != '\0') {
        if (used < sizeof entry) entry[used++] = buffer[i];
        continue;
      }
      found = entry_is_ours();
      used = 0;
    }
    if (found) break;
  }
  ::close(fd);
  return found || entry_is_ours();  // the last entry may lack its NUL
}

// What a sweep kills: members of `sessions`, and (with a token) processes that carry it.
struct Targets {
  const pid_t* sessions = nullptr;
  std::size_t session_count = 0;
  const char* token = nullptr;  // nullptr: sessions only

  bool match(pid_t pid, const StatFields& fields) const {
    for (std::size_t i = 0; i < session_count; ++i)
      if (fields.session == sessions[i]) return true;
    return token != nullptr && carries_token(pid, token);
  }
};

// One pass: SIGKILL to every live process of `targets`. Returns the kills sent.
int kill_pass(const Targets& targets) {
  int kills = 0;
  for_each_process([&](pid_t pid, const StatFields& fields) {
    if (fields.state == 'Z' || fields.state == 'X') return;  // zombies are dead
    if (targets.match(pid, fields) && ::kill(pid, SIGKILL) == 0) ++kills;
  });
  return kills;
}

void pause_ms(long ms) {
  timespec delay{0, ms * 1'000'000L};
  while (::nanosleep(&delay, &delay) != 0 && errno == EINTR) {}
}

long monotonic_ms() {
  timespec now{};
  ::clock_gettime(CLOCK_MONOTONIC, &now);
  return now.tv_sec * 1000L + now.tv_nsec / 1'000'000L;
}

// Passes of kill_pass() until one finds nothing (a process may fork while it is being killed)
// or `budget_ms` passed. Returns the kills sent.
int sweep(const Targets& targets, long budget_ms) {
  const long deadline = monotonic_ms() + budget_ms;
  int total = 0;
  for (;;) {
    const int kills = kill_pass(targets);
    total += kills;
    if (kills == 0 || monotonic_ms() >= deadline) break;
    pause_ms(10);
  }
  return total;
}

void send_line(char sign, pid_t session) {
  const int fd = registry().pipe_fd;
  if (fd < 0) return;
  char line[32];
  line[0] = sign;
  std::size_t length = 1 + format_number(session, line + 1);
  line[length++] = '\n';
  // Lines are far below PIPE_BUF: one write is atomic. A full pipe cannot happen in practice
  // (the watchdog reads at once); a failed write only loses the post-mortem sweep.
  while (::write(fd, line, length) < 0 && errno == EINTR) {}
}

// The watchdog's whole life: collect registrations until EOF, then sweep and exit.
[[noreturn]] void watchdog(int read_fd) {
  for (int signo : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE}) ::signal(signo, SIG_IGN);
  // Hold nothing of the parent's open: a pipe reader (`diary list | head`) must see EOF when
  // diary exits, not when the watchdog does.
  const int null_fd = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  for (int fd = 0; fd < 3; ++fd)
    if (null_fd >= 0) ::dup2(null_fd, fd);
  if (read_fd != 3) {
    ::dup2(read_fd, 3);
    read_fd = 3;
  }
#ifdef SYS_close_range
  if (::syscall(SYS_close_range, 4U, ~0U, 0U) != 0)
#endif
  {
    const long max_fd = ::sysconf(_SC_OPEN_MAX);
    for (long fd = 4; fd < (max_fd > 0 && max_fd < 65536 ? max_fd : 65536); ++fd) ::close(static_cast<int>(fd));
  }

  std::array<pid_t, max_sessions> sessions{};
  std::size_t count = 0;
  char buffer[4096];
  char line[32];
  std::size_t line_length = 0;
  for (;;) {
    const ssize_t n = ::read(read_fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // our parent is gone (or closed the pipe on purpose)
    for (ssize_t i = 0; i < n; ++i) {
      if (buffer[i] != '\n') {
        if (line_length < sizeof line) line[line_length++] = buffer[i];
        continue;
      }
      long session = 0;
      if (line_length > 1 && parse_number(line + 1, line_length - 1, session) && session > 0) {
        if (line[0] == '+') add(sessions, count, static_cast<pid_t>(session));
        if (line[0] == '-') remove(sessions, count, static_cast<pid_t>(session));
      }
      line_length = 0;
    }
  }
  // One sweep for everything at once, bounded: the registered sessions, and whatever carries
  // our marker although it left them (bubblewrap's --new-session) and was re-parented to init.
  sweep(Targets{sessions.data(), count, registry().token}, 1500);
  ::_exit(0);
}

}  // namespace

bool install_process_guard() {
  Registry& reg = registry();
  if (reg.pipe_fd >= 0) return true;
  marker_token();  // before the fork: the watchdog sweeps by it
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return false;
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    return false;
  }
  if (pid == 0) {
    ::close(fds[1]);
    watchdog(fds[0]);
  }
  ::close(fds[0]);
  reg.pipe_fd = fds[1];
  reg.watchdog = pid;
  for (std::size_t i = 0; i < reg.count; ++i) send_line('+', reg.sessions[i]);
  return true;
}

bool process_guard_installed() { return registry().pipe_fd >= 0; }

void guard_session(pid_t session) {
  if (session <= 0) return;
  Registry& reg = registry();
  add(reg.sessions, reg.count, session);
  send_line('+', session);
}

void release_session(pid_t session) {
  if (session <= 0) return;
  Registry& reg = registry();
  remove(reg.sessions, reg.count, session);
  send_line('-', session);
}

int kill_session(pid_t session) {
  if (session <= 1) return 0;
  return sweep(Targets{&session, 1, nullptr}, 500);
}

std::string process_marker_entry() {
  std::string value;
  if (const char* inherited = std::getenv(process_marker_variable); inherited != nullptr && *inherited != '\0')
    value = std::string(inherited) + ":";
  return std::string(process_marker_variable) + "=" + value + marker_token();
}

void add_process_marker(std::vector<std::string>& environment) {
  const std::string prefix = std::string(process_marker_variable) + "=";
  std::erase_if(environment, [&](const std::string& entry) { return entry.starts_with(prefix); });
  environment.push_back(process_marker_entry());
}

int kill_marked_processes() { return sweep(Targets{nullptr, 0, marker_token()}, 500); }

void kill_guarded_sessions() {
  const Registry& reg = registry();
  sweep(Targets{reg.sessions.data(), reg.count, marker_token()}, 1000);
}

void become_subreaper() { ::prctl(PR_SET_CHILD_SUBREAPER, 1); }

int kill_adopted_children() {
  const pid_t self = ::getpid();
  const pid_t own_session = ::getsid(0);
  const pid_t watchdog = registry().watchdog;
  int total = 0;
  for (int pass = 0; pass < 50; ++pass) {
    int kills = 0;
    for_each_process([&](pid_t pid, const StatFields& fields) {
      if (fields.ppid != self || pid == watchdog) return;
      if (fields.state != 'Z' && fields.state != 'X') {
        // A session of its own (it called setsid) goes whole; never ours, never init's.
        if (fields.session == pid && fields.session != own_session) kills += kill_session(pid);
        if (::kill(pid, SIGKILL) == 0) ++kills;
      }
      int status = 0;
      ::waitpid(pid, &status, WNOHANG);  // adopted zombies are ours to reap
    });
    total += kills;
    if (kills == 0) break;
    pause_ms(10);
  }
  // Reap what died during the last pass.
  for_each_process([&](pid_t pid, const StatFields& fields) {
    if (fields.ppid == self && pid != watchdog) {
      int status = 0;
      ::waitpid(pid, &status, WNOHANG);
    }
  });
  return total;
}

}  // namespace diary::util
