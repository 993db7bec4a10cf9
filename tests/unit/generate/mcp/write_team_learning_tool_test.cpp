#include "generate/mcp/write_team_learning_tool.h"

#include <gtest/gtest.h>

#include "daily_tool_test_support.h"

namespace diary::generate::mcp {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace testing;
using daily::testing::alpha_t1;
using daily::testing::beta_t1;
using daily::testing::read_report;
using test::alpha_key;
using test::beta_key;

json args() {
  return {{"takeaways",
           {{"text", "Small asks converged fast."},
            {"citations", {cross_citation(beta_key, "S0001", "T0001")}},
            {"confidence", "medium"}}},
          {"patterns", json::array({{{"kind", "reuse"},
                                     {"statement", "Ask for a test run after each change."},
                                     {"rationale", "pattern -> evidence -> why it mattered -> how to reuse"},
                                     {"recurrence", "seen in two turns"},
                                     {"citations", {cross_citation(alpha_key, "S0001", "T0001")}},
                                     {"confidence", "low"}}})},
          {"limits", json::array({"One day of evidence."})}};
}

class WriteTeamLearning : public DailyToolTest {
 protected:
  McpTool tool_ = write_team_learning_tool();
};

TEST_F(WriteTeamLearning, StoresTheLearningWithResolvedCitations) {
  EXPECT_EQ(tool_.name, "write_team_learning");
  EXPECT_EQ(call(tool_, day_.workspace, args()), json({{"status", "written"}}));
  json expected = args();
  expected["takeaways"]["citations"] = {beta_t1()};
  expected["patterns"][0]["citations"] = {alpha_t1()};
  EXPECT_EQ(read_report(day_.workspace)["team_learning"], expected);
}

TEST_F(WriteTeamLearning, RejectsWithoutASkeleton) {
  test::write_file(day_.workspace / "daily-report.json", "[not a report");
  expect_invalid(tool_, day_.workspace, args(), "", "daily report skeleton not found");
}

TEST_F(WriteTeamLearning, RejectsUncitedTakeaways) {
  json call_args = args();
  call_args["takeaways"].erase("citations");
  expect_invalid(tool_, day_.workspace, call_args, "/takeaways/citations", "must cite at least one turn");
}

TEST_F(WriteTeamLearning, RejectsAnUncitedPattern) {
  json call_args = args();
  call_args["patterns"][0]["citations"] = json::array();
  expect_invalid(tool_, day_.workspace, call_args, "/patterns/0/citations", "must cite at least one turn");
}

TEST_F(WriteTeamLearning, RejectsATurnWithoutCommittedEvidence) {
  fs::remove(day_.workspace / "projects" / beta_key / "evidence" / "S0001.json");
  expect_invalid(tool_, day_.workspace, args(), "/takeaways/citations/0",
                 "S0001/T0001 has no committed evidence in project 'beta-ba9876543210'");
}

TEST_F(WriteTeamLearning, RejectsAnUnknownPatternKindThatBypassesTheSchema) {
  json call_args = args();
  call_args["patterns"][0]["kind"] = "celebrate";
  expect_invalid(tool_, day_.workspace, call_args, "/patterns/0/kind", "must be a controlled pattern kind value");
}

TEST_F(WriteTeamLearning, RejectsABlankRationale) {
  json call_args = args();
  call_args["patterns"][0]["rationale"] = "";
  expect_invalid(tool_, day_.workspace, call_args, "/patterns/0/rationale", "must be a non-empty string");
}

TEST_F(WriteTeamLearning, PublishesACompleteSchema) {
  const auto schema = schema_of(tool_);
  EXPECT_TRUE(schema.is_valid(args()));
  json bad = args();
  bad["patterns"][0].erase("recurrence");
  EXPECT_FALSE(schema.is_valid(bad));
  bad = args();
  bad["patterns"][0]["kind"] = "celebrate";
  EXPECT_FALSE(schema.is_valid(bad));
  bad = args();
  bad["takeaways"]["citations"] = json::array();
  EXPECT_FALSE(schema.is_valid(bad));
  EXPECT_EQ(tool_.input_schema["required"], json::array({"limits", "patterns", "takeaways"}));
}

}  // namespace
}  // namespace diary::generate::mcp
