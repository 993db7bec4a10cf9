// The tools diary really serves, as one published surface: whatever tool is registered in
// mcp/diary_tools.cpp must be well named, described, closed and compilable.
#include "generate/mcp/mcp_server.h"

#include <gtest/gtest.h>

namespace diary::generate::mcp {
namespace {

TEST(DiaryTools, EveryRegisteredToolIsAWellFormedDefinition) {
  const auto problems = tool_definition_problems(diary_tools());
  EXPECT_TRUE(problems.empty()) << ::testing::PrintToString(problems);
}

TEST(DiaryTools, ToolsListShowsThemInRegistrationOrder) {
  const auto tools = diary_tools();
  McpServer server(ToolContext{"/w"}, diary_tools());
  auto listed = nlohmann::json::parse(*server.on_line(R"({"jsonrpc":"2.0","id":1,"method":"tools/list"})"));
  ASSERT_EQ(listed["result"]["tools"].size(), tools.size());
  for (std::size_t i = 0; i < tools.size(); ++i) EXPECT_EQ(listed["result"]["tools"][i]["name"], tools[i].name);
}

}  // namespace
}  // namespace diary::generate::mcp
