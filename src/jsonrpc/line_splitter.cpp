#include "jsonrpc/line_splitter.h"

#include <algorithm>

#include <cstring>

namespace diary::jsonrpc {

char* LineSplitter::prepare(std::size_t size) {
  if (buffer_.size() < size_ + size) {
    // Geometric growth keeps a 64 MiB line at O(n) total copying.
    buffer_.resize(std::max(size_ + size, buffer_.size() * 2));
  }
  return buffer_.data() + size_;
}

bool LineSplitter::commit(std::size_t bytes, const std::function<void(std::string_view)>& on_line) {
  size_ += bytes;
  std::size_t line_start = 0;
  while (scanned_ < size_) {
    const void* hit = std::memchr(buffer_.data() + scanned_, '\n', size_ - scanned_);
    if (hit == nullptr) {
      scanned_ = size_;
      break;
    }
    std::size_t end = static_cast<const char*>(hit) - buffer_.data();
    std::string_view line(buffer_.data() + line_start, end - line_start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    on_line(line);
    line_start = end + 1;
    scanned_ = line_start;
  }
  if (line_start > 0) {
    std::memmove(buffer_.data(), buffer_.data() + line_start, size_ - line_start);
    size_ -= line_start;
    scanned_ -= line_start;
  }
  return size_ <= max_line_bytes_;
}

bool LineSplitter::feed(std::string_view bytes, const std::function<void(std::string_view)>& on_line) {
  std::memcpy(prepare(bytes.size()), bytes.data(), bytes.size());
  return commit(bytes.size(), on_line);
}

}  // namespace diary::jsonrpc
