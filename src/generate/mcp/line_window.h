// Walks a line range of a session file, numbered by prepare's LineReader (mapped: the reader only
// memchr's past the lines before the range, which are never copied or parsed), handing every line
// of the range to a visitor together with its physical neighbours (a Codex echo is recognised from
// them, also across the range's edges). Shared by the session reader and the offline extractor.
// Stateless; thread-safe (each call maps the file on its own).
#pragma once

#include <cstddef>
#include <filesystem>
#include <functional>
#include <string_view>

#include "agent/error.h"
#include "generate/mcp/session_compaction.h"

namespace diary::generate::mcp {

struct VisitedLine {
  std::size_t number = 0;
  std::string_view text;   // without '\n'; valid during the call
  bool truncated = false;  // longer than the cap: `text` is its beginning
  Neighbours neighbours;
};

// Visits lines first..last in order until `visit` returns false, then keeps counting lines until
// `count_to` lines were seen. Returns how many lines were counted: every line of the file when it
// has fewer than max(count_to, last + 1), else at least that many.
agent::Result<std::size_t> visit_lines(const std::filesystem::path& file, std::size_t first, std::size_t last,
                                       std::size_t count_to, std::size_t max_line_bytes,
                                       const std::function<bool(const VisitedLine&)>& visit);

}  // namespace diary::generate::mcp
