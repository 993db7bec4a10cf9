// A batch fanned out over shards as engines run it: four `diary batch run --shard auto`
// processes side by side, each with its own codex app-server (the real pinned codex against the
// mock model), told their shard the way Kubernetes Indexed Jobs, Slurm job arrays and GitHub
// Actions matrices tell them; then `diary batch merge` over the shared runs directory. The
// merge holds every job exactly once and equals the unsharded batch's job set; a lost shard is
// named; a broken environment is a usage error before anything starts.
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "e2e_support.h"

namespace diary::test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class batch_shards_e2e : public CodexE2eTest {
 protected:
  static constexpr int jobs = 8;
  fs::path batch_file() const { return env_.workdir() / "batch.toml"; }
  fs::path runs_dir() const { return env_.workdir() / "shared-runs"; }

  void SetUp() override {
    CodexE2eTest::SetUp();
    std::string toml = "concurrency = 4\n[defaults]\nturn_timeout = \"120s\"\n";
    for (int i = 0; i < jobs; ++i) {
      const std::string n = std::to_string(i);
      toml += "\n[[job]]\nname = \"job" + n + "\"\nprompt = '''\nRUN: echo result " + n + " > out" + n +
              ".txt\nANSWER: wrote out" + n + ".txt\n'''\n[[job.artifact]]\npath = \"out" + n + ".txt\"\ncontains = [\"result " +
              n + "\"]\n";
    }
    write_file(batch_file(), toml);
  }

  std::unique_ptr<SpawnedProcess> start_shard(const std::vector<std::string>& engine_env) const {
    std::vector<std::string> argv{DIARY_BIN,           "batch",  "run", batch_file().string(), "--shard", "auto", "--runs-dir",
                                  runs_dir().string(), "--json", "-q"};
    const auto backend = backend_flags();
    argv.insert(argv.end(), backend.begin(), backend.end());
    auto env = env_.process_environment();
    env.insert(env.end(), engine_env.begin(), engine_env.end());
    return std::make_unique<SpawnedProcess>(argv, env_.workdir(), env);
  }

  static json parse(const std::string& text) {
    json out = json::parse(text, nullptr, false);
    EXPECT_FALSE(out.is_discarded()) << text;
    return out;
  }

  static std::set<std::string> names(const json& list, const char* key = "name") {
    std::set<std::string> out;
    for (const auto& entry : list) out.insert(entry[key].get<std::string>());
    return out;
  }
};

