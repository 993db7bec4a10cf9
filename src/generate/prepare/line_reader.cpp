#include "generate/prepare/line_reader.h"

#include <cerrno>
#include <cstring>
#include <utility>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace diary::generate::prepare {

namespace {
constexpr std::size_t buffer_bytes = 1u << 20;
}

agent::Result<LineReader> LineReader::open(const std::filesystem::path& path, std::size_t max_line_bytes, LineAccess access) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return agent::fail(agent::ErrorKind::io, "cannot open " + path.string() + ": " + std::strerror(errno));
  // Sequential one-pass reads: let the kernel read ahead generously.
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  LineReader reader(fd, path, max_line_bytes, access == LineAccess::mapped);
  if (access == LineAccess::streamed) return reader;
  struct stat info {};
  if (::fstat(fd, &info) != 0)
    return agent::fail(agent::ErrorKind::io, "cannot stat " + path.string() + ": " + std::strerror(errno));
  reader.map_size_ = static_cast<std::size_t>(info.st_size);
  if (reader.map_size_ == 0) return reader;  // nothing to map: at end of file at once
  void* map = ::mmap(nullptr, reader.map_size_, PROT_READ, MAP_PRIVATE, fd, 0);
  if (map == MAP_FAILED) return agent::fail(agent::ErrorKind::io, "cannot map " + path.string() + ": " + std::strerror(errno));
  ::madvise(map, reader.map_size_, MADV_SEQUENTIAL);
  reader.map_ = static_cast<const char*>(map);
  return reader;
}

LineReader::LineReader(int fd, std::filesystem::path path, std::size_t max_line_bytes, bool mapped)
    : fd_(fd), path_(std::move(path)), max_line_bytes_(max_line_bytes), mapped_(mapped) {
  if (!mapped) buffer_.resize(buffer_bytes);  // mapped access reads the mapping itself
}

LineReader::LineReader(LineReader&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      path_(std::move(other.path_)),
      max_line_bytes_(other.max_line_bytes_),
      buffer_(std::move(other.buffer_)),
      begin_(other.begin_),
      end_(other.end_),
      carry_(std::move(other.carry_)),
      carry_truncated_(other.carry_truncated_),
      eof_(other.eof_),
      consumed_(other.consumed_),
      map_(std::exchange(other.map_, nullptr)),
      map_size_(other.map_size_),
      mapped_(other.mapped_) {}

LineReader::~LineReader() {
  if (map_ != nullptr) ::munmap(const_cast<char*>(map_), map_size_);
  if (fd_ >= 0) ::close(fd_);
}

std::optional<Line> LineReader::next_mapped() {
  if (consumed_ >= map_size_) return std::nullopt;
  const char* start = map_ + consumed_;
  const std::size_t available = map_size_ - consumed_;
  const auto* newline = static_cast<const char*>(std::memchr(start, '\n', available));
  const std::size_t piece = newline ? static_cast<std::size_t>(newline - start) : available;
  consumed_ += piece + (newline ? 1 : 0);
  const bool truncated = piece > max_line_bytes_;
  return Line{std::string_view(start, truncated ? max_line_bytes_ : piece), truncated};
}

agent::Result<bool> LineReader::refill() {
  begin_ = end_ = 0;
  while (true) {
    ssize_t got = ::read(fd_, buffer_.data(), buffer_.size());
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return agent::fail(agent::ErrorKind::io, "cannot read " + path_.string() + ": " + std::strerror(errno));
    end_ = static_cast<std::size_t>(got);
    return got > 0;
  }
}

agent::Result<std::optional<Line>> LineReader::next() {
  if (mapped_) return next_mapped();
  // Give back the memory of an exceptionally long previous line instead of keeping it.
  if (carry_.capacity() > buffer_bytes) std::string().swap(carry_);
  carry_.clear();
  carry_truncated_ = false;
  bool have_partial = false;
  while (true) {
    if (begin_ == end_) {
      if (eof_) break;
      auto more = refill();
      if (!more) return std::unexpected(more.error());
      if (!*more) {
        eof_ = true;
        break;
      }
    }
    const char* start = buffer_.data() + begin_;
    const std::size_t available = end_ - begin_;
    const auto* newline = static_cast<const char*>(std::memchr(start, '\n', available));
    const std::size_t piece = newline ? static_cast<std::size_t>(newline - start) : available;
    consumed_ += piece + (newline ? 1 : 0);
    begin_ += piece + (newline ? 1 : 0);
    if (newline && !have_partial) {
      // The common case: the whole line sits in the buffer, no copy.
      bool truncated = piece > max_line_bytes_;
      return Line{std::string_view(start, truncated ? max_line_bytes_ : piece), truncated};
    }
    have_partial = true;
    const std::size_t room = max_line_bytes_ - std::min(max_line_bytes_, carry_.size());
    if (piece > room) carry_truncated_ = true;
    carry_.append(start, std::min(piece, room));
    if (newline) return Line{carry_, carry_truncated_};
  }
  if (have_partial) return Line{carry_, carry_truncated_};
  return std::optional<Line>{};
}

}  // namespace diary::generate::prepare
