#include "generate/mcp/mcp_server.h"

#include <stdexcept>

#include <gtest/gtest.h>

namespace diary::generate::mcp {
namespace {

using nlohmann::json;

// A tool whose schema exercises every rewording: required, closed objects, enum, types, nesting.
struct FakeTools {
  int echo_calls = 0;
  json last_arguments;
  std::string last_workspace;

  std::vector<McpTool> tools() {
    McpTool echo{"echo", "Echoes its arguments", json::parse(R"({
      "type": "object",
      "additionalProperties": false,
      "required": ["project_key", "mode"],
      "properties": {
        "project_key": {"type": "string", "minLength": 1},
        "mode": {"enum": ["compact", "full"]},
        "count": {"type": "integer", "minimum": 1, "description": "how many lines"},
        "cursor": {"type": "object", "additionalProperties": false, "required": ["line"],
                   "properties": {"line": {"type": "integer"}, "offset": {"type": "integer"}}}
      }
    })"),
                 [this](const ToolContext& context, const json& arguments) {
                   ++echo_calls;
                   last_arguments = arguments;
                   last_workspace = context.workspace.string();
                   return json{{"status", "ok"}, {"echo", arguments}};
                 }};
    const json empty_schema = {{"type", "object"}, {"additionalProperties", false}};
    McpTool boom{"boom", "Always throws", empty_schema,
                 [](const ToolContext&, const json&) -> json { throw std::runtime_error("disk on fire"); }};
    McpTool list{"not_an_object", "Answers with an array", empty_schema, [](const ToolContext&, const json&) {
                   return json::array({1, 2});
                 }};
    return {echo, boom, list};
  }
};

class McpServerTest : public ::testing::Test {
 protected:
  FakeTools fake;
  McpServer server{ToolContext{"/work/ws"}, fake.tools()};

  // Sends one line and parses the reply, which must exist and speak JSON-RPC 2.0.
  json reply(const std::string& line) {
    auto out = server.on_line(line);
    EXPECT_TRUE(out.has_value()) << "no reply to " << line;
    if (!out) return json();
    EXPECT_EQ(out->find('\n'), std::string::npos) << "a reply is one line";
    json parsed = json::parse(*out);
    EXPECT_EQ(parsed.value("jsonrpc", ""), "2.0") << *out;
    return parsed;
  }
  json request(int id, const std::string& method, const json& params = nullptr) {
    json message = {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}};
    if (!params.is_null()) message["params"] = params;
    return reply(message.dump());
  }
  json call(int id, const json& arguments) { return request(id, "tools/call", {{"name", "echo"}, {"arguments", arguments}}); }
  // The tool answer inside a CallToolResult, checked to be the same in text and structure.
  static json answer_of(const json& reply) {
    const json& result = reply.at("result");
    EXPECT_EQ(result.at("isError"), false);
    EXPECT_EQ(result.at("content").size(), 1u);
    EXPECT_EQ(result.at("content")[0].at("type"), "text");
    EXPECT_EQ(json::parse(result.at("content")[0].at("text").get<std::string>()), result.at("structuredContent"));
    return result.at("structuredContent");
  }
  static int error_code(const json& reply) { return reply.at("error").at("code").get<int>(); }
};

TEST_F(McpServerTest, InitializeAnswersASupportedVersionAndDescribesTheServer) {
  for (std::string_view version : supported_protocol_versions) {
    auto answer = request(1, "initialize",
                          {{"protocolVersion", version},
                           {"capabilities", json::object()},
                           {"clientInfo", {{"name", "codex"}, {"version", "0.169.0"}}}});
    EXPECT_EQ(answer["id"], 1);
    EXPECT_EQ(answer["result"]["protocolVersion"], version);
    EXPECT_EQ(answer["result"]["capabilities"], json({{"tools", json::object()}}));
    EXPECT_EQ(answer["result"]["serverInfo"], json({{"name", "diary"}, {"version", DIARY_VERSION}}));
  }
}