TEST_F(batch_shards_e2e, FourShardsFromEngineEnvironmentsMergeIntoTheWholeBatch) {
  // The engines' own variables: two Kubernetes pods, a Slurm array task (arrays starting at 1),
  // and a GitHub Actions matrix leg (which sets DIARY_SHARD_INDEX/COUNT from strategy.job-*).
  const std::vector<std::vector<std::string>> engines = {
      {"JOB_COMPLETION_INDEX=0", "DIARY_SHARD_COUNT=4"},
      {"JOB_COMPLETION_INDEX=1", "DIARY_SHARD_COUNT=4"},
      {"SLURM_ARRAY_TASK_ID=3", "SLURM_ARRAY_TASK_MIN=1", "SLURM_ARRAY_TASK_MAX=4", "SLURM_ARRAY_TASK_COUNT=4"},
      {"DIARY_SHARD_INDEX=3", "DIARY_SHARD_COUNT=4"},
  };
  std::vector<std::unique_ptr<SpawnedProcess>> shards;
  for (const auto& engine : engines) shards.push_back(start_shard(engine));
  std::set<std::string> ran;  // jobs the shards ran, each once
  std::size_t total = 0;
  for (std::size_t k = 0; k < shards.size(); ++k) {
    const auto code = shards[k]->wait(180s);
    ASSERT_TRUE(code) << "shard " << k + 1 << " did not finish; stderr: " << shards[k]->err();
    ASSERT_EQ(*code, 0) << "shard " << k + 1 << ": " << shards[k]->err();
    const json out = parse(shards[k]->out());
    EXPECT_EQ(out["shard"], (json{{"index", k + 1}, {"count", 4}})) << "shard " << k + 1;
    EXPECT_NE(out["run_id"].get<std::string>().find("-shard-" + std::to_string(k + 1) + "-of-4"), std::string::npos);
    EXPECT_EQ(fs::path(out["ledger"].get<std::string>()).parent_path().parent_path(), runs_dir());
    for (const auto& job : out["jobs"]) ran.insert(job["name"].get<std::string>());
    total += out["jobs"].size();
  }
  EXPECT_EQ(total, static_cast<std::size_t>(jobs)) << "the shards are disjoint";

  // The unsharded batch's job set, from a dry run.
  const auto plan = run_diary({"batch", "run", batch_file().string(), "--dry-run", "--json"}, 30s);
  ASSERT_EQ(plan.exit_code, 0) << plan.err;
  const std::set<std::string> whole = names(parse(plan.out)["selected"]);
  EXPECT_EQ(whole.size(), static_cast<std::size_t>(jobs));
  EXPECT_EQ(ran, whole);

  const auto merged_run = run_diary({"batch", "merge", runs_dir().string(), "--json"}, 30s);
  ASSERT_EQ(merged_run.exit_code, 0) << merged_run.err;
  const json merged = parse(merged_run.out);
  EXPECT_EQ(merged["status"], "complete") << merged["reason"];
  EXPECT_EQ(merged["shard_count"], 4);
  EXPECT_EQ(merged["shards"].size(), 4u);
  EXPECT_TRUE(merged["missing_shards"].empty());
  EXPECT_TRUE(merged["conflicts"].empty());
  ASSERT_EQ(merged["jobs"].size(), static_cast<std::size_t>(jobs)) << "every job exactly once";
  EXPECT_EQ(names(merged["jobs"]), whole);
  for (int i = 0; i < jobs; ++i) {
    EXPECT_EQ(merged["jobs"][i]["name"], "job" + std::to_string(i)) << "batch-file order";
    EXPECT_EQ(merged["jobs"][i]["status"], "complete");
    EXPECT_EQ(read_file(env_.workdir() / ("out" + std::to_string(i) + ".txt")), "result " + std::to_string(i) + "\n");
  }
  EXPECT_EQ(merged["totals"]["complete"], jobs);
  EXPECT_EQ(model_.request_count(), 2u * jobs) << "each job once: shell call + final answer";

  // A lost shard (its machine died before writing a result): named, exit 1.
  const json shard_two = merged["shards"][1];
  ASSERT_EQ(shard_two["index"], 2);
  fs::remove_all(fs::path(shard_two["result_file"].get<std::string>()).parent_path());
  const auto lost = run_diary({"batch", "merge", runs_dir().string(), "--json"}, 30s);
  EXPECT_EQ(lost.exit_code, 1) << lost.err;
  const json partial = parse(lost.out);
  EXPECT_EQ(partial["status"], "incomplete");
  EXPECT_EQ(partial["missing_shards"], json::array({2}));
  EXPECT_NE(lost.err.find("1 of 4 shard(s) missing: 2/4"), std::string::npos) << lost.err;
  std::size_t in_shard_two = 0;
  for (const auto& job : merged["jobs"]) in_shard_two += job["shard"] == 2 ? 1 : 0;
  EXPECT_EQ(partial["jobs"].size(), whole.size() - in_shard_two);

  // Re-running the lost shard heals the merge: its jobs are complete on disk, so nothing runs.
  auto rerun = start_shard({"JOB_COMPLETION_INDEX=1", "DIARY_SHARD_COUNT=4"});
  ASSERT_EQ(rerun->wait(60s), 0) << rerun->err();
  const auto healed = run_diary({"batch", "merge", runs_dir().string()}, 30s);
  EXPECT_EQ(healed.exit_code, 0) << healed.out << healed.err;
  EXPECT_NE(healed.out.find("merge complete: 8 job(s) from 4 of 4 shard(s)"), std::string::npos) << healed.out;
  EXPECT_EQ(model_.request_count(), 2u * jobs) << "the re-run asked the model nothing";
}

TEST_F(batch_shards_e2e, ABrokenShardEnvironmentIsAUsageErrorBeforeAnythingStarts) {
  auto none = start_shard({});
  ASSERT_EQ(none->wait(30s), 2);
  EXPECT_NE(none->err().find("--shard auto: no shard in the environment"), std::string::npos) << none->err();
  auto out_of_range = start_shard({"JOB_COMPLETION_INDEX=4", "DIARY_SHARD_COUNT=4"});
  ASSERT_EQ(out_of_range->wait(30s), 2);
  EXPECT_NE(out_of_range->err().find("JOB_COMPLETION_INDEX=4 is outside 0..3"), std::string::npos) << out_of_range->err();
  auto disagree =
      start_shard({"JOB_COMPLETION_INDEX=0", "DIARY_SHARD_COUNT=4", "SLURM_ARRAY_TASK_ID=2", "SLURM_ARRAY_TASK_COUNT=4"});
  ASSERT_EQ(disagree->wait(30s), 2);
  EXPECT_NE(disagree->err().find("says shard 1/4 but"), std::string::npos) << disagree->err();
  EXPECT_EQ(model_.request_count(), 0u);
  EXPECT_FALSE(fs::exists(runs_dir()));
}

}  // namespace
}  // namespace diary::test
