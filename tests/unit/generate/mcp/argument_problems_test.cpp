#include "generate/mcp/argument_problems.h"

#include <gtest/gtest.h>

namespace diary::generate::mcp {
namespace {

using nlohmann::json;

JsonSchema compile(const char* text) {
  auto schema = JsonSchema::compile(json::parse(text));
  EXPECT_TRUE(schema.has_value());
  return std::move(*schema);
}

TEST(ArgumentProblems, ValidArgumentsHaveNone) {
  auto schema = compile(R"({"type":"object","properties":{"a":{"type":"string"}}})");
  EXPECT_TRUE(argument_problems(schema, {{"a", "x"}}, "t").empty());
}

TEST(ArgumentProblems, PatternAndConstNameWhatIsExpected) {
  auto schema = compile(R"({"type":"object","properties":{
    "lines":{"type":"string","pattern":"^[0-9]+-[0-9]+$","description":"a span such as 3-7"},
    "version":{"const":1}}})");
  auto problems = argument_problems(schema, {{"lines", "7"}, {"version", 2}}, "t");
  ASSERT_EQ(problems.size(), 2u) << ::testing::PrintToString(problems);
  std::map<std::string, artifacts::Problem> by_path;
  for (const auto& p : problems) by_path[p.path] = p;
  EXPECT_EQ(by_path["/lines"].message, "does not match the pattern ^[0-9]+-[0-9]+$");
  EXPECT_EQ(by_path["/lines"].hint, "write it in that form (a span such as 3-7)");
  EXPECT_EQ(by_path["/version"].message, "must be 1");
  EXPECT_EQ(by_path["/version"].hint, "use 1");
}

TEST(ArgumentProblems, LocalRefsAreFollowedForHints) {
  auto schema = compile(R"({"type":"object","definitions":{"mode":{"enum":["compact","full"]}},
    "properties":{"items":{"type":"array","items":{"type":"object","properties":{"mode":{"$ref":"#/definitions/mode"}}}}}})");
  auto problems = argument_problems(schema, {{"items", json::array({{{"mode", "full"}}, {{"mode", "x"}}})}}, "t");
  ASSERT_EQ(problems.size(), 1u) << ::testing::PrintToString(problems);
  EXPECT_EQ(problems[0].path, "/items/1/mode");
  EXPECT_EQ(problems[0].hint, R"(use one of: "compact", "full")");
}

TEST(ArgumentProblems, OtherViolationsKeepValijsonsMessageAndAGenericHint) {
  auto schema = compile(R"({"type":"object","properties":{"n":{"type":"integer","minimum":1}}})");
  auto problems = argument_problems(schema, {{"n", 0}}, "read_session_lines");
  ASSERT_EQ(problems.size(), 1u) << ::testing::PrintToString(problems);
  EXPECT_EQ(problems[0].path, "/n");
  EXPECT_NE(problems[0].message.find("greater than or equal to"), std::string::npos) << problems[0].message;
  EXPECT_EQ(problems[0].hint, "send arguments that match the inputSchema of read_session_lines in tools/list");
}

TEST(ArgumentProblems, KeysWithSlashesAreEscapedInPaths) {
  auto schema = compile(R"({"type":"object","additionalProperties":false,"properties":{}})");
  auto problems = argument_problems(schema, {{"a/b~c", 1}}, "t");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].path, "/a~1b~0c");
}

}  // namespace
}  // namespace diary::generate::mcp
