#include "generate/mcp/write_report_title_tool.h"

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

json args(const std::string& text, json citations = json::array({cross_citation(alpha_key, "S0001", "T0001")})) {
  return {{"title", {{"text", text}, {"citations", std::move(citations)}}}};
}

class WriteReportTitle : public DailyToolTest {
 protected:
  McpTool tool_ = write_report_title_tool();
};

TEST_F(WriteReportTitle, StoresTheTitleWithResolvedCitations) {
  EXPECT_EQ(tool_.name, "write_report_title");
  const json result = call(tool_, day_.workspace,
                           args("Verbose flag shipped, deploy failure traced",
                                {cross_citation(alpha_key, "S0001", "T0001"), cross_citation(beta_key, "S0001", "T0001")}));
  EXPECT_EQ(result, json({{"status", "written"}}));
  EXPECT_EQ(read_report(day_.workspace)["report_title"],
            json({{"text", "Verbose flag shipped, deploy failure traced"}, {"citations", {alpha_t1(), beta_t1()}}}));
  // again, another text: the slot is replaced
  ASSERT_EQ(call(tool_, day_.workspace, args("Verbose flag shipped"))["status"], "written");
  EXPECT_EQ(read_report(day_.workspace)["report_title"], json({{"text", "Verbose flag shipped"}, {"citations", {alpha_t1()}}}));
}

TEST_F(WriteReportTitle, RejectsWithoutASkeleton) {
  fs::remove(day_.workspace / "daily-report.json");
  expect_invalid(tool_, day_.workspace, args("Verbose flag shipped"), "", "daily report skeleton not found");
}

TEST_F(WriteReportTitle, RejectsASkeletonWithoutTheSlot) {
  json report = read_report(day_.workspace);
  report.erase("report_title");
  ASSERT_TRUE(artifacts::write_json_atomic(day_.workspace / "daily-report.json", report));
  expect_invalid(tool_, day_.workspace, args("Verbose flag shipped"), "", "missing the 'report_title' slot");
}

TEST_F(WriteReportTitle, RejectsAnUncitedTitle) {
  expect_invalid(tool_, day_.workspace, args("Verbose flag shipped", json::array()), "/title/citations",
                 "must cite at least one turn");
}

TEST_F(WriteReportTitle, RejectsACitationWithoutProjectKey) {
  expect_invalid(tool_, day_.workspace, args("Verbose flag shipped", {test::turn_ref("S0001", "T0001")}), "/title/citations/0",
                 "a citation needs project_key, session_ref and turn_ref");
}

TEST_F(WriteReportTitle, RejectsATurnWithoutCommittedEvidence) {
  expect_invalid(tool_, day_.workspace, args("Verbose flag shipped", {cross_citation(beta_key, "S0001", "T0002")}),
                 "/title/citations/0", "S0001/T0002 has no committed evidence in project 'beta-ba9876543210'");
  expect_invalid(tool_, day_.workspace, args("Verbose flag shipped", {cross_citation("gamma", "S0001", "T0001")}),
                 "/title/citations/0", "has no committed evidence in project 'gamma'");
}

TEST_F(WriteReportTitle, RejectsTwoLines) {
  expect_invalid(tool_, day_.workspace, args("Verbose flag\nshipped"), "/title/text", "must be a single line");
}

TEST_F(WriteReportTitle, RejectsMoreThanEightyCharacters) {
  expect_invalid(tool_, day_.workspace, args(std::string(81, 'v')), "/title/text", "must be at most 80 characters");
}

TEST_F(WriteReportTitle, RejectsADate) {
  expect_invalid(tool_, day_.workspace, args("Verbose flag shipped on 2026-11-30"), "/title/text", "must not contain a date");
}

TEST_F(WriteReportTitle, RejectsAGenericLabel) {
  for (const char* text : {"Daily report", "work log", "Updates", "Prompt Diary Report", "Diary Report"})
    expect_invalid(tool_, day_.workspace, args(text), "/title/text", "must not be a generic label");
}

TEST_F(WriteReportTitle, RejectsABlankTitle) {
  expect_invalid(tool_, day_.workspace, args("   "), "/title/text", "must be a non-empty string");
}

TEST_F(WriteReportTitle, PublishesACompleteSchema) {
  const auto schema = schema_of(tool_);
  EXPECT_TRUE(schema.is_valid(args("Verbose flag shipped")));
  EXPECT_FALSE(schema.is_valid(args(std::string(81, 'v'))));
  EXPECT_FALSE(schema.is_valid(args("Verbose flag shipped", {test::turn_ref("S0001", "T0001")})));
  EXPECT_FALSE(schema.is_valid(json{{"title", args("x")["title"]}, {"extra", 1}}));
  EXPECT_FALSE(schema.is_valid(json::object()));
}

}  // namespace
}  // namespace diary::generate::mcp
