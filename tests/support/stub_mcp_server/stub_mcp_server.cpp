// stub_mcp_server: a minimal MCP server over stdio (newline-delimited JSON-RPC 2.0) for the codex
// registration tests. It answers initialize, tools/list (three tools: echo, whoami, unused) and
// tools/call; notifications get no answer, anything else -32601. Single-threaded.
//
// What it proves to a test:
// - echo returns the call's arguments twice, differently wrapped, so a test can see which part
//   codex forwards to the model: content[0].text = {"content_echo": <args>} and
//   structuredContent = {"structured_echo": <args>}.
// - whoami returns {"argv": [...], "tag": $STUB_MCP_TAG}: the registered args and env arrived.
// - When $STUB_MCP_LOG is set, it first appends {"stub_pid": <pid>} to that file, then every
//   received line, so a test can tell whether codex started this server at all (a disabled
//   server never writes it) and whether that process is still running.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <unistd.h>

#include <nlohmann/json.hpp>

namespace {

using nlohmann::json;

json tool(const char* name, const char* description) {
  return {
      {"name", name},
      {"description", description},
      {"inputSchema", {{"type", "object"}, {"properties", {{"text", {{"type", "string"}}}}}, {"additionalProperties", false}}}};
}

json text_result(const json& text_payload, json structured) {
  return {{"content", json::array({{{"type", "text"}, {"text", text_payload.dump()}}})},
          {"structuredContent", std::move(structured)},
          {"isError", false}};
}

json call_tool(const json& params, const std::vector<std::string>& argv) {
  const std::string name = params.value("name", "");
  const json arguments = params.contains("arguments") ? params["arguments"] : json::object();
  if (name == "echo") return text_result({{"content_echo", arguments}}, {{"structured_echo", arguments}});
  if (name == "whoami") {
    const char* tag = std::getenv("STUB_MCP_TAG");
    json who = {{"argv", argv}, {"tag", tag == nullptr ? json(nullptr) : json(tag)}};
    return text_result(who, who);
  }
  if (name == "unused") return text_result({{"unused", true}}, {{"unused", true}});
  return {{"content", json::array({{{"type", "text"}, {"text", "unknown tool: " + name}}})}, {"isError", true}};
}

json answer(const json& request, const std::vector<std::string>& argv) {
  const std::string method = request.value("method", "");
  const json params = request.contains("params") ? request["params"] : json::object();
  if (method == "initialize")
    return {{"result",
             {{"protocolVersion", params.value("protocolVersion", "2025-06-18")},
              {"capabilities", {{"tools", json::object()}}},
              {"serverInfo", {{"name", "stub"}, {"version", "1"}}}}}};
  if (method == "tools/list")
    return {{"result",
             {{"tools", json::array({tool("echo", "Echoes its arguments."), tool("whoami", "Reports argv and $STUB_MCP_TAG."),
                                     tool("unused", "A tool tests keep disabled.")})}}}};
  if (method == "tools/call") return {{"result", call_tool(params, argv)}};
  if (method == "ping") return {{"result", json::object()}};
  return {{"error", {{"code", -32601}, {"message", "method not found: " + method}}}};
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  std::ofstream log;
  if (const char* path = std::getenv("STUB_MCP_LOG")) {
    log.open(path, std::ios::app);
    log << json{{"stub_pid", ::getpid()}}.dump() << std::endl;
  }
  std::string line;
  while (std::getline(std::cin, line)) {
    if (log.is_open()) log << line << std::endl;
    const json request = json::parse(line, nullptr, false);
    if (request.is_discarded() || !request.is_object() || !request.contains("id")) continue;
    json reply = answer(request, args);
    reply["jsonrpc"] = "2.0";
    reply["id"] = request["id"];
    std::cout << reply.dump() << std::endl;
  }
  return 0;
}
