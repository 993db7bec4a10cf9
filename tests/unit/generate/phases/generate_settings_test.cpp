#include "generate/phases/generate_settings.h"

#include <gtest/gtest.h>

namespace diary::generate::phases {
namespace {

TEST(GenerateSettings, DefaultsAreCodexsModelTenMinuteTurnsAndThreeAttempts) {
  GenerateSettings settings;
  for (const auto& name : pass_names()) {
    EXPECT_FALSE(settings.pass(name).model) << name;
    EXPECT_EQ(settings.pass(name).turn_timeout, std::chrono::seconds(600));
    EXPECT_EQ(settings.pass(name).max_no_progress, 3);
    EXPECT_EQ(settings.pass(name).max_turns, 20);
  }
}

TEST(GenerateSettings, PassTablesOverrideDefaultsWhateverTheOrder) {
  auto settings = parse_generate_settings(
      "[evidence]\nmodel = \"small\"\nturn_timeout = \"90s\"\n[defaults]\nreasoning_effort = \"high\"\nmax_no_progress = 5\n",
      "s.toml");
  ASSERT_TRUE(settings) << settings.error().message;
  EXPECT_EQ(settings->pass("evidence").model, "small");
  EXPECT_EQ(settings->pass("evidence").turn_timeout, std::chrono::seconds(90));
  EXPECT_EQ(settings->pass("evidence").reasoning_effort, "high");
  EXPECT_EQ(settings->pass("team_learning").max_no_progress, 5);
  EXPECT_FALSE(settings->pass("team_learning").model);
}

TEST(GenerateSettings, BadKeysAndValuesNameFileLineAndKey) {
  auto unknown = parse_generate_settings("[evidence]\nmodle = \"x\"\n", "s.toml");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().kind, agent::ErrorKind::invalid_input);
  EXPECT_NE(unknown.error().message.find("s.toml:2: evidence.modle: unknown key"), std::string::npos) << unknown.error().message;
  auto table = parse_generate_settings("[evidense]\n", "s.toml");
  ASSERT_FALSE(table);
  EXPECT_NE(table.error().message.find("evidense: unknown table"), std::string::npos);
  EXPECT_FALSE(parse_generate_settings("[daily]\n", "s.toml"));
  EXPECT_FALSE(parse_generate_settings("[project]\nreasoning_effort = \"max\"\n", "s.toml"));
  EXPECT_FALSE(parse_generate_settings("[project]\nturn_timeout = \"soon\"\n", "s.toml"));
  EXPECT_FALSE(parse_generate_settings("[project]\nmax_no_progress = 0\n", "s.toml"));
  EXPECT_FALSE(parse_generate_settings("[project]\nmax_turns = 0\n", "s.toml"));
  auto capped = parse_generate_settings("[defaults]\nmax_turns = 7\n", "s.toml");
  ASSERT_TRUE(capped) << capped.error().message;
  EXPECT_EQ(capped->pass("evidence").max_turns, 7);
  EXPECT_FALSE(parse_generate_settings("[project\n", "s.toml"));
}

TEST(GenerateSettings, AMissingOrSpecialFileIsBadInput) {
  auto missing = load_generate_settings("/nonexistent/settings.toml");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().kind, agent::ErrorKind::invalid_input);
  EXPECT_FALSE(load_generate_settings("/dev/zero"));
}

TEST(Concurrency, AnySubsetOfKindsWithinBounds) {
  auto limits = parse_concurrency("evidence=8");
  ASSERT_TRUE(limits);
  EXPECT_EQ(*limits, (ConcurrencyLimits{8, 2, 2}));
  limits = parse_concurrency("daily=1,project=3,evidence=2");
  ASSERT_TRUE(limits);
  EXPECT_EQ(*limits, (ConcurrencyLimits{2, 3, 1}));
  for (const char* bad : {"", "evidence", "evidence=0", "evidence=65", "render=1", "evidence=4,", "evidence=x"})
    EXPECT_FALSE(parse_concurrency(bad)) << bad;
}

}  // namespace
}  // namespace diary::generate::phases
