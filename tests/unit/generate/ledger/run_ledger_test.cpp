#include "generate/ledger/run_ledger.h"

#include <algorithm>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>

#include "support/scratch_dir.h"

namespace diary::generate {
namespace {

std::vector<nlohmann::json> read_lines(const std::filesystem::path& path) {
  std::istringstream in(test::read_file(path));
  std::vector<nlohmann::json> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

TEST(RunLedger, RunIdsAreSortableUtcTimestampsWithASuffix) {
  using namespace std::chrono;
  const auto t = sys_days{year{2025} / 1 / 31} + hours(13) + minutes(5) + seconds(9) + milliseconds(42);
  EXPECT_EQ(make_run_id(t, 0xabcdef), "20250131T130509.042Z-abcdef");
  EXPECT_LT(make_run_id(t, 0xffffff), make_run_id(t + milliseconds(1), 0));
  EXPECT_EQ(utc_timestamp(t), "2025-01-31T13:05:09.042Z");
  EXPECT_TRUE(std::regex_match(make_run_id(), std::regex(R"(\d{8}T\d{6}\.\d{3}Z-[0-9a-f]{6})")));
  EXPECT_NE(make_run_id(), make_run_id());
}

TEST(RunLedger, AppendsOneFlushedLinePerEvent) {
  test::ScratchDir dir;
  auto ledger = RunLedger::open(dir.path(), "run-1");
  ASSERT_TRUE(ledger) << ledger.error().message;
  EXPECT_EQ((*ledger)->events_path(), dir / ".diary" / "runs" / "run-1" / "events.jsonl");
  (*ledger)->append("job_request", {{"name", "n"}, {"seq", "ignored: reserved"}});
  // Visible on disk at once, before the ledger is closed.
  auto lines = read_lines((*ledger)->events_path());
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["seq"], 1);
  EXPECT_EQ(lines[0]["event"], "job_request");
  EXPECT_EQ(lines[0]["name"], "n");
  EXPECT_TRUE(lines[0]["ts"].is_string());

  (*ledger)->append("note", "plain text");
  (*ledger)->append("bytes", {{"output", std::string("bad \xff utf8")}});
  lines = read_lines((*ledger)->events_path());
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1]["data"], "plain text");
  EXPECT_EQ(lines[2]["seq"], 3);
  EXPECT_FALSE((*ledger)->write_error());
}

TEST(RunLedger, RefusesToReuseARunDirectory) {
  test::ScratchDir dir;
  auto first = RunLedger::open(dir.path(), "same");
  ASSERT_TRUE(first);
  auto second = RunLedger::open(dir.path(), "same");
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().kind, agent::ErrorKind::io);
}

TEST(RunLedger, ReportsAnUncreatableDirectory) {
  test::ScratchDir dir;
  test::write_file(dir / ".diary", "a file, not a directory");
  auto ledger = RunLedger::open(dir.path(), "x");
  ASSERT_FALSE(ledger);
  EXPECT_EQ(ledger.error().kind, agent::ErrorKind::io);
}

TEST(RunLedger, ResultIsReplacedAtomically) {
  test::ScratchDir dir;
  auto ledger = RunLedger::open(dir.path(), "r");
  ASSERT_TRUE(ledger);
  ASSERT_TRUE((*ledger)->write_result({{"status", "incomplete"}}));
  ASSERT_TRUE((*ledger)->write_result({{"status", "complete"}}));
  EXPECT_EQ(nlohmann::json::parse(test::read_file((*ledger)->result_path()))["status"], "complete");
  std::vector<std::string> names;  // no temporary left beside them
  for (const auto& entry : std::filesystem::directory_iterator((*ledger)->directory()))
    names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"events.jsonl", "result.json"}));
}

TEST(RunLedger, DumpJsonReplacesInvalidUtf8) { EXPECT_NO_THROW(dump_json(nlohmann::json(std::string("\xc3")))); }

}  // namespace
}  // namespace diary::generate
