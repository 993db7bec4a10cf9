#include "generate/batch/batch_result.h"

#include <gtest/gtest.h>

namespace diary::generate {
namespace {

using namespace std::chrono_literals;

BatchResult sample() {
  BatchResult result;
  result.status = BatchStatus::failed;
  result.reason = "1 of 3 job(s) not complete";
  result.run_id = "20250131T130509.042Z-a1b2c3";
  result.ledger = "/b/.diary/batches/20250131T130509.042Z-a1b2c3/events.jsonl";
  result.duration = 4200ms;
  result.concurrency = 4;
  result.backend_starts = 1;

  JobResult notes;
  notes.name = "notes";
  notes.status = RunStatus::complete;
  notes.turns.resize(2);
  notes.usage.input_tokens = 100;
  notes.usage.output_tokens = 20;
  notes.duration = 3100ms;
  notes.run_id = "r1";
  notes.ledger = "/w/.diary/runs/r1/events.jsonl";
  result.jobs.push_back({.index = 0, .name = "notes", .job = notes});

  JobResult api;
  api.name = "docs-api";
  api.status = RunStatus::incomplete;
  api.turns.resize(3);
  api.usage.input_tokens = 50;
  api.usage.output_tokens = 5;
  api.duration = 4000ms;
  api.reason = "gave up after 3 consecutive turn(s) without progress";
  ArtifactCheckResult check;
  check.path = "docs/api.md";
  check.problems = {"missing substring \"## Auth\"", "too small"};
  check.failing_checks = 2;
  api.checks.artifacts.artifacts.push_back(check);
  api.checks.artifacts.tally.failing_checks = 2;
  result.jobs.push_back({.index = 1, .name = "docs-api", .job = api});

  result.jobs.push_back(
      {.index = 2, .name = "later", .skipped_reason = "not started: --fail-fast: job docs-api ended incomplete"});
  return result;
}

TEST(BatchResultTest, JsonHasStatusJobsInOrderAndTotals) {
  const auto json = to_json(sample());
  EXPECT_EQ(json["status"], "failed");
  EXPECT_EQ(json["reason"], "1 of 3 job(s) not complete");
  EXPECT_EQ(json["run_id"], "20250131T130509.042Z-a1b2c3");
  ASSERT_EQ(json["jobs"].size(), 3u);
  EXPECT_EQ(json["jobs"][0]["name"], "notes");
  EXPECT_EQ(json["jobs"][0]["status"], "complete");
  EXPECT_EQ(json["jobs"][0]["attempts"], 2);
  EXPECT_EQ(json["jobs"][0]["ledger"], "/w/.diary/runs/r1/events.jsonl");
  EXPECT_EQ(json["jobs"][1]["artifacts"][0]["path"], "docs/api.md");
  // A skipped job has the job result shape.
  const auto& skipped = json["jobs"][2];
  EXPECT_EQ(skipped["status"], "skipped");
  EXPECT_EQ(skipped["attempts"], 0);
  EXPECT_TRUE(skipped["turns"].empty());
  EXPECT_TRUE(skipped["ledger"].is_null());
  EXPECT_EQ(skipped["reason"], "not started: --fail-fast: job docs-api ended incomplete");
  for (const char* key : {"name", "status", "attempts", "turns", "artifacts", "final_message", "structured_output", "usage",
                          "run_id", "ledger", "duration_ms", "reason", "error"})
    EXPECT_TRUE(skipped.contains(key)) << key;

  const auto& totals = json["totals"];
  EXPECT_EQ(totals["jobs"], 3);
  EXPECT_EQ(totals["complete"], 1);
  EXPECT_EQ(totals["incomplete"], 1);
  EXPECT_EQ(totals["skipped"], 1);
  EXPECT_EQ(totals["failed"], 0);
  EXPECT_EQ(totals["turns"], 5);
  EXPECT_EQ(totals["tokens"], 175);
  EXPECT_EQ(totals["usage"]["input_tokens"], 150);
  EXPECT_EQ(totals["duration_ms"], 4200);
  EXPECT_EQ(totals["concurrency"], 4);
  EXPECT_EQ(totals["backend_starts"], 1);
  EXPECT_EQ(totals["backend_deaths"], 0);
}

TEST(BatchResultTest, TableHasOneRowPerJobThenTotals) {
  const std::string table = format_batch_table(sample());
  EXPECT_EQ(table,
            "JOB       STATUS      TURNS  TOKENS  DURATION  PROBLEMS\n"
            "notes     complete        2     120      3.1s\n"
            "docs-api  incomplete      3      55        4s  2 failing: docs/api.md: missing substring \"## Auth\"; "
            "gave up after 3 consecutive turn(s) without progress\n"
            "later     skipped         0       0       0ms  not started: --fail-fast: job docs-api ended incomplete\n"
            "batch failed: 3 job(s): 1 complete, 1 incomplete, 1 skipped; 5 turn(s); 175 tokens; 4.2s\n"
            "  1 of 3 job(s) not complete\n"
            "ledger: /b/.diary/batches/20250131T130509.042Z-a1b2c3/events.jsonl\n");
}

TEST(BatchResultTest, StatusNames) {
  EXPECT_EQ(to_string(BatchStatus::complete), "complete");
  EXPECT_EQ(to_string(BatchStatus::failed), "failed");
  EXPECT_EQ(to_string(BatchStatus::blocked), "blocked");
  EXPECT_EQ(to_string(BatchStatus::interrupted), "interrupted");
}

}  // namespace
}  // namespace diary::generate