TEST_F(McpServerTest, InitializeWithAnUnknownOrMissingVersionAnswersOurLatest) {
  EXPECT_EQ(request(1, "initialize", {{"protocolVersion", "1999-01-01"}})["result"]["protocolVersion"], "2025-06-18");
  EXPECT_EQ(request(2, "initialize", {{"protocolVersion", 20250618}})["result"]["protocolVersion"], "2025-06-18");
  EXPECT_EQ(request(3, "initialize")["result"]["protocolVersion"], "2025-06-18");
}

TEST_F(McpServerTest, StringIdsAreEchoed) {
  auto answer = reply(R"({"jsonrpc":"2.0","id":"req-7","method":"ping"})");
  EXPECT_EQ(answer["id"], "req-7");
  EXPECT_EQ(answer["result"], json::object());
}

TEST_F(McpServerTest, NotificationsAndResponsesAreNeverAnswered) {
  EXPECT_FALSE(server.on_line(R"({"jsonrpc":"2.0","method":"notifications/initialized"})"));
  EXPECT_FALSE(server.on_line(R"({"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":1}})"));
  EXPECT_FALSE(server.on_line(R"({"jsonrpc":"2.0","method":"no/such/notification"})"));
  // A notification naming tools/call runs nothing either.
  EXPECT_FALSE(server.on_line(
      R"({"jsonrpc":"2.0","method":"tools/call","params":{"name":"echo","arguments":{"project_key":"p","mode":"full"}}})"));
  EXPECT_EQ(fake.echo_calls, 0);
  EXPECT_FALSE(server.on_line(R"({"jsonrpc":"2.0","id":4,"result":{}})"));
  EXPECT_FALSE(server.on_line(R"({"jsonrpc":"2.0","id":5,"error":{"code":-1,"message":"x"}})"));
  EXPECT_FALSE(server.on_line(""));
  EXPECT_FALSE(server.on_line("  \r"));
}

TEST_F(McpServerTest, ToolsListPublishesEveryToolWithItsFullSchema) {
  auto answer = request(2, "tools/list");
  const json& tools = answer["result"]["tools"];
  ASSERT_EQ(tools.size(), 3u);
  EXPECT_EQ(tools[0]["name"], "echo");
  EXPECT_EQ(tools[0]["description"], "Echoes its arguments");
  EXPECT_EQ(tools[0]["inputSchema"], fake.tools()[0].input_schema);
  EXPECT_EQ(tools[1]["name"], "boom");
  EXPECT_EQ(tools[2]["name"], "not_an_object");
  EXPECT_FALSE(answer["result"].contains("nextCursor"));
}

TEST_F(McpServerTest, ValidCallRunsTheToolInTheWorkspace) {
  const json arguments = {{"project_key", "p1"}, {"mode", "compact"}, {"cursor", {{"line", 3}}}};
  auto answer = answer_of(call(3, arguments));
  EXPECT_EQ(answer, json({{"status", "ok"}, {"echo", arguments}}));
  EXPECT_EQ(fake.echo_calls, 1);
  EXPECT_EQ(fake.last_arguments, arguments);
  EXPECT_EQ(fake.last_workspace, "/work/ws");
}

