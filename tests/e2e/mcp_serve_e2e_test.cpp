// `diary mcp serve` as a process, the way codex runs it: a conversation over real pipes where
// every reply must arrive (flushed) before the next request is written, notifications answered
// by nothing, garbage survived, and EOF on stdin ending the server with 0.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "spawned_process.h"
#include "support/scratch_dir.h"

namespace diary::test {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::size_t complete_lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

class McpServeTest : public ::testing::Test {
 protected:
  void SetUp() override { fs::create_directories(workspace_); }

  std::vector<std::string> environment(bool with_workspace = true) const {
    std::vector<std::string> env = {"PATH=/usr/bin:/bin", "HOME=" + scratch_.path().string()};
    if (with_workspace) env.push_back("DIARY_WORKSPACE=" + workspace_.string());
    return env;
  }

  std::unique_ptr<SpawnedProcess> start(std::vector<std::string> env) {
    return std::make_unique<SpawnedProcess>(std::vector<std::string>{DIARY_BIN, "mcp", "serve"}, scratch_.path(), env,
                                            SpawnedProcess::Stdin::pipe);
  }

  // Writes `bytes` and waits for the reply count to reach `replies`; returns the newest line.
  json exchange(SpawnedProcess& server, const std::string& bytes, std::size_t replies) {
    EXPECT_TRUE(server.write_stdin(bytes)) << "stdin closed; stderr: " << server.err();
    const bool answered = server.wait_for_out([&](const std::string& out) { return complete_lines(out) >= replies; }, 10s);
    EXPECT_TRUE(answered) << "no reply #" << replies << " to " << bytes << "\nstdout: " << server.out()
                          << "\nstderr: " << server.err();
    if (!answered) return json();
    const auto lines = lines_of(server.out());
    EXPECT_EQ(lines.size(), replies) << "one reply per request, none for notifications: " << server.out();
    return json::parse(lines.at(replies - 1), nullptr, false);
  }

  ScratchDir scratch_;
  fs::path workspace_ = scratch_ / "work" / "2026-01-15";
};

TEST_F(McpServeTest, ConformanceConversationOverStdio) {
  auto server = start(environment());

  auto init = exchange(*server,
                       R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-03-26",)"
                       R"("capabilities":{},"clientInfo":{"name":"codex-mcp-client","version":"0.169.0"}}})"
                       "\n",
                       1);
  EXPECT_EQ(init["jsonrpc"], "2.0");
  EXPECT_EQ(init["id"], 1);
  EXPECT_EQ(init["result"]["protocolVersion"], "2025-03-26");
  EXPECT_EQ(init["result"]["serverInfo"]["name"], "diary");
  EXPECT_EQ(init["result"]["serverInfo"]["version"], DIARY_VERSION);
  EXPECT_TRUE(init["result"]["capabilities"]["tools"].is_object());

  // The notification gets no line: the next line out is the answer to tools/list.
  auto list = exchange(*server,
                       "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n"
                       "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/list\"}\n",
                       2);
  EXPECT_EQ(list["id"], 2);
  ASSERT_TRUE(list["result"]["tools"].is_array()) << list;
  for (const auto& tool : list["result"]["tools"]) {
    EXPECT_TRUE(tool["name"].is_string()) << tool;
    EXPECT_TRUE(tool["description"].is_string()) << tool;
    EXPECT_EQ(tool["inputSchema"]["type"], "object") << tool;
  }

  std::size_t replies = 2;
  if (!list["result"]["tools"].empty()) {
    // Every published schema is closed, so an unknown property is rejected before the tool runs:
    // a normal result naming the property by JSON pointer, not a JSON-RPC error.
    json call = {{"jsonrpc", "2.0"},
                 {"id", 3},
                 {"method", "tools/call"},
                 {"params", {{"name", list["result"]["tools"][0]["name"]}, {"arguments", {{"not_a_property", true}}}}}};
    auto rejected = exchange(*server, call.dump() + "\n", ++replies);
    ASSERT_TRUE(rejected.contains("result")) << rejected;
    EXPECT_EQ(rejected["result"]["isError"], false);
    EXPECT_EQ(rejected["result"]["structuredContent"]["status"], "invalid");
    EXPECT_EQ(json::parse(rejected["result"]["content"][0]["text"].get<std::string>()), rejected["result"]["structuredContent"]);
    bool names_it = false;
    for (const auto& error : rejected["result"]["structuredContent"]["errors"])
      names_it = names_it || error["path"] == "/not_a_property";
    EXPECT_TRUE(names_it) << rejected;
  }

  auto unknown_tool = exchange(*server,
                               R"({"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"no_such_tool","arguments":{}}})"
                               "\n",
                               ++replies);
  EXPECT_EQ(unknown_tool["id"], 4);
  EXPECT_EQ(unknown_tool["error"]["code"], -32602);

  auto ping = exchange(*server,
                       R"({"jsonrpc":"2.0","id":"p-5","method":"ping"})"
                       "\n",
                       ++replies);
  EXPECT_EQ(ping["id"], "p-5");
  EXPECT_EQ(ping["result"], json::object());

  auto unknown = exchange(*server,
                          R"({"jsonrpc":"2.0","id":6,"method":"prompts/list"})"
                          "\n",
                          ++replies);
  EXPECT_EQ(unknown["id"], 6);
  EXPECT_EQ(unknown["error"]["code"], -32601);

  auto garbage = exchange(*server, "this is not json {\n", ++replies);
  EXPECT_EQ(garbage["error"]["code"], -32700);
  EXPECT_TRUE(garbage["id"].is_null());
  auto batch = exchange(*server,
                        R"([{"jsonrpc":"2.0","id":7,"method":"ping"}])"
                        "\n",
                        ++replies);
  EXPECT_EQ(batch["error"]["code"], -32600);

  // A request split across writes is answered once its line is complete, not before.
  EXPECT_TRUE(server->write_stdin(R"({"jsonrpc":"2.0","id":8,)"));
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(complete_lines(server->out()), replies) << "answered half a line: " << server->out();
  auto joined = exchange(*server,
                         R"("method":"ping"})"
                         "\n",
                         ++replies);
  EXPECT_EQ(joined["id"], 8);

  // A last request without its newline, then EOF: answered, and the server ends with 0.
  EXPECT_TRUE(server->write_stdin(R"({"jsonrpc":"2.0","id":9,"method":"ping"})"));
  server->close_stdin();
  const auto code = server->wait(10s);
  ASSERT_TRUE(code.has_value()) << "still running after EOF; stderr: " << server->err();
  EXPECT_EQ(*code, 0) << server->err();
  const auto lines = lines_of(server->out());
  ASSERT_EQ(lines.size(), replies + 1) << server->out();
  EXPECT_EQ(json::parse(lines.back())["id"], 9);
  // stdout is protocol only.
  for (const auto& line : lines) {
    const json message = json::parse(line, nullptr, false);
    ASSERT_TRUE(message.is_object()) << line;
    EXPECT_EQ(message["jsonrpc"], "2.0") << line;
  }
}

