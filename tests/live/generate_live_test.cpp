// Live tier: `diary generate --today` against a real, logged-in Codex and a real model, on a tiny
// fixture day; the report must come out finalized. Off by default (DIARY_LIVE=1); auth as in
// live_codex_test.cpp (OPENAI_API_KEY, or DIARY_LIVE_CODEX_HOME whose auth.json is copied into a
// scratch CODEX_HOME). Spends some tens of thousands of tokens.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "../e2e/spawned_process.h"
#include "support/scratch_dir.h"
#include "support/workspace_fixture.h"

namespace diary::test {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string today_utc() {
  const auto day = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  const std::chrono::year_month_day ymd(day);
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return text;
}

TEST(LiveGenerate, TodaysReportOfATinyDayIsFinalized) {
  const char* live = std::getenv("DIARY_LIVE");
  if (live == nullptr || std::string(live) != "1") GTEST_SKIP() << "live tests are off (set DIARY_LIVE=1)";
  ScratchDir scratch;
  const fs::path codex_home = scratch.path() / "codex-home";
  fs::create_directories(codex_home);
  fs::create_directories(scratch.path() / "home");
  if (const char* home = std::getenv("DIARY_LIVE_CODEX_HOME"); home != nullptr && *home != '\0')
    fs::copy_file(fs::path(home) / "auth.json", codex_home / "auth.json");
  else if (std::getenv("OPENAI_API_KEY") == nullptr)
    GTEST_SKIP() << "no credentials: set OPENAI_API_KEY or DIARY_LIVE_CODEX_HOME";

  FixtureDay day = two_project_day();
  day.date = today_utc();
  day.status = "partial";
  day.projects.pop_back();  // one project, two turns: enough to exercise every pass
  const fs::path ws = write_fixture_workspace(scratch.path() / "reports", day);

  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) {
    const std::string entry = *e;
    if (entry.rfind("CODEX_HOME=", 0) == 0 || entry.rfind("HOME=", 0) == 0) continue;
    env.push_back(entry);
  }
  env.push_back("CODEX_HOME=" + codex_home.string());
  env.push_back("HOME=" + (scratch.path() / "home").string());
  std::vector<std::string> argv{DIARY_BIN,
                                "generate",
                                "--today",
                                "--timezone",
                                "UTC",
                                "--reports-root",
                                (scratch.path() / "reports").string(),
                                "--codex-bin",
                                DIARY_TEST_CODEX_BIN,
                                "--json"};
  if (const char* model = std::getenv("DIARY_LIVE_MODEL"))
    argv.insert(argv.end(), {"-c", std::string("model=\"") + model + "\""});
  SpawnedProcess process(argv, scratch.path(), env);
  const auto code = process.wait(20min);
  ASSERT_TRUE(code.has_value()) << "diary generate did not finish in 20 minutes";
  EXPECT_EQ(*code, 0) << process.err();
  std::ifstream in(ws / "daily-report.json");
  const auto report = nlohmann::json::parse(in, nullptr, false);
  ASSERT_TRUE(report.is_object());
  EXPECT_FALSE(report["overall_confidence"].is_null());
  EXPECT_FALSE(report["report_title"].is_null());
  EXPECT_TRUE(fs::exists(ws / "report.html"));
}

}  // namespace
}  // namespace diary::test
