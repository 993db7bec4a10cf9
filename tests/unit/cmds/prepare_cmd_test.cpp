// Runs the built `diary` binary (DIARY_BIN) for prepare / list / inspect: exit codes, the
// one-line summary, --json, and error lines. Every run has a 60 s deadline (timeout(1)) and a
// hermetic environment: HOME, sources and reports root all live in the test's scratch folder.
#include <sys/wait.h>

#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include <date/tz.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/scratch_dir.h"
#include "unit/generate/prepare/fixture_install.h"

namespace {

namespace fs = std::filesystem;
using diary::test::read_file;

struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string quote(const std::string& text) { return "'" + diary::test::replace_all(text, "'", "'\\''") + "'"; }

class DiaryCli : public ::testing::Test {
 protected:
  diary::test::ScratchDir scratch;
  fs::path fixture_root = scratch / "fx";
  fs::path reports = fixture_root / "reports";
  std::map<std::string, std::string> env;

  void SetUp() override {
    diary::test::install_fixture("codex", scratch / "codex", fixture_root);
    diary::test::install_fixture("claude/projects", scratch / "claude", fixture_root);
    fs::create_directories(scratch / "home");
    env = {{"PATH", "/usr/bin:/bin"},
           {"HOME", (scratch / "home").string()},
           {"DIARY_CODEX_SESSIONS", (scratch / "codex").string()},
           {"DIARY_CLAUDE_PROJECTS", (scratch / "claude").string()}};
  }

  CliRun cli(const std::vector<std::string>& args) {
    std::string command = "timeout 60 env -i";
    for (const auto& [key, value] : env) command += " " + quote(key + "=" + value);
    command += " " + quote(DIARY_BIN);
    for (const auto& arg : args) command += " " + quote(arg);
    command += " >" + quote((scratch / "stdout").string()) + " 2>" + quote((scratch / "stderr").string());
    const int status = std::system(command.c_str());
    CliRun run;
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    run.out = read_file(scratch / "stdout");
    run.err = read_file(scratch / "stderr");
    return run;
  }

  std::vector<std::string> on(std::string date, std::vector<std::string> more = {}) {
    std::vector<std::string> args = {"prepare", "--date", date, "--timezone", "UTC", "--reports-root", reports.string()};
    args.insert(args.end(), more.begin(), more.end());
    return args;
  }
};

TEST_F(DiaryCli, PrepareSummaryThenLeftAlone) {
  auto first = cli(on("2026-11-20"));
  EXPECT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.out, "Prepared workspace " + (reports / "work" / "2026-11-20").string() +
                           " with 5 project(s), 6 session(s), 10 turn(s).\n");
  EXPECT_EQ(first.err, "");

  auto second = cli(on("2026-11-20"));
  EXPECT_EQ(second.exit_code, 0);
  EXPECT_NE(second.out.find("already exists"), std::string::npos) << second.out;

  auto json = cli(on("2026-11-20", {"--json"}));
  EXPECT_EQ(json.exit_code, 0);
  auto parsed = nlohmann::json::parse(json.out);
  EXPECT_EQ(parsed["created"], false);
  EXPECT_EQ(parsed["turns"], 10);

  auto forced = cli(on("2026-11-20", {"--force", "-q"}));
  EXPECT_EQ(forced.exit_code, 0);
  EXPECT_EQ(forced.out, "");
}

TEST_F(DiaryCli, BadInputExitsWith2AndOneErrorLine) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  for (const auto& c : std::vector<Case>{
           {on("2999-01-01"), "is in the future"},
           {on("2026-02-30"), "invalid date '2026-02-30'"},
           {{"prepare", "--date", "2026-11-20", "--today", "--reports-root", reports.string()}, "excludes"},
           {{"prepare", "--timezone", "Mars/Base", "--reports-root", reports.string()}, "unknown time zone 'Mars/Base'"},
       }) {
    auto run = cli(c.args);
    EXPECT_EQ(run.exit_code, 2) << c.message;
    EXPECT_TRUE(run.err.starts_with("error: ")) << run.err;
    EXPECT_NE(run.err.find(c.message), std::string::npos) << run.err;
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
  }
  EXPECT_FALSE(fs::exists(reports / "work"));
}

TEST_F(DiaryCli, WorkspaceForAnotherZoneNamesForce) {
  ASSERT_EQ(cli(on("2026-11-20")).exit_code, 0);
  auto run = cli({"prepare", "--date", "2026-11-20", "--timezone", "Asia/Tokyo", "--reports-root", reports.string()});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("--force"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("Asia/Tokyo"), std::string::npos) << run.err;
}

