// Keeps examples/batch valid: it parses with its defaults applied, its shards cover it, and its
// checks accept a correct result.
#include <algorithm>

#include <gtest/gtest.h>

#include "generate/batch/batch_select.h"
#include "generate/batch/batch_spec_parser.h"
#include "generate/job/dry_run.h"
#include "support/scratch_dir.h"

namespace diary::generate {
namespace {

namespace fs = std::filesystem;
const fs::path example = fs::path(DIARY_TEST_SOURCE_DIR) / "examples" / "batch";

TEST(ExampleBatch, ParsesWithDefaultsApplied) {
  auto spec = parse_batch_spec(example / "batch.toml");
  ASSERT_TRUE(spec) << ::testing::PrintToString(spec.error());
  EXPECT_EQ(spec->concurrency, 3);
  ASSERT_EQ(spec->jobs.size(), 3u);
  EXPECT_EQ(spec->jobs[0].spec.name, "changelog");
  EXPECT_EQ(spec->jobs[1].spec.name, "doc-cache");
  EXPECT_EQ(spec->jobs[2].spec.name, "doc-queue");
  for (const auto& job : spec->jobs) {
    EXPECT_EQ(job.spec.workdir, fs::canonical(example / "workspace")) << job.spec.name;
    EXPECT_EQ(job.spec.turn_timeout, std::chrono::minutes(10)) << job.spec.name;
    EXPECT_EQ(job.spec.resume_prompt, "Keep what is already written; only fix what the list above says.");
  }
  EXPECT_EQ(spec->jobs[0].spec.reasoning_effort, "low");
  EXPECT_EQ(spec->jobs[2].spec.reasoning_effort, "medium");
}

TEST(ExampleBatch, TwoShardsHoldEveryJobOnce) {
  auto spec = parse_batch_spec(example / "batch.toml");
  ASSERT_TRUE(spec);
  auto first = select_jobs(*spec, {.shard = Shard{1, 2}});
  auto second = select_jobs(*spec, {.shard = Shard{2, 2}});
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->size() + second->size(), 3u);
  for (auto index : *first) EXPECT_EQ(std::count(second->begin(), second->end(), index), 0);
}

TEST(ExampleBatch, ChecksAcceptACorrectResult) {
  auto spec = parse_batch_spec(example / "batch.toml");
  ASSERT_TRUE(spec);
  test::ScratchDir dir;
  test::write_file(dir / "CHANGELOG.md",
                   "# Changelog\n\n## 1.3.0\n- Cache entries can carry their own time-to-live (#88)\n- queue.put accepts a "
                   "timeout (#93)\n- The queue no longer drops the last item when full (#91)\n");
  test::write_file(dir / "docs" / "cache.md",
                   "# cache\n\nAn in-memory cache with per-entry time-to-live and a size bound.\n\n## Usage\n\n"
                   "    c = Cache(max_entries=100)\n    c.put('k', 1, ttl=5)\n\n## Eviction\n\nExpired entries are dropped "
                   "on read; beyond max_entries the oldest written entry goes first.\n");
  test::write_file(dir / "docs" / "queue.md",
                   "# queue\n\nA bounded FIFO queue for worker threads.\n\n## Usage\n\n    q = WorkQueue()\n    "
                   "q.put(job, timeout=1)\n\n## Limits\n\nAt most 10,000 items; put blocks while full and raises "
                   "queue.Full after its timeout.\n");
  for (auto& job : spec->jobs) {
    job.spec.workdir = dir.path();
    const auto report = dry_run_job(job.spec);
    EXPECT_FALSE(report.would_run) << job.spec.name << ": " << to_json(report).dump();
  }
}

}  // namespace
}  // namespace diary::generate
