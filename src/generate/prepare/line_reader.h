// Reads a file line by line: THE line numbering of session files ('\n'-separated, a final
// unterminated line counts). Streamed (default): through a fixed buffer, so no session file is
// ever loaded whole; a line longer than the cap is consumed but only its first `max_line_bytes`
// bytes are kept (and it is flagged), bounding memory even for a pathological one-line file.
// Mapped: the file is mmap'ed read-only and lines are views into the mapping (no copy out of
// the page cache), for readers that seek to a line far into a big file; the same lines, caps
// and flags. A mapped file must not be truncated while it is read (the copies in a prepared
// workspace never are). One reader per file; not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "agent/error.h"

namespace diary::generate::prepare {

struct Line {
  std::string_view text;   // without the trailing '\n'; valid until the next call to next()
  bool truncated = false;  // longer than the cap; `text` holds only the beginning
};

enum class LineAccess { streamed, mapped };

class LineReader {
 public:
  // Real records reach a few MiB (tool output, pasted images); 16 MiB keeps every plausible
  // trigger intact while bounding memory per reader.
  static constexpr std::size_t default_max_line_bytes = 16u << 20;

  static agent::Result<LineReader> open(const std::filesystem::path& path, std::size_t max_line_bytes = default_max_line_bytes,
                                        LineAccess access = LineAccess::streamed);
  LineReader(LineReader&& other) noexcept;
  LineReader& operator=(LineReader&&) = delete;
  LineReader(const LineReader&) = delete;
  ~LineReader();

  // The next line, or an empty optional at end of file. A final line without '\n' still counts.
  // Streamed lines are valid until the next call; mapped lines as long as the reader.
  agent::Result<std::optional<Line>> next();

  // Bytes of the file consumed so far (all of it once next() returned end of file).
  std::uint64_t bytes_consumed() const { return consumed_; }

 private:
  LineReader(int fd, std::filesystem::path path, std::size_t max_line_bytes, bool mapped);
  agent::Result<bool> refill();  // false at end of file
  std::optional<Line> next_mapped();

  int fd_ = -1;
  std::filesystem::path path_;
  std::size_t max_line_bytes_;
  std::string buffer_;
  std::size_t begin_ = 0;  // unread bytes are buffer_[begin_, end_)
  std::size_t end_ = 0;
  std::string carry_;  // a line that straddles buffer refills
  bool carry_truncated_ = false;
  bool eof_ = false;
  std::uint64_t consumed_ = 0;
  const char* map_ = nullptr;  // mapped access: the whole file
  std::size_t map_size_ = 0;
  bool mapped_ = false;
};

}  // namespace diary::generate::prepare
