// Reads one session file once, line by line, and returns what preparation needs: identity,
// project cwd, exclusion facts, every turn with its trigger time, and diagnostic counts.
// Malformed, untimestamped and overlong lines are counted, never fatal. Thread-safe (no shared
// state); callers may scan different files in parallel.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "agent/error.h"
#include "generate/prepare/line_reader.h"
#include "generate/prepare/source_discovery.h"
#include "generate/prepare/turn_builder.h"

namespace diary::generate::prepare {

struct LineCounts {
  std::size_t total = 0;
  std::size_t malformed = 0;      // not a JSON object
  std::size_t untimestamped = 0;  // a record without a usable top-level timestamp
  std::size_t oversized = 0;      // longer than the reader's cap; treated as agent output
  friend bool operator==(const LineCounts&, const LineCounts&) = default;
};

struct ScannedSession {
  SessionSource source = SessionSource::codex;
  std::filesystem::path path;
  std::string session_id;  // Codex session_meta.id / Claude Code file stem; else the file stem
  std::optional<std::string> cwd;
  std::optional<std::string> originator;
  std::optional<std::string> forked_from_id;
  bool subagent = false;
  bool stopped_early = false;  // reading ended once the session was known to be excluded
  std::vector<TurnSpan> turns;
  LineCounts lines;
  std::uint64_t bytes = 0;  // bytes read; a copy takes exactly these
};

struct ScanOptions {
  std::size_t max_line_bytes = LineReader::default_max_line_bytes;
  // Originators whose sessions are excluded (diary's own generation sessions); compared
  // ignoring case. Reading stops as soon as one is seen.
  std::vector<std::string> excluded_originators;
};

agent::Result<ScannedSession> scan_session_file(SessionSource source, const std::filesystem::path& path,
                                                const ScanOptions& options);

bool is_excluded_originator(const ScanOptions& options, const std::optional<std::string>& originator);

}  // namespace diary::generate::prepare
