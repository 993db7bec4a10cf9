// Sans-io JSONL framing: bytes in, complete lines out. Scans each byte once (no quadratic
// rescans of a growing multi-MiB line) and compacts the buffer once per feed, not per line.
// Used by the codex client's transport and by `diary mcp serve`. Not thread-safe; owned by one
// transport.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace diary::jsonrpc {

class LineSplitter {
 public:
  // Lines longer than max_line_bytes make feed() return false (the stream is unusable).
  explicit LineSplitter(std::size_t max_line_bytes = std::size_t{256} << 20) : max_line_bytes_(max_line_bytes) {}

  // Space to read into: append up to `size` bytes at the returned pointer, then commit(n).
  char* prepare(std::size_t size);
  // Hands every complete line (without '\n', trailing '\r' stripped) to on_line.
  bool commit(std::size_t bytes, const std::function<void(std::string_view)>& on_line);

  // Convenience for tests and in-memory transports.
  bool feed(std::string_view bytes, const std::function<void(std::string_view)>& on_line);

  std::size_t buffered() const { return size_; }

 private:
  std::size_t max_line_bytes_;
  std::string buffer_;
  std::size_t size_ = 0;     // bytes of buffer_ in use
  std::size_t scanned_ = 0;  // bytes of buffer_ already searched for '\n'
};

}  // namespace diary::jsonrpc
