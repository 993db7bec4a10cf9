#include "wire.h"

#include <cerrno>
#include <cstdlib>

#include <fcntl.h>
#include <unistd.h>

namespace diary::test::fake {

namespace {

// Returns false when the descriptor is unusable (EPIPE, EBADF, ...).
bool write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

void send_raw_line(std::string line) {
  line.push_back('\n');
  // The client closed our stdout: nobody can hear us any more, so leave like the real server.
  if (!write_all(STDOUT_FILENO, line.data(), line.size())) std::_Exit(0);
}

void send_json(const nlohmann::json& message) {
  // Replace invalid UTF-8 instead of throwing: tests may send arbitrary bytes.
  send_raw_line(message.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void write_stderr(std::string_view text) { write_all(STDERR_FILENO, text.data(), text.size()); }

ReceivedLog::ReceivedLog(const std::string& path) {
  if (!path.empty()) fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (!path.empty() && fd_ < 0) write_stderr("fake_app_server: cannot open log file " + path + "\n");
}

ReceivedLog::~ReceivedLog() {
  if (fd_ >= 0) ::close(fd_);
}

void ReceivedLog::append(std::string_view line) {
  if (fd_ < 0) return;
  std::string copy(line);
  copy.push_back('\n');
  write_all(fd_, copy.data(), copy.size());  // O_APPEND + one write: no torn lines for readers
}

bool LineReader::read_some(std::vector<std::string>& lines) {
  constexpr std::size_t chunk = 1 << 20;
  std::size_t old_size = buffer_.size();
  buffer_.resize(old_size + chunk);
  ssize_t n;
  do {
    n = ::read(fd_, buffer_.data() + old_size, chunk);
  } while (n < 0 && errno == EINTR);
  buffer_.resize(old_size + (n > 0 ? static_cast<std::size_t>(n) : 0));
  if (n <= 0) return false;

  std::size_t start = 0;
  for (std::size_t newline; (newline = buffer_.find('\n', scanned_)) != std::string::npos;) {
    std::size_t end = newline;
    if (end > start && buffer_[end - 1] == '\r') --end;
    lines.emplace_back(buffer_, start, end - start);
    start = newline + 1;
    scanned_ = start;
  }
  buffer_.erase(0, start);
  scanned_ = buffer_.size();
  return true;
}

}  // namespace diary::test::fake
