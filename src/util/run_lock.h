// An exclusive claim on a piece of work across processes: flock(LOCK_EX | LOCK_NB) on a lock
// file that records the holder's pid. The kernel drops the lock when the holder exits, however
// it exits (SIGKILL included), so a stale file never blocks anyone; the pid inside is only
// there to tell the loser who holds it. Move-only; release by destruction. Thread-safe (one
// open file description per RunLock).
#pragma once

#include <sys/types.h>

#include <expected>
#include <filesystem>
#include <optional>
#include <string>

namespace diary::util {

struct RunLockBusy {
  std::optional<pid_t> holder;  // the pid recorded by the holder, when readable
  std::string message;          // for errors: "held by pid N" / "cannot open ...: ..."
  bool io_error = false;        // the lock file could not be created or opened at all
};

class RunLock {
 public:
  // Creates the parent directories and the file if needed; fails when another process (or
  // another RunLock of this one) holds it.
  static std::expected<RunLock, RunLockBusy> try_acquire(const std::filesystem::path& path);

  RunLock(RunLock&& other) noexcept;
  RunLock& operator=(RunLock&& other) noexcept;
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;
  ~RunLock();

  const std::filesystem::path& path() const { return path_; }

 private:
  RunLock(int fd, std::filesystem::path path) : fd_(fd), path_(std::move(path)) {}
  int fd_ = -1;
  std::filesystem::path path_;
};

}  // namespace diary::util
