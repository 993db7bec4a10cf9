#include "generate/batch/shard_environment.h"

#include <map>

#include <gtest/gtest.h>

namespace {

using diary::generate::Shard;
using diary::generate::shard_from_environment;

diary::generate::EnvironmentLookup env_of(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto found = vars.find(std::string(name));
    if (found == vars.end()) return std::nullopt;
    return found->second;
  };
}

std::string error_of(std::map<std::string, std::string> vars) {
  auto shard = shard_from_environment(env_of(std::move(vars)));
  EXPECT_FALSE(shard.has_value());
  if (shard) return "";
  EXPECT_EQ(shard.error().kind, diary::agent::ErrorKind::invalid_input);
  return shard.error().message;
}

TEST(ShardEnvironment, KubernetesIndexedJobIsZeroBased) {
  auto shard = shard_from_environment(env_of({{"JOB_COMPLETION_INDEX", "0"}, {"DIARY_SHARD_COUNT", "4"}}));
  ASSERT_TRUE(shard) << shard.error().message;
  EXPECT_EQ(*shard, (Shard{1, 4}));
  shard = shard_from_environment(env_of({{"JOB_COMPLETION_INDEX", "3"}, {"DIARY_SHARD_COUNT", "4"}}));
  ASSERT_TRUE(shard);
  EXPECT_EQ(*shard, (Shard{4, 4}));
}

TEST(ShardEnvironment, GitHubActionsUsesTheDiaryVariables) {
  auto shard = shard_from_environment(env_of({{"DIARY_SHARD_INDEX", "2"}, {"DIARY_SHARD_COUNT", "3"}}));
  ASSERT_TRUE(shard);
  EXPECT_EQ(*shard, (Shard{3, 3}));
}

TEST(ShardEnvironment, SlurmArraysMayStartAtOne) {
  auto shard = shard_from_environment(env_of({{"SLURM_ARRAY_TASK_ID", "1"},
                                              {"SLURM_ARRAY_TASK_MIN", "1"},
                                              {"SLURM_ARRAY_TASK_MAX", "8"},
                                              {"SLURM_ARRAY_TASK_COUNT", "8"}}));
  ASSERT_TRUE(shard) << shard.error().message;
  EXPECT_EQ(*shard, (Shard{1, 8}));
  shard = shard_from_environment(env_of({{"SLURM_ARRAY_TASK_ID", "7"}, {"SLURM_ARRAY_TASK_COUNT", "8"}}));
  ASSERT_TRUE(shard);
  EXPECT_EQ(*shard, (Shard{8, 8}));
}

TEST(ShardEnvironment, SteppedSlurmArraysAreRefused) {
  const auto message = error_of({{"SLURM_ARRAY_TASK_ID", "2"},
                                 {"SLURM_ARRAY_TASK_MIN", "0"},
                                 {"SLURM_ARRAY_TASK_MAX", "14"},
                                 {"SLURM_ARRAY_TASK_COUNT", "8"}});
  EXPECT_NE(message.find("not contiguous"), std::string::npos) << message;
}

TEST(ShardEnvironment, MissingOrHalfSetEnvironmentsAreUsageErrors) {
  EXPECT_NE(error_of({}).find("no shard in the environment"), std::string::npos);
  EXPECT_NE(error_of({{"DIARY_SHARD_COUNT", "4"}}).find("no index"), std::string::npos);
  EXPECT_NE(error_of({{"JOB_COMPLETION_INDEX", "1"}}).find("DIARY_SHARD_COUNT is not set"), std::string::npos);
  EXPECT_NE(error_of({{"SLURM_ARRAY_TASK_ID", "1"}}).find("SLURM_ARRAY_TASK_COUNT is not set"), std::string::npos);
}

TEST(ShardEnvironment, BadNumbersAndRangesAreNamed) {
  EXPECT_NE(error_of({{"JOB_COMPLETION_INDEX", "x"}, {"DIARY_SHARD_COUNT", "4"}}).find("JOB_COMPLETION_INDEX='x'"),
            std::string::npos);
  EXPECT_NE(error_of({{"JOB_COMPLETION_INDEX", "4"}, {"DIARY_SHARD_COUNT", "4"}}).find("outside 0..3"), std::string::npos);
  EXPECT_NE(error_of({{"JOB_COMPLETION_INDEX", "-1"}, {"DIARY_SHARD_COUNT", "4"}}).find("outside"), std::string::npos);
  EXPECT_NE(error_of({{"DIARY_SHARD_INDEX", "0"}, {"DIARY_SHARD_COUNT", "0"}}).find("from 1 to"), std::string::npos);
  EXPECT_NE(error_of({{"DIARY_SHARD_INDEX", "1 "}, {"DIARY_SHARD_COUNT", "4"}}).find("not a whole number"), std::string::npos);
}

TEST(ShardEnvironment, EnginesThatDisagreeAreRefused) {
  const auto message = error_of(
      {{"JOB_COMPLETION_INDEX", "1"}, {"DIARY_SHARD_COUNT", "4"}, {"SLURM_ARRAY_TASK_ID", "2"}, {"SLURM_ARRAY_TASK_COUNT", "4"}});
  EXPECT_NE(message.find("says shard 2/4 but"), std::string::npos) << message;
  // Agreeing engines are fine.
  auto shard = shard_from_environment(env_of({{"JOB_COMPLETION_INDEX", "1"},
                                              {"DIARY_SHARD_COUNT", "4"},
                                              {"SLURM_ARRAY_TASK_ID", "1"},
                                              {"SLURM_ARRAY_TASK_COUNT", "4"}}));
  ASSERT_TRUE(shard);
  EXPECT_EQ(*shard, (Shard{2, 4}));
}

}  // namespace
