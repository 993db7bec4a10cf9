// One page of `read_session_lines`: the records of a line range of one session file, packed into
// at most 32 KiB of the returned JSON text ({"next_cursor":…,"records":[…]} as
// nlohmann::json::dump() writes it: compact, sorted keys, UTF-8). Whole records are packed while
// they fit; a record too large for an empty page is split losslessly into fragments
// {line, record_format, offset, total_chars, content} whose contents concatenate to the record
// (compact mode: its JSON text; full mode: the raw line), continued by next_cursor {line,
// offset} with `offset` in Unicode characters. Lines are numbered by prepare's LineReader (the
// one numbering: '\n'-separated, 1-based, a final unterminated line counts); lines before the
// page are skipped without being parsed. Invalid UTF-8 in a raw line is replaced by U+FFFD.
// Stateless; thread-safe (each call reads the file on its own).
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "agent/error.h"
#include "generate/artifacts/problem.h"

namespace diary::generate::mcp {

inline constexpr std::size_t max_page_bytes = 32 * 1024;
// A line longer than this is cut (and flagged): far above any real record, so fragments stay
// lossless in practice while one reader's memory stays bounded.
inline constexpr std::size_t session_line_cap = std::size_t{256} << 20;

enum class ReadMode { compact, full };

struct PageCursor {
  long long line = 0;
  long long offset = 0;
};

struct PageRequest {
  std::string source;  // the index row's source: codex | claude-code
  long long start_line = 0;
  long long end_line = 0;
  ReadMode mode = ReadMode::compact;
  std::optional<PageCursor> cursor;
};

// Either the page or the reason the range / cursor cannot be served. Problems come in the
// reference's order: start_line < 1, end_line < start_line, start past the end of the file, end
// past it, cursor outside [start, end] or offset < 0 (or past its record); only the first one is
// reported. Paths are JSON pointers into the tool arguments.
struct PageOutcome {
  std::optional<artifacts::Problem> problem;
  nlohmann::json page;  // {"next_cursor": {line, offset} | null, "records": [...]}
};

// io error only when the file cannot be read.
agent::Result<PageOutcome> read_session_page(const std::filesystem::path& file, const PageRequest& request);

inline constexpr const char* range_hint = "request a 1-based line range contained by the session";
inline constexpr const char* cursor_hint = "reuse next_cursor with the same project, session, range, and mode";

}  // namespace diary::generate::mcp
