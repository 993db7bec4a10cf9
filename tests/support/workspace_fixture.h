// Builds small prepared workspaces for tests, exactly in the layout `diary prepare` writes
// (metadata.json, projects/<pk>/{project.json, sessions.index.jsonl, sessions/<source>/<file>}),
// from session lines given in the test. Turn spans are given explicitly so a test says what it
// means. Not thread-safe; one builder per test.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace diary::test {

struct FixtureTurn {
  std::string turn_ref;  // T0001
  std::size_t start_line = 0;
  std::size_t end_line = 0;
};

struct FixtureSession {
  std::string session_ref;  // S0001
  std::string source = "codex";
  std::string file_name;           // default: rollout-<session_ref>.jsonl
  std::vector<std::string> lines;  // written joined by "\n", with a trailing newline
  std::vector<FixtureTurn> turns;
};

struct FixtureProject {
  std::string project_key;  // e.g. alpha-0123456789ab
  std::string project_label;
  std::vector<FixtureSession> sessions;
};

struct FixtureDay {
  std::string date = "2026-11-30";
  std::string timezone = "UTC";
  std::string status = "final";
  std::vector<FixtureProject> projects;
};

// Writes `day` as <reports_root>/work/<date>/ and returns that workspace path.
std::filesystem::path write_fixture_workspace(const std::filesystem::path& reports_root, const FixtureDay& day);

// Codex rollout lines for tests (real 0.169.0 shapes, shortened): a user prompt, an assistant
// message, a shell call and its output.
std::string codex_user_line(const std::string& text, const std::string& timestamp = "2026-11-30T10:00:00.000Z");
std::string codex_assistant_line(const std::string& text, const std::string& timestamp = "2026-11-30T10:00:05.000Z");
std::string codex_shell_call_line(const std::string& command, const std::string& call_id = "call_1");
std::string codex_shell_output_line(const std::string& output, int exit_code, const std::string& call_id = "call_1");

// A ready-made day: project "alpha" with one codex session of two turns (S0001: T0001 lines 1-4,
// T0002 lines 5-8) and project "beta" with one session of one turn. The lines are real-shaped
// codex records (user prompt, shell call, output, assistant answer).
FixtureDay two_project_day();

}  // namespace diary::test
