// Calling a daily write tool in tests: a fixture with the standard day's skeleton built, the
// result, the problems it names, a check that a rejected call left daily-report.json
// byte-identical, and the tool's published schema.
#pragma once

#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "generate/check/json_schema.h"
#include "generate/mcp/tool.h"
#include "support/filled_daily_report.h"
#include "support/scratch_dir.h"

namespace diary::generate::mcp::testing {

using nlohmann::json;

// The standard daily day (support/daily_fixture.h) with its skeleton built, no slot filled.
class DailyToolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    day_ = test::write_daily_day(dir_.path());
    daily::testing::build(day_.workspace);
  }

  test::ScratchDir dir_;
  test::DailyDay day_;
};

// A cross-project citation as the title, engagement and team-learning tools take it.
inline json cross_citation(const std::string& project_key, const std::string& session_ref, const std::string& turn_ref) {
  return {{"project_key", project_key}, {"session_ref", session_ref}, {"turn_ref", turn_ref}};
}

inline json call(const McpTool& tool, const std::filesystem::path& workspace, const json& arguments) {
  return tool.call(ToolContext{workspace}, arguments);
}

inline std::string file_or_empty(const std::filesystem::path& path) {
  return std::filesystem::exists(path) ? test::read_file(path) : std::string("<absent>");
}

// The call must be rejected with an error at `path` whose message contains `message`, and leave
// the report file as it was.
inline void expect_invalid(const McpTool& tool, const std::filesystem::path& workspace, const json& arguments,
                           const std::string& path, const std::string& message) {
  const auto report = workspace / "daily-report.json";
  const std::string before = file_or_empty(report);
  const json result = call(tool, workspace, arguments);
  ASSERT_EQ(result["status"], "invalid") << result.dump(2);
  bool found = false;
  for (const auto& error : result["errors"]) {
    EXPECT_TRUE(error["hint"].is_string() && !error["hint"].get<std::string>().empty()) << error.dump();
    if (error["path"] == path && error["message"].get<std::string>().find(message) != std::string::npos) found = true;
  }
  EXPECT_TRUE(found) << "wanted " << path << ": " << message << "\ngot " << result.dump(2);
  EXPECT_EQ(file_or_empty(report), before);
}

inline JsonSchema schema_of(const McpTool& tool) {
  auto schema = JsonSchema::compile(tool.input_schema);
  EXPECT_TRUE(schema) << schema.error().message;
  return std::move(*schema);
}

}  // namespace diary::generate::mcp::testing
