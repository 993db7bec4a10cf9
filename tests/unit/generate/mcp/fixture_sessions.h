// Test helper for the reader and offline tests: committed session fixtures (real codex 0.169.0
// rollouts under tests/fixtures/codex and tests/fixtures/reader, the Claude Code files under
// tests/fixtures/claude) as workspace-fixture sessions, with the turn spans prepare's own scanner
// finds in them (so every test reads turns exactly as `diary prepare` indexes them).
// Header-only; used from one test thread.
#pragma once

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "generate/prepare/session_scan.h"
#include "support/scratch_dir.h"
#include "support/workspace_fixture.h"

namespace diary::test {

inline std::filesystem::path reader_fixtures_dir() { return std::filesystem::path(DIARY_TEST_SOURCE_DIR) / "tests" / "fixtures"; }

// The single .jsonl file of a fixture folder ("codex/alpha") or the file itself.
inline std::filesystem::path fixture_session_file(const std::string& relative) {
  const auto path = reader_fixtures_dir() / relative;
  if (std::filesystem::is_regular_file(path)) return path;
  for (const auto& entry : std::filesystem::directory_iterator(path))
    if (entry.path().extension() == ".jsonl") return entry.path();
  ADD_FAILURE() << "no session file in " << path;
  return path;
}

// The file's lines split on '\n' (the fixtures end with one).
inline std::vector<std::string> fixture_lines(const std::filesystem::path& file) {
  std::vector<std::string> lines;
  std::istringstream in(read_file(file));
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// A FixtureSession holding the fixture's lines and the turns prepare finds in them.
inline FixtureSession fixture_session(const std::string& session_ref, const std::string& relative) {
  const auto file = fixture_session_file(relative);
  const bool claude = relative.starts_with("claude");
  FixtureSession session;
  session.session_ref = session_ref;
  session.source = claude ? "claude-code" : "codex";
  session.file_name = file.filename().string();
  session.lines = fixture_lines(file);
  auto scanned = generate::prepare::scan_session_file(
      claude ? generate::prepare::SessionSource::claude_code : generate::prepare::SessionSource::codex, file, {});
  EXPECT_TRUE(scanned.has_value());
  if (scanned) {
    std::size_t number = 0;
    for (const auto& turn : scanned->turns)
      session.turns.push_back({fmt::format("T{:04}", ++number), turn.start_line, turn.end_line});
  }
  return session;
}

}  // namespace diary::test
