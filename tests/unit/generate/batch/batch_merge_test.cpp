#include "generate/batch/batch_merge.h"

#include <fstream>

#include <gtest/gtest.h>

#include "support/scratch_dir.h"

namespace {

namespace fs = std::filesystem;
using diary::generate::merge_shard_runs;
using diary::generate::read_shard_runs;
using diary::generate::shard_of;
using nlohmann::json;

// The names job0.. that fall into shard `index` of `count` (by the real hash).
std::vector<std::string> jobs_of_shard(int index, int count, int total) {
  std::vector<std::string> out;
  for (int i = 0; i < total; ++i)
    if (shard_of("job" + std::to_string(i), count) == index) out.push_back("job" + std::to_string(i));
  return out;
}

json job(const std::string& name, const std::string& status = "complete") {
  return {{"name", name},
          {"status", status},
          {"attempts", 1},
          {"index", std::stoi(name.substr(3))},
          {"usage", {{"input_tokens", 100}, {"output_tokens", 10}}}};
}

class BatchMerge : public ::testing::Test {
 protected:
  // Writes <runs>/<run_id>/result.json for shard index/count holding `names`.
  fs::path write_run(const std::string& run_id, int index, int count, const std::vector<std::string>& names, int batch_jobs,
                     const std::string& status = "complete") {
    json jobs = json::array();
    for (const auto& name : names) jobs.push_back(job(name, status));
    const json result = {{"status", status},
                         {"reason", ""},
                         {"run_id", run_id},
                         {"ledger", ""},
                         {"shard", {{"index", index}, {"count", count}}},
                         {"batch", {{"path", "batch.toml"}, {"jobs", batch_jobs}, {"only", json::array()}}},
                         {"jobs", jobs},
                         {"totals", {{"tokens", 110 * names.size()}, {"duration_ms", 1000 * index}}}};
    const fs::path dir = runs_ / run_id;
    fs::create_directories(dir);
    std::ofstream(dir / "result.json") << result.dump();
    return dir;
  }

  diary::test::ScratchDir scratch_;
  fs::path runs_ = scratch_.path() / "runs";
};

TEST_F(BatchMerge, AllShardsGiveEveryJobOnceInBatchFileOrder) {
  for (int k = 1; k <= 4; ++k)
    write_run("20261201T100000.000Z-aaaaaa-shard-" + std::to_string(k) + "-of-4", k, 4, jobs_of_shard(k, 4, 20), 20);
  auto runs = read_shard_runs({runs_});
  ASSERT_TRUE(runs) << runs.error().message;
  EXPECT_EQ(runs->size(), 4u);
  auto merged = merge_shard_runs(std::move(*runs));
  ASSERT_TRUE(merged) << merged.error().message;
  EXPECT_TRUE(merged->complete) << merged->reason;
  ASSERT_EQ(merged->jobs.size(), 20u);
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(merged->jobs[i].result.name, "job" + std::to_string(i));
    EXPECT_EQ(merged->jobs[i].shard, shard_of("job" + std::to_string(i), 4));
  }
  EXPECT_EQ(merged->totals["complete"], 20);
  EXPECT_EQ(merged->totals["tokens"], 20 * 110);
  EXPECT_EQ(merged->totals["usage"]["input_tokens"], 2000);
  EXPECT_EQ(merged->totals["longest_shard_ms"], 4000);
  EXPECT_NE(diary::generate::format_merge_table(*merged).find("merge complete: 20 job(s) from 4 of 4 shard(s)"),
            std::string::npos);
  // The --json text is one JSON value holding every job object untouched, its shard first.
  const json text = json::parse(diary::generate::merged_json_text(*merged), nullptr, false);
  ASSERT_FALSE(text.is_discarded());
  ASSERT_EQ(text["jobs"].size(), 20u);
  EXPECT_EQ(text["jobs"][3], [] {
    json j = job("job3");
    j["shard"] = shard_of("job3", 4);
    return j;
  }());
  EXPECT_EQ(text["totals"]["complete"], 20);
  EXPECT_EQ(text["status"], "complete");
}

TEST_F(BatchMerge, AMissingShardIsNamed) {
  for (int k : {1, 2, 4})
    write_run("20261201T100000.000Z-aaaaaa-shard-" + std::to_string(k) + "-of-4", k, 4, jobs_of_shard(k, 4, 20), 20);
  auto merged = merge_shard_runs(read_shard_runs({runs_}).value());
  ASSERT_TRUE(merged);
  EXPECT_FALSE(merged->complete);
  EXPECT_EQ(merged->missing_shards, std::vector<int>{3});
  EXPECT_EQ(merged->reason, "1 of 4 shard(s) missing: 3/4");
  EXPECT_EQ(merged->jobs.size(), 20u - jobs_of_shard(3, 4, 20).size());
  EXPECT_TRUE(merged->problems.empty()) << "no count check while a shard is missing";
}