TEST_F(McpServerTest, SchemaIsCheckedFirstAndRejectionsAreResultsWithJsonPointers) {
  auto reply_json = call(4, {{"mode", "verbose"}, {"extra", 1}, {"count", "ten"}, {"cursor", {{"line", "x"}}}});
  ASSERT_TRUE(reply_json.contains("result")) << "a rejected call is not a JSON-RPC error: " << reply_json;
  auto answer = answer_of(reply_json);
  EXPECT_EQ(answer["status"], "invalid");
  EXPECT_EQ(fake.echo_calls, 0) << "the tool must not run on arguments of the wrong shape";

  std::map<std::string, json> by_path;
  for (const auto& error : answer["errors"]) {
    EXPECT_EQ(error.size(), 3u) << error;
    EXPECT_FALSE(error.at("message").get<std::string>().empty()) << error;
    EXPECT_FALSE(error.at("hint").get<std::string>().empty()) << error;
    by_path[error.at("path").get<std::string>()] = error;
  }
  ASSERT_TRUE(by_path.count("/project_key")) << answer;
  EXPECT_EQ(by_path["/project_key"]["message"], "missing required property \"project_key\"");
  ASSERT_TRUE(by_path.count("/extra")) << answer;
  EXPECT_EQ(by_path["/extra"]["hint"], "remove \"extra\"; allowed here: count, cursor, mode, project_key");
  ASSERT_TRUE(by_path.count("/mode")) << answer;
  EXPECT_EQ(by_path["/mode"]["hint"], R"(use one of: "compact", "full")");
  ASSERT_TRUE(by_path.count("/count")) << answer;
  EXPECT_EQ(by_path["/count"]["message"], "must be an integer");
  EXPECT_EQ(by_path["/count"]["hint"], "send an integer instead of a string (how many lines)");
  ASSERT_TRUE(by_path.count("/cursor/line")) << answer;
  EXPECT_EQ(by_path["/cursor/line"]["message"], "must be an integer");
  // valijson's "failed to validate property X" wrappers add nothing once the cause is reported.
  EXPECT_FALSE(by_path.count("")) << answer;
  EXPECT_FALSE(by_path.count("/cursor")) << answer;
}

TEST_F(McpServerTest, MissingArgumentsAreAnEmptyObject) {
  auto answer = answer_of(request(5, "tools/call", {{"name", "echo"}}));
  EXPECT_EQ(answer["status"], "invalid");
  EXPECT_EQ(answer["errors"].size(), 2u) << answer;  // project_key and mode
  EXPECT_EQ(fake.echo_calls, 0);
}

TEST_F(McpServerTest, UnknownMethodIsMethodNotFound) {
  auto answer = request(6, "resources/list");
  EXPECT_EQ(answer["id"], 6);
  EXPECT_EQ(error_code(answer), -32601);
  EXPECT_FALSE(answer.contains("result"));
}

TEST_F(McpServerTest, BadParamsAreInvalidParams) {
  EXPECT_EQ(error_code(request(7, "tools/call", {{"arguments", json::object()}})), -32602);
  EXPECT_EQ(error_code(request(8, "tools/call", {{"name", 5}})), -32602);
  auto unknown = request(9, "tools/call", {{"name", "nope"}, {"arguments", json::object()}});
  EXPECT_EQ(error_code(unknown), -32602);
  EXPECT_NE(unknown["error"]["message"].get<std::string>().find("nope"), std::string::npos);
  EXPECT_EQ(error_code(request(10, "tools/call", {{"name", "echo"}, {"arguments", json::array()}})), -32602);
  EXPECT_EQ(error_code(request(11, "tools/call", {{"name", "echo"}, {"arguments", "x"}})), -32602);
  EXPECT_EQ(error_code(reply(R"({"jsonrpc":"2.0","id":12,"method":"tools/list","params":[1]})")), -32602);
  EXPECT_EQ(fake.echo_calls, 0);
}

TEST_F(McpServerTest, UnparsableLinesAreParseErrorsWithNullId) {
  for (std::string line : {"not json", R"({"jsonrpc":"2.0","id":1,"method":"ping")", "\x01\xff"}) {
    auto answer = reply(line);
    EXPECT_EQ(error_code(answer), -32700) << line;
    ASSERT_TRUE(answer.contains("id")) << line;
    EXPECT_TRUE(answer["id"].is_null()) << line;
  }
}

TEST_F(McpServerTest, NonObjectsAndBatchesAreInvalidRequests) {
  for (std::string line : {R"([{"jsonrpc":"2.0","id":1,"method":"ping"}])", "42", R"("ping")", "null",
                           R"({"jsonrpc":"2.0","method":7})", R"({"jsonrpc":"2.0","id":1.5,"method":"ping"})"}) {
    auto answer = reply(line);
    EXPECT_EQ(error_code(answer), -32600) << line;
    EXPECT_TRUE(answer["id"].is_null()) << line;
  }
  // When the id can be read, the error carries it.
  auto answer = reply(R"({"jsonrpc":"2.0","id":13,"method":["ping"]})");
  EXPECT_EQ(error_code(answer), -32600);
  EXPECT_EQ(answer["id"], 13);
}

