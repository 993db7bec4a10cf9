#include "util/text_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <algorithm>

namespace diary::util {

namespace {

const char* file_kind(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a plain file";
}

class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

}  // namespace

std::string format_size(std::uintmax_t bytes) {
  constexpr std::uintmax_t kib = 1024, mib = kib * 1024, gib = mib * 1024;
  auto scaled = [](std::uintmax_t value, std::uintmax_t unit, const char* name) {
    char buffer[64];
    if (value % unit == 0) std::snprintf(buffer, sizeof buffer, "%ju %s", value / unit, name);
    else std::snprintf(buffer, sizeof buffer, "%.1f %s", static_cast<double>(value) / static_cast<double>(unit), name);
    return std::string(buffer);
  };
  if (bytes >= gib) return scaled(bytes, gib, "GiB");
  if (bytes >= mib) return scaled(bytes, mib, "MiB");
  if (bytes >= kib) return scaled(bytes, kib, "KiB");
  return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
}

TextFileResult read_text_file(const std::filesystem::path& path, std::uintmax_t max_bytes) {
  const std::string shown = path.string();
  // O_NONBLOCK: opening a FIFO must not wait for a writer (for regular files it changes nothing).
  Descriptor fd(::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
  if (fd.get() < 0) return std::unexpected("cannot read " + shown + ": " + std::strerror(errno));
  struct stat status {};
  if (::fstat(fd.get(), &status) != 0) return std::unexpected("cannot stat " + shown + ": " + std::strerror(errno));
  if (!S_ISREG(status.st_mode)) return std::unexpected(shown + " is not a regular file (" + file_kind(status.st_mode) + ")");
  const auto size = static_cast<std::uintmax_t>(status.st_size);
  auto too_large = [&](std::uintmax_t seen) {
    return std::unexpected(shown + " is larger than " + format_size(max_bytes) + " (" + format_size(seen) + ")");
  };
  if (size > max_bytes) return too_large(size);

  std::string content;
  // One byte more than fstat says, so that the usual read ends on EOF without growing.
  content.resize(static_cast<std::size_t>(std::min<std::uintmax_t>(size + 1, max_bytes + 1)));
  std::size_t used = 0;
  // The file may grow while it is read: never past the cap (one byte more proves "too large").
  for (;;) {
    if (used == content.size()) {
      if (content.size() > max_bytes) return too_large(content.size());
      content.resize(
          static_cast<std::size_t>(std::min<std::uintmax_t>(max_bytes + 1, std::max<std::uintmax_t>(content.size() * 2, 4096))));
    }
    const ssize_t n = ::read(fd.get(), content.data() + used, content.size() - used);
    if (n < 0) {
      if (errno == EINTR) continue;
      return std::unexpected("cannot read " + shown + ": " + std::strerror(errno));
    }
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
  }
  if (used > max_bytes) return too_large(used);
  content.resize(used);
  return content;
}

}  // namespace diary::util