TEST_F(McpServeTest, AnOverlongLineIsAParseErrorAndTheNextLineIsServed) {
  auto server = start(environment());
  // 17 MiB without a newline (over the 16 MiB cap), then its newline and a ping in one write.
  const std::string huge = R"({"jsonrpc":"2.0","id":1,"method":"ping","params":{"pad":")" + std::string(17u << 20, 'x');
  EXPECT_TRUE(server->write_stdin(huge));
  auto skipped = exchange(*server,
                          "\"}}\n"
                          R"({"jsonrpc":"2.0","id":2,"method":"ping"})"
                          "\n",
                          2);
  const auto lines = lines_of(server->out());
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(json::parse(lines[0])["error"]["code"], -32700) << lines[0];
  EXPECT_EQ(skipped["id"], 2);
  EXPECT_EQ(skipped["result"], json::object());
  server->close_stdin();
  EXPECT_EQ(server->wait(10s), 0) << server->err();
}

TEST_F(McpServeTest, TheWorkspaceDefaultsToTheCurrentDirectory) {
  SpawnedProcess server({DIARY_BIN, "mcp", "serve"}, workspace_, environment(/*with_workspace=*/false),
                        SpawnedProcess::Stdin::pipe);
  EXPECT_TRUE(server.write_stdin(R"({"jsonrpc":"2.0","id":1,"method":"ping"})"
                                 "\n"));
  server.close_stdin();
  const auto code = server.wait(10s);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 0) << server.err();
  EXPECT_EQ(json::parse(server.out())["result"], json::object()) << server.out();
}

TEST_F(McpServeTest, AMissingWorkspaceIsOneErrorLineAndExit2) {
  auto env = environment(false);
  env.push_back("DIARY_WORKSPACE=" + (scratch_ / "does-not-exist").string());
  SpawnedProcess server({DIARY_BIN, "mcp", "serve"}, scratch_.path(), env, SpawnedProcess::Stdin::pipe);
  const auto code = server.wait(10s);
  ASSERT_TRUE(code.has_value()) << "it must not wait for stdin";
  EXPECT_EQ(*code, 2);
  EXPECT_EQ(server.out(), "");
  const auto err = lines_of(server.err());
  ASSERT_EQ(err.size(), 1u) << server.err();
  EXPECT_TRUE(err[0].starts_with("error: ")) << err[0];
  EXPECT_NE(err[0].find("DIARY_WORKSPACE"), std::string::npos) << err[0];
}

TEST_F(McpServeTest, HelpExplainsTheServer) {
  SpawnedProcess mcp_help({DIARY_BIN, "mcp", "--help"}, scratch_.path(), environment());
  ASSERT_EQ(mcp_help.wait(10s), 0) << mcp_help.err();
  EXPECT_NE(mcp_help.out().find("serve"), std::string::npos) << mcp_help.out();
  SpawnedProcess serve_help({DIARY_BIN, "mcp", "serve", "--help"}, scratch_.path(), environment());
  ASSERT_EQ(serve_help.wait(10s), 0) << serve_help.err();
  for (const char* expected : {"DIARY_WORKSPACE", "tools/call", "stderr", "Exit codes"})
    EXPECT_NE(serve_help.out().find(expected), std::string::npos) << expected << " in " << serve_help.out();
}

}  // namespace
}  // namespace diary::test