TEST_F(McpServerTest, AThrowingToolIsAnInternalErrorAndTheServerKeepsServing) {
  auto failed = request(14, "tools/call", {{"name", "boom"}, {"arguments", json::object()}});
  EXPECT_EQ(failed["id"], 14);
  EXPECT_EQ(error_code(failed), -32603);
  EXPECT_NE(failed["error"]["message"].get<std::string>().find("disk on fire"), std::string::npos);
  EXPECT_EQ(error_code(request(15, "tools/call", {{"name", "not_an_object"}})), -32603);
  EXPECT_EQ(request(16, "ping")["result"], json::object());
  EXPECT_EQ(answer_of(call(17, {{"project_key", "p"}, {"mode", "full"}}))["status"], "ok");
}

TEST(ToolDefinitionProblems, AcceptsAClosedWellNamedTool) {
  FakeTools fake;
  EXPECT_TRUE(tool_definition_problems(fake.tools()).empty()) << ::testing::PrintToString(tool_definition_problems(fake.tools()));
}

TEST(ToolDefinitionProblems, NamesEveryDefect) {
  auto call = [](const ToolContext&, const json&) { return json::object(); };
  const json closed = {{"type", "object"}, {"additionalProperties", false}};
  std::vector<McpTool> tools = {
      {"bad name!", "d", closed, call},
      {"twice", "d", closed, call},
      {"twice", "d", closed, call},
      {"no_description", "", closed, call},
      {"open", "d", {{"type", "object"}}, call},
      {"no_call", "d", closed, nullptr},
      {"broken", "d", {{"type", "object"}, {"additionalProperties", false}, {"properties", {{"a", {{"minLength", "x"}}}}}}, call},
      {std::string(53, 'a'), "d", closed, call},
  };
  auto problems = tool_definition_problems(tools);
  auto mentions = [&](const std::string& a, const std::string& b) {
    return std::any_of(problems.begin(), problems.end(),
                       [&](const std::string& p) { return p.find(a) != std::string::npos && p.find(b) != std::string::npos; });
  };
  EXPECT_TRUE(mentions("tool bad name!", "[A-Za-z0-9_-]")) << ::testing::PrintToString(problems);
  EXPECT_TRUE(mentions("tool twice", "used twice")) << ::testing::PrintToString(problems);
  EXPECT_TRUE(mentions("tool no_description", "description")) << ::testing::PrintToString(problems);
  EXPECT_TRUE(mentions("tool open", "closed object")) << ::testing::PrintToString(problems);
  EXPECT_TRUE(mentions("tool no_call", "call function")) << ::testing::PrintToString(problems);
  EXPECT_TRUE(mentions("tool broken", "invalid JSON schema")) << ::testing::PrintToString(problems);
  EXPECT_TRUE(mentions("tool " + std::string(53, 'a'), "1-52")) << ::testing::PrintToString(problems);
  EXPECT_EQ(problems.size(), 7u) << ::testing::PrintToString(problems);
}

TEST(McpServer, AToolWhoseSchemaDoesNotCompileFailsItsCallsOnly) {
  const json broken = {{"type", "object"}, {"additionalProperties", false}, {"properties", {{"a", {{"minLength", "x"}}}}}};
  McpServer server(ToolContext{"/w"},
                   {McpTool{"broken", "d", broken, [](const ToolContext&, const json&) { return json::object(); }}});
  ASSERT_EQ(server.definition_problems().size(), 1u);
  auto answer = json::parse(*server.on_line(R"({"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"broken"}})"));
  EXPECT_EQ(answer["error"]["code"], -32603);
  auto listed = json::parse(*server.on_line(R"({"jsonrpc":"2.0","id":2,"method":"tools/list"})"));
  EXPECT_EQ(listed["result"]["tools"].size(), 1u);
}

}  // namespace
}  // namespace diary::generate::mcp
