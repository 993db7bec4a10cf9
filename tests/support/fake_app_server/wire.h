// Line-level I/O of the fake app-server: JSONL on stdin/stdout, free-form logs on stderr.
// Each outgoing line is written whole with write(2) so that huge lines are never interleaved.
// Single-threaded: used only from the fake's event loop.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace diary::test::fake {

// Writes `message` as one line on stdout. Exits the process quietly when the peer is gone.
void send_json(const nlohmann::json& message);
// Writes `line` plus '\n' on stdout as-is (used for deliberately broken output).
void send_raw_line(std::string line);
// Writes `text` to stderr; errors are ignored (a closed stderr must not kill the server).
void write_stderr(std::string_view text);

// Appends every received line to a file, flushed per line, so tests can assert what was sent.
class ReceivedLog {
 public:
  explicit ReceivedLog(const std::string& path);
  ~ReceivedLog();
  ReceivedLog(const ReceivedLog&) = delete;
  ReceivedLog& operator=(const ReceivedLog&) = delete;
  void append(std::string_view line);

 private:
  int fd_ = -1;
};

// Splits bytes read from a file descriptor into lines without a length limit.
class LineReader {
 public:
  explicit LineReader(int fd) : fd_(fd) {}
  // Reads once (call only after poll() reported the fd readable) and appends complete lines
  // (without '\n' or a trailing '\r') to `lines`. Returns false at end of file.
  bool read_some(std::vector<std::string>& lines);

 private:
  int fd_;
  std::string buffer_;
  std::size_t scanned_ = 0;  // bytes of buffer_ already known to contain no '\n'
};

}  // namespace diary::test::fake
