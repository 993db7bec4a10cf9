#include "generate/batch/batch_select.h"

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include <gtest/gtest.h>

namespace diary::generate {
namespace {

BatchSpec batch_named(const std::vector<std::string>& names) {
  BatchSpec spec;
  spec.batch_path = "/batches/b.toml";
  for (std::size_t i = 0; i < names.size(); ++i) {
    BatchJob job;
    job.spec.name = names[i];
    job.index = i;
    spec.jobs.push_back(std::move(job));
  }
  return spec;
}

std::vector<std::string> many_names(int n) {
  std::vector<std::string> names;
  for (int i = 0; i < n; ++i) names.push_back("job-" + std::to_string(i));
  return names;
}

std::vector<std::string> names_of(const BatchSpec& spec, const std::vector<std::size_t>& selected) {
  std::vector<std::string> out;
  for (auto i : selected) out.push_back(spec.jobs[i].spec.name);
  return out;
}

TEST(BatchSelectTest, ParseShard) {
  EXPECT_EQ(parse_shard("1/1"), (Shard{1, 1}));
  EXPECT_EQ(parse_shard("3/8"), (Shard{3, 8}));
  for (const char* bad : {"", "1", "0/4", "5/4", "a/4", "1/b", "1/0", "-1/4", "1/4/2", "1 /4", "/4", "2/"}) {
    auto shard = parse_shard(bad);
    ASSERT_FALSE(shard) << bad;
    EXPECT_EQ(shard.error().kind, agent::ErrorKind::invalid_input);
    EXPECT_EQ(shard.error().message.rfind("--shard: ", 0), 0u) << shard.error().message;
  }
}

// The documented rule, pinned with FNV-1a's published test vectors: changing it would move jobs
// between machines of an existing fan-out.
TEST(BatchSelectTest, Fnv1aIsTheReferenceFunction) {
  EXPECT_EQ(fnv1a_64(""), 0xcbf29ce484222325ull);
  EXPECT_EQ(fnv1a_64("a"), 0xaf63dc4c8601ec8cull);
  EXPECT_EQ(fnv1a_64("foobar"), 0x85944171f73967e8ull);
  EXPECT_EQ(shard_of("a", 4), static_cast<int>(0xaf63dc4c8601ec8cull % 4) + 1);
  EXPECT_EQ(shard_of("anything", 1), 1);
}

TEST(BatchSelectTest, ShardsAreDisjointAndCompleteForEveryN) {
  const auto spec = batch_named(many_names(200));
  for (int n : {1, 2, 3, 4, 7, 16, 64, 250}) {
    std::multiset<std::string> seen;
    for (int k = 1; k <= n; ++k) {
      auto selected = select_jobs(spec, {.shard = Shard{k, n}});
      ASSERT_TRUE(selected);
      EXPECT_TRUE(std::is_sorted(selected->begin(), selected->end())) << "batch-file order";
      for (const auto& name : names_of(spec, *selected)) seen.insert(name);
    }
    EXPECT_EQ(seen.size(), 200u) << "n=" << n;                                             // complete ...
    EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 200u) << "n=" << n;  // ... and disjoint
  }
}

TEST(BatchSelectTest, ShardOfAJobIgnoresOrderAndTheOtherJobs) {
  auto names = many_names(50);
  std::map<std::string, int> first;
  const auto spec = batch_named(names);
  for (int k = 1; k <= 4; ++k)
    for (const auto& name : names_of(spec, *select_jobs(spec, {.shard = Shard{k, 4}}))) first[name] = k;

  std::mt19937 random(42);
  std::shuffle(names.begin(), names.end(), random);
  names.resize(30);  // another machine's view: other order, fewer jobs
  names.push_back("a-new-job");
  const auto other = batch_named(names);
  for (int k = 1; k <= 4; ++k)
    for (const auto& name : names_of(other, *select_jobs(other, {.shard = Shard{k, 4}})))
      if (name != "a-new-job") {
        EXPECT_EQ(first.at(name), k) << name;
      }
}

TEST(BatchSelectTest, ShardsAreRoughlyBalanced) {
  const auto spec = batch_named(many_names(1000));
  for (int k = 1; k <= 4; ++k) {
    const auto size = select_jobs(spec, {.shard = Shard{k, 4}})->size();
    EXPECT_GT(size, 200u) << k;
    EXPECT_LT(size, 300u) << k;
  }
}

TEST(BatchSelectTest, OnlyKeepsBatchOrderAndCombinesWithShard) {
  const auto spec = batch_named({"a", "b", "c", "d"});
  auto only = select_jobs(spec, {.only = {"d", "b", "d"}});
  ASSERT_TRUE(only);
  EXPECT_EQ(*only, (std::vector<std::size_t>{1, 3}));
  EXPECT_EQ(select_jobs(spec, {})->size(), 4u);

  for (int k = 1; k <= 2; ++k) {
    auto both = select_jobs(spec, {.only = {"a", "c"}, .shard = Shard{k, 2}});
    ASSERT_TRUE(both);
    for (const auto& name : names_of(spec, *both)) {
      EXPECT_TRUE(name == "a" || name == "c");
      EXPECT_EQ(shard_of(name, 2), k);
    }
  }
}

TEST(BatchSelectTest, OnlyUnknownNamesAreAllReported) {
  const auto spec = batch_named({"a", "b"});
  auto selected = select_jobs(spec, {.only = {"a", "x", "y", "x"}});
  ASSERT_FALSE(selected);
  EXPECT_EQ(selected.error().kind, agent::ErrorKind::invalid_input);
  EXPECT_EQ(selected.error().message, "--only: no job named 'x', 'y' in /batches/b.toml");
}

}  // namespace
}  // namespace diary::generate
