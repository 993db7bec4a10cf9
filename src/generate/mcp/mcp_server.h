// The MCP server behind `diary mcp serve`, sans-io: one JSON-RPC 2.0 line in, at most one line
// out (src/jsonrpc does the framing, classification and encoding, as for the codex client).
// Methods: initialize (protocol version negotiation), notifications/initialized, ping,
// tools/list (every tool's full input schema) and tools/call, which validates `arguments`
// against the tool's schema before the tool runs: a rejected call is a normal result
// {"status":"invalid","errors":[{path,message,hint}]}, never a JSON-RPC error. Bad messages get
// the JSON-RPC error codes (-32700/-32600/-32601/-32602); a tool that throws gets -32603 and the
// server keeps serving. Notifications and responses are never answered.
// Not thread-safe: one server per connection, used from one thread.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "generate/check/json_schema.h"
#include "generate/mcp/tool.h"
#include "jsonrpc/rpc_message.h"

namespace diary::generate::mcp {

// Newest first; a client asking for another version is answered with the first.
inline constexpr std::array<std::string_view, 3> supported_protocol_versions = {"2025-06-18", "2025-03-26", "2024-11-05"};

// What is wrong with a tool list as a published MCP surface: empty or unsafe names, duplicate
// names, empty descriptions, schemas that do not compile or are not closed objects
// (`type:"object"`, `additionalProperties:false`), missing call functions. One line each.
std::vector<std::string> tool_definition_problems(const std::vector<McpTool>& tools);

class McpServer {
 public:
  McpServer(ToolContext context, std::vector<McpTool> tools);

  // The reply to one received line (without its '\n'), or nullopt when none is due (blank
  // lines, notifications, responses). Never throws.
  std::optional<std::string> on_line(std::string_view line);

  // tool_definition_problems() of the tools given, found at construction. A tool whose schema
  // does not compile stays listed, and calls to it fail with -32603.
  const std::vector<std::string>& definition_problems() const { return definition_problems_; }

 private:
  struct Entry {
    McpTool tool;
    std::optional<JsonSchema> schema;  // nullopt when the tool's input schema does not compile
  };

  std::optional<std::string> answer(std::string_view line);
  std::string handle(const jsonrpc::IncomingRequest& request);
  std::string initialize(const jsonrpc::RequestId& id, const nlohmann::json& params) const;
  std::string list_tools(const jsonrpc::RequestId& id) const;
  std::string call_tool(const jsonrpc::RequestId& id, const nlohmann::json& params);
  const Entry* find(std::string_view name) const;

  ToolContext context_;
  std::vector<Entry> entries_;
  std::vector<std::string> definition_problems_;
};

}  // namespace diary::generate::mcp