TEST_F(BatchMerge, TheNewestRunOfAShardWinsAndOverlappingInputsCountOnce) {
  write_run("20261201T100000.000Z-aaaaaa-shard-1-of-2", 1, 2, jobs_of_shard(1, 2, 6), 6, "failed");
  write_run("20261201T110000.000Z-bbbbbb-shard-1-of-2", 1, 2, jobs_of_shard(1, 2, 6), 6);
  const auto two = write_run("20261201T100000.000Z-cccccc-shard-2-of-2", 2, 2, jobs_of_shard(2, 2, 6), 6);
  auto runs = read_shard_runs({runs_, two, two / "result.json"});
  ASSERT_TRUE(runs);
  EXPECT_EQ(runs->size(), 3u);
  auto merged = merge_shard_runs(std::move(*runs));
  ASSERT_TRUE(merged);
  EXPECT_TRUE(merged->complete) << merged->reason;
  ASSERT_EQ(merged->shards.size(), 2u);
  EXPECT_EQ(merged->shards[0].run_id, "20261201T110000.000Z-bbbbbb-shard-1-of-2");
  EXPECT_EQ(merged->shards[0].superseded, std::vector<std::string>{"20261201T100000.000Z-aaaaaa-shard-1-of-2"});
}

TEST_F(BatchMerge, AJobReportedByTwoShardsIsAConflict) {
  auto one = jobs_of_shard(1, 2, 6);
  auto two = jobs_of_shard(2, 2, 6);
  two.push_back(one.front());  // shard 2 also ran a job of shard 1 (e.g. renamed jobs)
  write_run("20261201T100000.000Z-aaaaaa-shard-1-of-2", 1, 2, one, 6);
  write_run("20261201T100000.000Z-bbbbbb-shard-2-of-2", 2, 2, two, 6);
  auto merged = merge_shard_runs(read_shard_runs({runs_}).value());
  ASSERT_TRUE(merged);
  EXPECT_FALSE(merged->complete);
  ASSERT_EQ(merged->conflicts.size(), 1u);
  EXPECT_EQ(merged->conflicts[0].job, one.front());
  EXPECT_EQ(merged->conflicts[0].shards, (std::vector<int>{1, 2}));
  EXPECT_EQ(merged->jobs.size(), 6u) << "still once";
}

TEST_F(BatchMerge, IncompleteJobsAndWrongCountsMakeItIncomplete) {
  write_run("20261201T100000.000Z-aaaaaa-shard-1-of-1", 1, 1, {"job0", "job1"}, 3);
  auto merged = merge_shard_runs(read_shard_runs({runs_}).value());
  ASSERT_TRUE(merged);
  EXPECT_FALSE(merged->complete);
  EXPECT_EQ(merged->problems, std::vector<std::string>{"the batch has 3 job(s) but the shards reported 2"});
}

TEST_F(BatchMerge, RunsOfDifferentSplitsAreRefused) {
  write_run("20261201T100000.000Z-aaaaaa-shard-1-of-2", 1, 2, jobs_of_shard(1, 2, 6), 6);
  write_run("20261201T100000.000Z-bbbbbb-shard-1-of-4", 1, 4, jobs_of_shard(1, 4, 6), 6);
  auto merged = merge_shard_runs(read_shard_runs({runs_}).value());
  ASSERT_FALSE(merged);
  EXPECT_NE(merged.error().message.find("not shards of one split"), std::string::npos);
}

TEST_F(BatchMerge, BadInputsNameTheFileAndPointer) {
  auto missing = read_shard_runs({scratch_.path() / "nope"});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("no such file or directory"), std::string::npos);
  fs::create_directories(runs_);
  auto empty = read_shard_runs({runs_});
  ASSERT_FALSE(empty);
  EXPECT_NE(empty.error().message.find("no batch result here"), std::string::npos);
  fs::create_directories(runs_ / "r1");
  std::ofstream(runs_ / "r1" / "result.json") << R"({"run_id":"r1","status":"complete","jobs":[{"name":7}]})";
  auto wrong = read_shard_runs({runs_});
  ASSERT_FALSE(wrong);
  EXPECT_NE(wrong.error().message.find("/jobs/0/name: expected a string"), std::string::npos) << wrong.error().message;
  EXPECT_EQ(wrong.error().kind, diary::agent::ErrorKind::invalid_input);
}

}  // namespace
