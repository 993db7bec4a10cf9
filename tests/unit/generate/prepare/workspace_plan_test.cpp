#include "generate/prepare/workspace_plan.h"

#include <gtest/gtest.h>

#include "support/scratch_dir.h"

namespace {

using namespace diary::generate::prepare;
using diary::agent::ErrorKind;

ReportTarget day(std::string date = "2026-05-12") {
  return *resolve_report_target({date, false, "UTC"}, *parse_timestamp("2026-06-01T00:00:00Z"));
}

ScannedSession session(std::string id, std::string cwd, std::vector<std::string> trigger_times,
                       SessionSource source = SessionSource::codex) {
  ScannedSession s;
  s.source = source;
  s.session_id = id;
  s.path = "/src/" + std::string(to_string(source)) + "/rollout-" + id + ".jsonl";
  s.cwd = cwd;
  std::size_t line = 1;
  for (const auto& time : trigger_times) {
    s.turns.push_back({line, line + 1, parse_timestamp(time)});
    line += 2;
  }
  s.lines.total = line - 1;
  s.bytes = 100;
  return s;
}

ScanOutcome ok(ScannedSession s) {
  auto source = s.source;
  auto path = s.path;
  return {source, path, std::move(s)};
}

PlanOptions options(ChecksumFunction checksum = nullptr) {
  PlanOptions o;
  o.reports_root = "/reports";
  o.scan.excluded_originators = {"diary"};
  o.checksum = checksum ? checksum : [](const std::filesystem::path&, std::uint64_t) -> diary::agent::Result<std::string> {
    return std::string("same");
  };
  return o;
}

TEST(PlanWorkspace, KeepsOnlyTurnsTriggeredInTheWindowAndNumbersThem) {
  std::vector<ScanOutcome> scans;
  scans.push_back(ok(
      session("a", "/p/one", {"2026-05-11T23:59:59Z", "2026-05-12T00:00:00Z", "2026-05-12T12:00:00Z", "2026-05-13T00:00:00Z"})));
  auto plan = plan_workspace(std::move(scans), day(), options());
  ASSERT_TRUE(plan) << plan.error().message;
  ASSERT_EQ(plan->projects.size(), 1u);
  const auto& s = plan->projects[0].sessions.at(0);
  EXPECT_EQ(s.ref, "S0001");
  EXPECT_EQ(s.turns, (std::vector<PlannedTurn>{{"T0001", 3, 4}, {"T0002", 5, 6}}));
  EXPECT_EQ(s.session_path(), "sessions/codex/rollout-a.jsonl");
  EXPECT_EQ(plan->turn_count(), 2u);
}

TEST(PlanWorkspace, ExclusionsAreRecordedWithTheirReason) {
  std::vector<ScanOutcome> scans;
  auto child = session("child", "/p/one", {"2026-05-12T01:00:00Z"});
  child.subagent = true;
  auto own = session("own", "/p/one", {"2026-05-12T01:00:00Z"});
  own.originator = "Diary";
  auto inside = session("inside", "/reports/work/2026-05-12", {"2026-05-12T01:00:00Z"});
  auto quiet = session("quiet", "/p/one", {"2026-05-10T01:00:00Z"});
  for (auto* s : {&child, &own, &inside, &quiet}) scans.push_back(ok(*s));
  scans.push_back({SessionSource::codex, "/src/broken.jsonl", diary::agent::fail(ErrorKind::io, "cannot open")});
  auto plan = plan_workspace(std::move(scans), day(), options());
  ASSERT_TRUE(plan);
  EXPECT_TRUE(plan->projects.empty());
  std::map<std::string, std::string> reasons;
  for (const auto& skipped : plan->skipped) reasons[skipped.path.filename().string()] = std::string(to_string(skipped.reason));
  EXPECT_EQ(reasons, (std::map<std::string, std::string>{{"broken.jsonl", "unreadable"},
                                                         {"rollout-child.jsonl", "subagent"},
                                                         {"rollout-own.jsonl", "own_session"},
                                                         {"rollout-inside.jsonl", "inside_reports_root"},
                                                         {"rollout-quiet.jsonl", "no_turns_in_window"}}));
  EXPECT_EQ(plan->files_scanned, 5u);
}

TEST(PlanWorkspace, ProjectsAndSessionsAreOrderedDeterministically) {
  std::vector<ScanOutcome> scans;
  scans.push_back(ok(session("zeta", "/p/beta", {"2026-05-12T01:00:00Z"})));
  scans.push_back(ok(session("b", "/p/alpha", {"2026-05-12T02:00:00Z"}, SessionSource::claude_code)));
  scans.push_back(ok(session("a", "/p/alpha", {"2026-05-12T03:00:00Z"})));
  scans.push_back(ok(session("c", "/p/alpha", {"2026-05-12T04:00:00Z"})));
  auto plan = plan_workspace(std::move(scans), day(), options());
  ASSERT_TRUE(plan);
  ASSERT_EQ(plan->projects.size(), 2u);
  EXPECT_EQ(plan->projects[0].identity.label, "alpha");
  EXPECT_EQ(plan->projects[1].identity.label, "beta");
  std::vector<std::string> order;
  for (const auto& s : plan->projects[0].sessions) order.push_back(s.ref + ":" + s.source_session_id);
  // claude-code sorts before codex by source name, then by session id.
  EXPECT_EQ(order, (std::vector<std::string>{"S0001:b", "S0002:a", "S0003:c"}));
}

TEST(PlanWorkspace, IdenticalDuplicatesAreKeptOnceUnderTheSmallestPath) {
  std::vector<ScanOutcome> scans;
  auto first = session("dup", "/p/one", {"2026-05-12T01:00:00Z"});
  auto second = first;
  first.path = "/src/b/rollout-dup.jsonl";
  second.path = "/src/a/rollout-dup.jsonl";
  scans.push_back(ok(first));
  scans.push_back(ok(second));
  auto plan = plan_workspace(std::move(scans), day(), options());
  ASSERT_TRUE(plan) << plan.error().message;
  ASSERT_EQ(plan->session_count(), 1u);
  const auto& kept = plan->projects[0].sessions[0];
  EXPECT_EQ(kept.source_path, "/src/a/rollout-dup.jsonl");
  EXPECT_EQ(kept.duplicate_paths, (std::vector<std::filesystem::path>{"/src/b/rollout-dup.jsonl"}));
}

TEST(PlanWorkspace, ConflictingDuplicatesAbort) {
  auto first = session("dup", "/p/one", {"2026-05-12T01:00:00Z"});
  auto second = first;
  second.path = "/src/other/rollout-dup.jsonl";
  auto by_path = [](const std::filesystem::path& path, std::uint64_t) -> diary::agent::Result<std::string> {
    return path.string();
  };
  std::vector<ScanOutcome> scans;
  scans.push_back(ok(first));
  scans.push_back(ok(second));
  auto plan = plan_workspace(std::move(scans), day(), options(by_path));
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().kind, ErrorKind::invalid_input);
  EXPECT_NE(plan.error().message.find("conflicting copies of codex session dup"), std::string::npos);

