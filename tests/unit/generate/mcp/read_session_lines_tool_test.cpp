#include "generate/mcp/read_session_lines_tool.h"

#include <gtest/gtest.h>

#include "generate/check/json_schema.h"
#include "unit/generate/mcp/fixture_sessions.h"

namespace {

using namespace diary::generate::mcp;
using diary::test::FixtureDay;
using diary::test::ScratchDir;
using nlohmann::json;
namespace fs = std::filesystem;

class ReadSessionLines : public ::testing::Test {
 protected:
  ReadSessionLines() {
    FixtureDay day;
    day.projects.push_back({"alpha-0123456789ab", "alpha", {diary::test::fixture_session("S0001", "codex/alpha")}});
    day.projects.push_back({"delta-0123456789ab",
                            "delta",
                            {diary::test::fixture_session(
                                "S0001", "claude/projects/-fixture-projects-delta/5f0c6a8e-2d41-4c4b-9a57-0e3f1b2c3d4e.jsonl")}});
    workspace = diary::test::write_fixture_workspace(scratch.path(), day);
  }

  json call(json arguments) { return tool.call(ToolContext{workspace}, arguments); }

  // `base` with `changes` merged in.
  static json with(json base, const json& changes) {
    base.update(changes);
    return base;
  }

  static json args(std::string project, std::string session, long long start, long long end) {
    return {{"project_key", std::move(project)}, {"session_ref", std::move(session)}, {"start_line", start}, {"end_line", end}};
  }

  // The single error of a rejected call.
  static json only_error(const json& result) {
    EXPECT_EQ(result["status"], "invalid") << result.dump();
    EXPECT_EQ(result["errors"].size(), 1u) << result.dump();
    return result["errors"][0];
  }

  ScratchDir scratch;
  fs::path workspace;
  McpTool tool = read_session_lines_tool();
};

TEST_F(ReadSessionLines, ReadsATurnAsPrepareIndexedIt) {
  // prepare's turns of alpha: 8-19, 23-34, 38-44; each starts on its prompt.
  json result = call(args("alpha-0123456789ab", "S0001", 23, 34));
  ASSERT_TRUE(result.contains("records")) << result.dump();
  EXPECT_EQ(result["records"][0]["line"], 23);
  EXPECT_EQ(result["records"][0]["kind"], "user");
  EXPECT_EQ(result["records"][0]["text"], "Now list the files.\nRUN: ls -a\nANSWER: listed");
  EXPECT_TRUE(result["next_cursor"].is_null());
  json full = call(with(args("alpha-0123456789ab", "S0001", 23, 23), {{"mode", "full"}}));
  EXPECT_EQ(full["records"][0]["raw_line"], diary::test::fixture_lines(diary::test::fixture_session_file("codex/alpha"))[22]);

  json claude = call(args("delta-0123456789ab", "S0001", 17, 17));
  EXPECT_EQ(claude["records"][0]["text"], "Ship it.");
}

TEST_F(ReadSessionLines, RejectionsNameTheFixInTheReferenceOrder) {
  auto error = only_error(call(args("nope", "S0009", 0, -1)));
  EXPECT_EQ(error["path"], "/project_key");
  EXPECT_EQ(error["message"], "unknown project_key 'nope'");
  EXPECT_EQ(error["hint"], "use the project_key from the prepared workspace");

  error = only_error(call(args("alpha-0123456789ab", "S0009", 0, -1)));
  EXPECT_EQ(error["path"], "/session_ref");
  EXPECT_EQ(error["hint"], "use a session_ref listed in sessions.index.jsonl");

  error = only_error(call(args("alpha-0123456789ab", "S0001", 0, -1)));
  EXPECT_EQ(error["path"], "/start_line");
  EXPECT_EQ(error["hint"], "request a 1-based line range contained by the session");

  error = only_error(call(args("alpha-0123456789ab", "S0001", 40, 45)));
  EXPECT_EQ(error["path"], "/end_line");
  EXPECT_EQ(error["message"], "end_line 45 is past the end of the session (44 lines)");

  json with_cursor = args("alpha-0123456789ab", "S0001", 8, 19);
  with_cursor["cursor"] = {{"line", 20}, {"offset", 0}};
  error = only_error(call(with_cursor));
  EXPECT_EQ(error["path"], "/cursor/line");
  EXPECT_EQ(error["hint"], "reuse next_cursor with the same project, session, range, and mode");

  // The session file gone from the workspace: named, after the identity checks.
  for (const auto& entry : fs::recursive_directory_iterator(workspace / "projects" / "alpha-0123456789ab" / "sessions"))
    if (entry.is_regular_file()) fs::remove(entry.path());
  error = only_error(call(args("alpha-0123456789ab", "S0001", 0, -1)));
  EXPECT_EQ(error["path"], "/session_ref");
  EXPECT_NE(error["message"].get<std::string>().find("is missing"), std::string::npos);
  EXPECT_EQ(only_error(call(args("nope", "S0001", 1, 1)))["path"], "/project_key");
}

TEST_F(ReadSessionLines, ANullCursorStartsAtTheBeginning) {
  json arguments = args("alpha-0123456789ab", "S0001", 8, 19);
  arguments["cursor"] = nullptr;
  EXPECT_EQ(call(arguments)["records"][0]["line"], 8);
  arguments["cursor"] = {{"line", 10}};  // offset defaults to 0
  EXPECT_EQ(call(arguments)["records"][0]["line"], 10);
}

TEST_F(ReadSessionLines, PublishesACompleteInputSchema) {
  EXPECT_EQ(tool.name, "read_session_lines");
  EXPECT_NE(tool.description.find("next_cursor"), std::string::npos);
  const json& schema = tool.input_schema;
  EXPECT_EQ(schema["additionalProperties"], false);
  EXPECT_EQ(schema["required"], (json{"project_key", "session_ref", "start_line", "end_line"}));
  EXPECT_EQ(schema["properties"]["mode"]["enum"], (json{"compact", "full"}));
  EXPECT_EQ(schema["properties"]["cursor"]["additionalProperties"], false);
  auto compiled = diary::generate::JsonSchema::compile(schema);
  ASSERT_TRUE(compiled) << compiled.error().message;
  json good = args("alpha-0123456789ab", "S0001", 8, 19);
  EXPECT_TRUE(compiled->is_valid(good));
  EXPECT_TRUE(compiled->is_valid(with(good, {{"mode", "full"}, {"cursor", {{"line", 9}, {"offset", 3}}}})));
  EXPECT_TRUE(compiled->is_valid(with(good, {{"cursor", nullptr}})));
  EXPECT_FALSE(compiled->is_valid(with(good, {{"mode", "raw"}})));
  EXPECT_FALSE(compiled->is_valid(with(good, {{"path", "/etc/passwd"}})));
  EXPECT_FALSE(compiled->is_valid(with(good, {{"cursor", {{"line", 9}, {"extra", 1}}}})));
  EXPECT_FALSE(compiled->is_valid(with(good, {{"start_line", "8"}})));
  json missing = good;
  missing.erase("end_line");
  EXPECT_FALSE(compiled->is_valid(missing));
}

TEST_F(ReadSessionLines, ArgumentsOfTheWrongTypeAreRejectedNotThrown) {
  EXPECT_EQ(call(json::array())["status"], "invalid");
  EXPECT_EQ(call({{"project_key", 5}})["status"], "invalid");
  json bad_cursor = args("alpha-0123456789ab", "S0001", 8, 19);
  bad_cursor["cursor"] = "line 9";
  EXPECT_EQ(only_error(call(bad_cursor))["path"], "/cursor");
}

}  // namespace
