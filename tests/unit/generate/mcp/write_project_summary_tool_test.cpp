#include "generate/mcp/write_project_summary_tool.h"

#include <gtest/gtest.h>

#include "daily_tool_test_support.h"
#include "generate/daily/daily_report.h"
#include "generate/daily/offline_parts.h"

namespace diary::generate::mcp {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace testing;
using daily::testing::alpha_t1;
using daily::testing::alpha_t2;
using daily::testing::read_report;
using test::alpha_key;
using test::beta_key;

class WriteProjectSummary : public DailyToolTest {
 protected:
  static json args(json citations, const std::string& text = "Alpha gained a verbose flag.") {
    return {{"project_key", alpha_key}, {"summary", {{"text", text}, {"citations", std::move(citations)}}}};
  }

  McpTool tool_ = write_project_summary_tool();
};

TEST_F(WriteProjectSummary, StoresTheSummaryWithResolvedCitations) {
  EXPECT_EQ(tool_.name, "write_project_summary");
  const json result = call(tool_, day_.workspace, args({test::turn_ref("S0001", "T0002"), test::turn_ref("S0001", "T0001")}));
  EXPECT_EQ(result, json({{"status", "written"}}));
  const json report = read_report(day_.workspace);
  EXPECT_EQ(report["projects"][0]["summary"],
            json({{"text", "Alpha gained a verbose flag."}, {"citations", json::array({alpha_t2(), alpha_t1()})}}));
  EXPECT_TRUE(report["projects"][1]["summary"].is_null());
}

TEST_F(WriteProjectSummary, ReplacesTheWholeSlotIdempotently) {
  ASSERT_EQ(call(tool_, day_.workspace, args({test::turn_ref("S0001", "T0001")}, "first"))["status"], "written");
  const json second = args({test::turn_ref("S0001", "T0002")}, "second");
  ASSERT_EQ(call(tool_, day_.workspace, second)["status"], "written");
  const std::string once = test::read_file(day_.workspace / "daily-report.json");
  ASSERT_EQ(call(tool_, day_.workspace, second)["status"], "written");
  EXPECT_EQ(test::read_file(day_.workspace / "daily-report.json"), once);
  EXPECT_EQ(read_report(day_.workspace)["projects"][0]["summary"],
            json({{"text", "second"}, {"citations", json::array({alpha_t2()})}}));
}

TEST_F(WriteProjectSummary, AcceptsItsOwnProjectKeyInACitation) {
  json citation = test::turn_ref("S0001", "T0001");
  citation["project_key"] = alpha_key;
  EXPECT_EQ(call(tool_, day_.workspace, args({citation}))["status"], "written");
}

TEST_F(WriteProjectSummary, AModelWriteReplacesAnOfflineSlotAndItsOfflinePart) {
  auto index = daily::testing::load_index(day_.workspace);
  ASSERT_TRUE(daily::write_offline_slot(index, {daily::SlotKind::project_summary, alpha_key}, "timeout"));
  ASSERT_TRUE(daily::find_offline_part(read_report(day_.workspace), {daily::SlotKind::project_summary, alpha_key}));
  json sneaky = args({test::turn_ref("S0001", "T0001")});
  sneaky["summary"]["source"] = "offline";  // only the fallback may say so
  ASSERT_EQ(call(tool_, day_.workspace, sneaky)["status"], "written");
  const json report = read_report(day_.workspace);
  EXPECT_FALSE(report["projects"][0]["summary"].contains("source"));
  EXPECT_EQ(report["offline_parts"], json::array());
}

TEST_F(WriteProjectSummary, RejectsWithoutASkeleton) {
  fs::remove(day_.workspace / "daily-report.json");
  expect_invalid(tool_, day_.workspace, args({test::turn_ref("S0001", "T0001")}), "", "daily report skeleton not found");
  EXPECT_FALSE(fs::exists(day_.workspace / "daily-report.json"));
}

TEST_F(WriteProjectSummary, RejectsASkeletonWithoutTheSlot) {
  json report = read_report(day_.workspace);
  report["projects"][0].erase("summary");
  ASSERT_TRUE(artifacts::write_json_atomic(day_.workspace / "daily-report.json", report));
  expect_invalid(tool_, day_.workspace, args({test::turn_ref("S0001", "T0001")}), "",
                 "daily report skeleton is missing the 'summary' slot of project 'alpha-0123456789ab'");
}

TEST_F(WriteProjectSummary, RejectsAnUnknownProject) {
  json call_args = args({test::turn_ref("S0001", "T0001")});
  call_args["project_key"] = "gamma-000000000000";
  expect_invalid(tool_, day_.workspace, call_args, "/project_key", "unknown project_key 'gamma-000000000000'");
}

TEST_F(WriteProjectSummary, RejectsAnUncitedSummary) {
  expect_invalid(tool_, day_.workspace, args(json::array()), "/summary/citations", "must cite at least one turn");
}

TEST_F(WriteProjectSummary, RejectsATurnWithoutCommittedEvidence) {
  test::write_evidence_card(day_.workspace, alpha_key, "S0001", {day_.day.projects[0].sessions[0].turns[0]});
  expect_invalid(tool_, day_.workspace, args({test::turn_ref("S0001", "T0001"), test::turn_ref("S0001", "T0002")}),
                 "/summary/citations/1", "S0001/T0002 has no committed evidence in project 'alpha-0123456789ab'");
  expect_invalid(tool_, day_.workspace, args({test::turn_ref("S0002", "T0001")}), "/summary/citations/0",
                 "S0002/T0001 has no committed evidence");
}

TEST_F(WriteProjectSummary, RejectsACitationOfAnotherProject) {
  json citation = test::turn_ref("S0001", "T0001");
  citation["project_key"] = beta_key;
  expect_invalid(tool_, day_.workspace, args({citation}), "/summary/citations/0/project_key",
                 "cites project 'beta-ba9876543210' but this summary is for project 'alpha-0123456789ab'");
}

TEST_F(WriteProjectSummary, RejectsABlankText) {
  expect_invalid(tool_, day_.workspace, args({test::turn_ref("S0001", "T0001")}, " \t "), "/summary/text",
                 "must be a non-empty string");
}

TEST_F(WriteProjectSummary, RejectsWrongShapesThatBypassTheSchema) {
  expect_invalid(tool_, day_.workspace, {{"project_key", alpha_key}}, "/summary", "must be an object");
  expect_invalid(tool_, day_.workspace, args({"S0001/T0001"}), "/summary/citations/0",
                 "a citation needs session_ref and turn_ref");
  expect_invalid(tool_, day_.workspace, json::array(), "/project_key", "unknown project_key");
}

TEST_F(WriteProjectSummary, PublishesACompleteSchema) {
  const auto schema = schema_of(tool_);
  EXPECT_TRUE(schema.is_valid(args({test::turn_ref("S0001", "T0001")})));
  json extra = args({test::turn_ref("S0001", "T0001")});
  extra["summary"]["confidence"] = "high";
  EXPECT_FALSE(schema.is_valid(extra));
  EXPECT_FALSE(schema.is_valid(args(json::array())));
  EXPECT_FALSE(schema.is_valid(args({test::turn_ref("S0001", "T0001")}, "")));
  EXPECT_FALSE(schema.is_valid(args({{{"session_ref", "S0001"}}})));
  EXPECT_FALSE(schema.is_valid(json{{"summary", args({})["summary"]}}));
  EXPECT_EQ(tool_.input_schema["additionalProperties"], false);
}

}  // namespace
}  // namespace diary::generate::mcp
