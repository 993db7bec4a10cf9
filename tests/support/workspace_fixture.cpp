#include "support/workspace_fixture.h"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace diary::test {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

namespace {

void write_text(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string pretty(const ordered_json& value) { return value.dump(2) + "\n"; }

}  // namespace

fs::path write_fixture_workspace(const fs::path& reports_root, const FixtureDay& day) {
  const fs::path workspace = reports_root / "work" / day.date;
  fs::create_directories(workspace);
  // The window prepare would compute for a UTC day, so `diary generate` reuses the workspace.
  int y = 0;
  unsigned m = 0, d = 0;
  std::sscanf(day.date.c_str(), "%d-%u-%u", &y, &m, &d);
  const std::chrono::sys_days next =
      std::chrono::sys_days(std::chrono::year_month_day(std::chrono::year(y), std::chrono::month(m), std::chrono::day(d))) +
      std::chrono::days(1);
  const std::chrono::year_month_day next_day(next);
  char next_date[16];
  std::snprintf(next_date, sizeof next_date, "%04d-%02u-%02u", static_cast<int>(next_day.year()),
                static_cast<unsigned>(next_day.month()), static_cast<unsigned>(next_day.day()));
  ordered_json metadata = {
      {"schema_version", 1},
      {"report_date", day.date},
      {"timezone", day.timezone},
      {"status", day.status},
      {"prepared_at", day.date + "T23:59:00Z"},
      {"report_window_local", {{"start", day.date + "T00:00:00+00:00"}, {"end", std::string(next_date) + "T00:00:00+00:00"}}},
      {"report_window_utc", {{"start", day.date + "T00:00:00Z"}, {"end", std::string(next_date) + "T00:00:00Z"}}},
  };
  write_text(workspace / "metadata.json", pretty(metadata));
  for (const auto& project : day.projects) {
    const fs::path folder = workspace / "projects" / project.project_key;
    write_text(folder / "project.json",
               pretty({{"schema_version", 1}, {"project_key", project.project_key}, {"project_label", project.project_label}}));
    std::string index;
    for (const auto& session : project.sessions) {
      const std::string name = session.file_name.empty() ? "rollout-" + session.session_ref + ".jsonl" : session.file_name;
      const std::string relative = "sessions/" + session.source + "/" + name;
      std::string body;
      for (const auto& line : session.lines) body += line + "\n";
      write_text(folder / relative, body);
      ordered_json turns = ordered_json::array();
      for (const auto& turn : session.turns)
        turns.push_back({{"turn_ref", turn.turn_ref}, {"turn_start_line", turn.start_line}, {"turn_end_line", turn.end_line}});
      const std::size_t first = session.turns.empty() ? 0 : session.turns.front().start_line;
      const std::size_t last = session.turns.empty() ? 0 : session.turns.back().end_line;
      ordered_json row = {{"session_ref", session.session_ref},
                          {"source", session.source},
                          {"source_session_id", "id-" + session.session_ref},
                          {"session_path", relative},
                          {"target_start_line", first},
                          {"target_end_line", last},
                          {"turns", turns}};
      index += row.dump() + "\n";
    }
    write_text(folder / "sessions.index.jsonl", index);
  }
  return workspace;
}

std::string codex_user_line(const std::string& text, const std::string& timestamp) {
  ordered_json line = {
      {"timestamp", timestamp},
      {"type", "response_item"},
      {"payload", {{"type", "message"}, {"role", "user"}, {"content", {{{"type", "input_text"}, {"text", text}}}}}}};
  return line.dump();
}

std::string codex_assistant_line(const std::string& text, const std::string& timestamp) {
  ordered_json line = {
      {"timestamp", timestamp},
      {"type", "response_item"},
      {"payload", {{"type", "message"}, {"role", "assistant"}, {"content", {{{"type", "output_text"}, {"text", text}}}}}}};
  return line.dump();
}

std::string codex_shell_call_line(const std::string& command, const std::string& call_id) {
  ordered_json arguments = {{"cmd", command}};
  ordered_json line = {
      {"timestamp", "2026-11-30T10:00:02.000Z"},
      {"type", "response_item"},
      {"payload", {{"type", "function_call"}, {"name", "exec_command"}, {"arguments", arguments.dump()}, {"call_id", call_id}}}};
  return line.dump();
}

std::string codex_shell_output_line(const std::string& output, int exit_code, const std::string& call_id) {
  const std::string text = "Process exited with code " + std::to_string(exit_code) + "\nOutput:\n" + output;
  ordered_json line = {{"timestamp", "2026-11-30T10:00:03.000Z"},
                       {"type", "response_item"},
                       {"payload", {{"type", "function_call_output"}, {"call_id", call_id}, {"output", text}}}};
  return line.dump();
}

FixtureDay two_project_day() {
  FixtureDay day;
  FixtureSession alpha{
      .session_ref = "S0001",
      .lines = {codex_user_line("Add a --verbose flag to the CLI"), codex_shell_call_line("grep -n verbose src/cli.cpp"),
                codex_shell_output_line("12: // TODO verbose", 0),
                codex_assistant_line("I added the --verbose flag in src/cli.cpp."),
                codex_user_line("Now run the tests", "2026-11-30T11:00:00.000Z"),
                codex_shell_call_line("ctest --output-on-failure", "call_2"),
                codex_shell_output_line("100% tests passed", 0, "call_2"),
                codex_assistant_line("All tests pass.", "2026-11-30T11:00:09.000Z")},
      .turns = {{"T0001", 1, 4}, {"T0002", 5, 8}}};
  FixtureSession beta{.session_ref = "S0001",
                      .lines = {codex_user_line("Why does the deploy script fail?"), codex_shell_call_line("bash deploy.sh"),
                                codex_shell_output_line("error: missing token", 1),
                                codex_assistant_line("The deploy fails because DEPLOY_TOKEN is unset.")},
                      .turns = {{"T0001", 1, 4}}};
  day.projects = {FixtureProject{"alpha-0123456789ab", "alpha", {alpha}}, FixtureProject{"beta-ba9876543210", "beta", {beta}}};
  return day;
}

}  // namespace diary::test