  // Same bytes but a different project is a conflict too.
  auto moved = first;
  moved.path = "/src/moved/rollout-dup.jsonl";
  moved.cwd = "/p/two";
  std::vector<ScanOutcome> again;
  again.push_back(ok(first));
  again.push_back(ok(moved));
  EXPECT_FALSE(plan_workspace(std::move(again), day(), options()));
}

TEST(PlanWorkspace, TwoSessionsCopiedToTheSameFileAbort) {
  auto first = session("one", "/p/one", {"2026-05-12T01:00:00Z"});
  auto second = session("two", "/p/one", {"2026-05-12T02:00:00Z"});
  first.path = "/src/x/same.jsonl";
  second.path = "/src/y/same.jsonl";
  std::vector<ScanOutcome> scans;
  scans.push_back(ok(first));
  scans.push_back(ok(second));
  auto plan = plan_workspace(std::move(scans), day(), options());
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().kind, ErrorKind::invalid_input);
}

TEST(FileSha256, HashesOnlyTheRequestedPrefix) {
  diary::test::ScratchDir scratch;
  diary::test::write_file(scratch / "f", "abcdef");
  EXPECT_EQ(*file_sha256(scratch / "f", 3), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_FALSE(file_sha256(scratch / "f", 100));
}

TEST(MakeRef, FourDigits) {
  EXPECT_EQ(make_ref('S', 1), "S0001");
  EXPECT_EQ(make_ref('T', 12), "T0012");
  EXPECT_EQ(make_ref('T', 12345), "T12345");
}

}  // namespace