TEST_F(DiaryCli, EnvironmentDecidesZoneAndRoot) {
  env["DIARY_HOME"] = reports.string();
  env["DIARY_TIMEZONE"] = "Asia/Tokyo";
  env["TZ"] = "UTC";
  auto run = cli({"prepare", "--date", "2026-11-20", "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto parsed = nlohmann::json::parse(run.out);
  EXPECT_EQ(parsed["timezone"], "Asia/Tokyo");
  EXPECT_EQ(parsed["workspace"], (reports / "work" / "2026-11-20").string());

  env.erase("DIARY_TIMEZONE");
  env["TZ"] = ":/etc/localtime";  // skipped
  env["DIARY_TIMEZONE"] = "Nowhere/Town";
  auto bad = cli({"prepare", "--date", "2026-11-19"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("DIARY_TIMEZONE"), std::string::npos) << bad.err;
}

TEST_F(DiaryCli, DefaultsToYesterdayAndTodayIsPartial) {
  const auto today = date::year_month_day{date::floor<date::days>(std::chrono::system_clock::now())};
  const auto yesterday = date::year_month_day{date::sys_days{today} - date::days{1}};
  auto run = cli({"prepare", "--timezone", "UTC", "--reports-root", reports.string(), "--json"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto parsed = nlohmann::json::parse(run.out);
  EXPECT_EQ(parsed["report_date"], date::format("%F", yesterday));
  EXPECT_EQ(parsed["status"], "final");

  auto now = cli({"prepare", "--today", "--timezone", "UTC", "--reports-root", reports.string(), "--json"});
  ASSERT_EQ(now.exit_code, 0) << now.err;
  EXPECT_EQ(nlohmann::json::parse(now.out)["status"], "partial");
}

TEST_F(DiaryCli, ConflictingDuplicatesAbortWithoutWriting) {
  const auto beta = diary::test::only_session_in(scratch / "codex" / "beta");
  diary::test::write_file(scratch / "codex" / "archive" / beta.filename(), read_file(beta) + "{}\n");
  auto run = cli(on("2026-11-20"));
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("conflicting copies of codex session"), std::string::npos) << run.err;
  EXPECT_FALSE(fs::exists(reports / "work" / "2026-11-20"));
}

TEST_F(DiaryCli, ListAndInspect) {
  auto empty = cli({"list", "--reports-root", reports.string()});
  EXPECT_EQ(empty.exit_code, 0);
  EXPECT_NE(empty.out.find("No prepared days"), std::string::npos);

  ASSERT_EQ(cli(on("2026-11-20")).exit_code, 0);
  ASSERT_EQ(cli(on("2026-05-12")).exit_code, 0);
  auto list = cli({"list", "--reports-root", reports.string()});
  EXPECT_EQ(list.exit_code, 0);
  // The codex fixtures were recorded on 2026-11-20: that day is "partial" while it is today.
  const bool fixture_day_is_today = date::year_month_day{date::floor<date::days>(std::chrono::system_clock::now())} ==
                                    date::year_month_day{date::year{2026}, date::month{11}, date::day{20}};
  // One table: columns as wide as their widest cell.
  const std::string status = fixture_day_is_today ? "partial" : "final";
  const std::string final_cell = fixture_day_is_today ? "final  " : "final";
  EXPECT_TRUE(list.out.starts_with("2026-11-20  " + status + "  5 project(s), 6 session(s), 10 turn(s)  UTC\n")) << list.out;
  EXPECT_NE(list.out.find("\n2026-05-12  " + final_cell + "  1 project(s), 1 session(s), 1 turn(s)   UTC\n"), std::string::npos)
      << list.out;

  auto list_json = cli({"list", "--reports-root", reports.string(), "--json"});
  auto listed = nlohmann::json::parse(list_json.out);
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0]["report_date"], "2026-11-20");

  auto inspect = cli({"inspect", "--date", "2026-05-12", "--timezone", "UTC", "--reports-root", reports.string()});
  EXPECT_EQ(inspect.exit_code, 0) << inspect.err;
  EXPECT_NE(inspect.out.find("1 project(s), 1 session(s), 1 turn(s)"), std::string::npos) << inspect.out;
  EXPECT_NE(inspect.out.find("lines 8-19"), std::string::npos) << inspect.out;
  EXPECT_NE(inspect.out.find("evidence missing"), std::string::npos) << inspect.out;

  auto inspect_json = cli({"inspect", "--date", "2026-11-20", "--reports-root", reports.string(), "--json"});
  EXPECT_EQ(inspect_json.exit_code, 0);
  EXPECT_EQ(nlohmann::json::parse(inspect_json.out)["project_details"].size(), 5u);

  auto missing = cli({"inspect", "--date", "2026-01-01", "--reports-root", reports.string()});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("diary prepare --date 2026-01-01"), std::string::npos) << missing.err;
}

}  // namespace
