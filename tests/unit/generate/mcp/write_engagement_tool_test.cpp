#include "generate/mcp/write_engagement_tool.h"

#include <gtest/gtest.h>

#include "daily_tool_test_support.h"

namespace diary::generate::mcp {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace testing;
using daily::testing::alpha_t2;
using daily::testing::beta_t1;
using daily::testing::read_report;
using test::alpha_key;
using test::beta_key;

json args() {
  return {{"overall_reading",
           {{"text", "Clear direction, quick review."},
            {"citations", {cross_citation(alpha_key, "S0001", "T0002")}},
            {"confidence", "high"}}},
          {"observations",
           json::array({{{"dimension", "review"},
                         {"statement", "Asked for a test run."},
                         {"citations", {cross_citation(alpha_key, "S0001", "T0002"), cross_citation(beta_key, "S0001", "T0001")}},
                         {"confidence", "medium"}}})},
          {"limits", json::array({"Offline thinking is not visible."})}};
}

class WriteEngagement : public DailyToolTest {
 protected:
  McpTool tool_ = write_engagement_tool();
};

TEST_F(WriteEngagement, StoresTheAssessmentWithResolvedCitations) {
  EXPECT_EQ(tool_.name, "write_engagement");
  EXPECT_EQ(call(tool_, day_.workspace, args()), json({{"status", "written"}}));
  json expected = args();
  expected["overall_reading"]["citations"] = {alpha_t2()};
  expected["observations"][0]["citations"] = {alpha_t2(), beta_t1()};
  EXPECT_EQ(read_report(day_.workspace)["engagement_assessment"], expected);
}

TEST_F(WriteEngagement, AcceptsNoObservationsAndNoLimits) {
  json call_args = args();
  call_args["observations"] = json::array();
  call_args["limits"] = json::array();
  EXPECT_EQ(call(tool_, day_.workspace, call_args)["status"], "written");
}

TEST_F(WriteEngagement, RejectsWithoutASkeleton) {
  fs::remove(day_.workspace / "daily-report.json");
  expect_invalid(tool_, day_.workspace, args(), "", "daily report skeleton not found");
}

TEST_F(WriteEngagement, RejectsAnUncitedReading) {
  json call_args = args();
  call_args["overall_reading"]["citations"] = json::array();
  expect_invalid(tool_, day_.workspace, call_args, "/overall_reading/citations", "must cite at least one turn");
}

TEST_F(WriteEngagement, RejectsAnUncitedObservation) {
  json call_args = args();
  call_args["observations"][0]["citations"] = json::array();
  expect_invalid(tool_, day_.workspace, call_args, "/observations/0/citations", "must cite at least one turn");
}

TEST_F(WriteEngagement, RejectsATurnWithoutCommittedEvidence) {
  json call_args = args();
  call_args["observations"][0]["citations"][1] = cross_citation(beta_key, "S0001", "T0005");
  expect_invalid(tool_, day_.workspace, call_args, "/observations/0/citations/1", "S0001/T0005 has no committed evidence");
}

TEST_F(WriteEngagement, RejectsAnUnknownDimensionThatBypassesTheSchema) {
  json call_args = args();
  call_args["observations"][0]["dimension"] = "charisma";
  expect_invalid(tool_, day_.workspace, call_args, "/observations/0/dimension",
                 "must be a controlled engagement dimension value");
  EXPECT_FALSE(schema_of(tool_).is_valid(call_args));
}

TEST_F(WriteEngagement, RejectsABlankStatementOrLimit) {
  json call_args = args();
  call_args["observations"][0]["statement"] = " ";
  call_args["limits"] = json::array({""});
  expect_invalid(tool_, day_.workspace, call_args, "/observations/0/statement", "must be a non-empty string");
  expect_invalid(tool_, day_.workspace, call_args, "/limits/0", "must be a non-empty string");
}

TEST_F(WriteEngagement, PublishesACompleteSchema) {
  const auto schema = schema_of(tool_);
  EXPECT_TRUE(schema.is_valid(args()));
  json bad = args();
  bad["overall_reading"]["confidence"] = "certain";
  EXPECT_FALSE(schema.is_valid(bad));
  bad = args();
  bad.erase("limits");
  EXPECT_FALSE(schema.is_valid(bad));
  bad = args();
  bad["observations"][0]["score"] = 9;
  EXPECT_FALSE(schema.is_valid(bad));
  EXPECT_EQ(tool_.input_schema["properties"]["observations"]["items"]["properties"]["dimension"]["enum"],
            json::array({"direction", "review", "correction", "recovery"}));
}

}  // namespace
}  // namespace diary::generate::mcp
