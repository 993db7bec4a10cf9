#include "util/atomic_file.h"

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>

#include <fcntl.h>
#include <unistd.h>

namespace diary::util {

namespace fs = std::filesystem;

namespace {

std::unexpected<std::string> failure(const std::string& what, const fs::path& path, int error_number) {
  return std::unexpected(what + " " + path.string() + ": " + std::strerror(error_number));
}

}  // namespace

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

fs::path temporary_sibling(const fs::path& target) {
  static std::atomic<unsigned> counter{0};
  thread_local std::mt19937 random{std::random_device{}()};
  char suffix[64];
  std::snprintf(suffix, sizeof suffix, ".tmp-%ld-%u-%08x", static_cast<long>(::getpid()), counter++,
                static_cast<unsigned>(random()));
  return target.parent_path() / ("." + target.filename().string() + suffix);
}

void remove_abandoned_temporaries(const fs::path& target) {
  const std::string prefix = "." + target.filename().string() + ".tmp-";
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(target.parent_path(), error)) {
    const std::string name = entry.path().filename().string();
    if (!name.starts_with(prefix)) continue;
    const long pid = std::strtol(name.c_str() + prefix.size(), nullptr, 10);
    if (pid <= 0 || pid == ::getpid() || ::kill(static_cast<pid_t>(pid), 0) == 0 || errno != ESRCH) continue;
    std::error_code ignored;
    fs::remove_all(entry.path(), ignored);
  }
}

IoResult sync_directory(const fs::path& directory) {
  const fs::path shown = directory.empty() ? fs::path(".") : directory;
  const int fd = ::open(shown.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return failure("cannot open", shown, errno);
  const bool synced = ::fsync(fd) == 0 || errno == EINVAL;  // some file systems cannot sync folders
  const int saved = errno;
  ::close(fd);
  if (!synced) return failure("cannot sync", shown, saved);
  return {};
}

std::expected<AtomicFile, std::string> AtomicFile::create(const fs::path& target) {
  std::error_code error;
  if (!target.parent_path().empty()) fs::create_directories(target.parent_path(), error);
  if (error) return std::unexpected("cannot create " + target.parent_path().string() + ": " + error.message());
  fs::path temporary = temporary_sibling(target);
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return failure("cannot create", temporary, errno);
  return AtomicFile(target, std::move(temporary), fd);
}

AtomicFile::AtomicFile(fs::path target, fs::path temporary, int fd)
    : target_(std::move(target)), temporary_(std::move(temporary)), fd_(fd) {}

AtomicFile::AtomicFile(AtomicFile&& other) noexcept
    : target_(std::move(other.target_)), temporary_(std::move(other.temporary_)), fd_(other.fd_), committed_(other.committed_) {
  other.fd_ = -1;
  other.committed_ = true;  // the moved-from object owns no temporary
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_ && !temporary_.empty()) ::unlink(temporary_.c_str());
}

IoResult AtomicFile::write(std::string_view data) {
  if (fd_ < 0) return std::unexpected("cannot write " + target_.string() + ": already committed");
  if (!write_all(fd_, data)) return failure("cannot write", temporary_, errno);
  return {};
}

IoResult AtomicFile::commit() {
  if (fd_ < 0) return std::unexpected("cannot commit " + target_.string() + ": already committed");
  const bool synced = ::fsync(fd_) == 0;
  const int saved = errno;
  const bool closed = ::close(fd_) == 0;
  const int close_error = errno;
  fd_ = -1;
  if (!synced) return failure("cannot write", temporary_, saved);
  if (!closed) return failure("cannot write", temporary_, close_error);
  if (::rename(temporary_.c_str(), target_.c_str()) != 0) return failure("cannot replace", target_, errno);
  committed_ = true;
  return sync_directory(target_.parent_path());
}

IoResult write_file_atomically(const fs::path& target, std::string_view text) {
  auto file = AtomicFile::create(target);
  if (!file) return std::unexpected(file.error());
  if (auto written = file->write(text); !written) return written;
  return file->commit();
}

IoResult replace_directory(const fs::path& built, const fs::path& target, bool replace) {
  if (::rename(built.c_str(), target.c_str()) == 0) return sync_directory(target.parent_path());
  const int first_error = errno;
  if (!replace || (first_error != EEXIST && first_error != ENOTEMPTY))
    return std::unexpected("cannot move " + built.string() + " to " + target.string() + ": " + std::strerror(first_error));
#ifdef RENAME_EXCHANGE
  if (::renameat2(AT_FDCWD, built.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) == 0)
    return sync_directory(target.parent_path());
#endif
  // No atomic exchange (old kernel or file system): move the old one aside first, then back
  // into `built` so that the caller deletes it as it would after an exchange.
  const auto aside = temporary_sibling(target);
  if (::rename(target.c_str(), aside.c_str()) != 0) return failure("cannot move aside", target, errno);
  if (::rename(built.c_str(), target.c_str()) != 0) {
    const int error = errno;
    ::rename(aside.c_str(), target.c_str());
    return std::unexpected("cannot move " + built.string() + " to " + target.string() + ": " + std::strerror(error));
  }
  if (::rename(aside.c_str(), built.c_str()) != 0) {
    std::error_code ignored;
    fs::remove_all(aside, ignored);
  }
  return sync_directory(target.parent_path());
}

}  // namespace diary::util
