#include "generate/mcp/mcp_server.h"

#include <algorithm>
#include <exception>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "generate/artifacts/problem.h"
#include "generate/mcp/argument_problems.h"

namespace diary::generate::mcp {

namespace {

using nlohmann::json;
namespace rpc = jsonrpc;
namespace code = jsonrpc::rpc_code;
constexpr auto v2 = jsonrpc::Envelope::jsonrpc2;

// Codex shows a tool to the model as mcp__diary__<name>, and a model-facing function name is at
// most 64 characters of [A-Za-z0-9_-]: 64 - strlen("mcp__diary__") leaves 52.
constexpr std::size_t max_tool_name = 52;

bool is_safe_tool_name(const std::string& name) {
  if (name.empty() || name.size() > max_tool_name) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

bool is_blank(std::string_view line) { return line.find_first_not_of(" \t\r") == std::string_view::npos; }

std::string error_reply(const std::optional<rpc::RequestId>& id, int error_code, std::string_view message) {
  return rpc::encode_error(id, error_code, message, v2);
}

// The MCP CallToolResult for one tool answer: the JSON text for clients that read `content`,
// the object itself for those that read `structuredContent`.
json call_result(const json& answer) {
  const std::string text = answer.dump(-1, ' ', false, json::error_handler_t::replace);
  return {{"content", json::array({{{"type", "text"}, {"text", text}}})}, {"structuredContent", answer}, {"isError", false}};
}

}  // namespace

std::vector<std::string> tool_definition_problems(const std::vector<McpTool>& tools) {
  std::vector<std::string> problems;
  std::set<std::string> seen;
  for (const auto& tool : tools) {
    const std::string who = tool.name.empty() ? std::string("a tool without a name") : "tool " + tool.name;
    if (!is_safe_tool_name(tool.name))
      problems.push_back(fmt::format("{}: the name must be 1-{} characters of [A-Za-z0-9_-]", who, max_tool_name));
    if (!seen.insert(tool.name).second) problems.push_back(fmt::format("{}: the name is used twice", who));
    if (tool.description.empty()) problems.push_back(fmt::format("{}: the description is empty", who));
    if (!tool.call) problems.push_back(fmt::format("{}: there is no call function", who));
    const json& schema = tool.input_schema;
    if (!schema.is_object() || schema.value("type", json()) != "object" || schema.value("additionalProperties", json()) != false)
      problems.push_back(
          fmt::format("{}: the input schema must be a closed object "
                      "(\"type\":\"object\", \"additionalProperties\":false)",
                      who));
    if (auto compiled = JsonSchema::compile(schema); !compiled)
      problems.push_back(fmt::format("{}: {}", who, compiled.error().message));
  }
  return problems;
}

McpServer::McpServer(ToolContext context, std::vector<McpTool> tools)
    : context_(std::move(context)), definition_problems_(tool_definition_problems(tools)) {
  entries_.reserve(tools.size());
  for (auto& tool : tools) {
    auto compiled = JsonSchema::compile(tool.input_schema);
    std::optional<JsonSchema> schema;
    if (compiled) schema.emplace(std::move(*compiled));
    entries_.push_back(Entry{std::move(tool), std::move(schema)});
  }
}

std::optional<std::string> McpServer::on_line(std::string_view line) {
  try {
    return answer(line);
  } catch (const std::exception& e) {  // e.g. std::bad_alloc: this line fails, the server lives
    return error_reply(std::nullopt, code::internal_error, fmt::format("internal error: {}", e.what()));
  }
}

std::optional<std::string> McpServer::answer(std::string_view line) {
  if (is_blank(line)) return std::nullopt;  // keep-alive newlines are not messages
  json message = json::parse(line.begin(), line.end(), nullptr, /*allow_exceptions=*/false);
  if (message.is_discarded()) return error_reply(std::nullopt, code::parse_error, "parse error: the line is not JSON");
  if (message.is_array())
    return error_reply(std::nullopt, code::invalid_request, "batches are not supported: send one message per line");
  if (!message.is_object()) return error_reply(std::nullopt, code::invalid_request, "a JSON-RPC message must be a JSON object");

  std::optional<rpc::RequestId> id;
  if (auto it = message.find("id"); it != message.end()) id = rpc::parse_request_id(*it);
  rpc::IncomingMessage incoming = rpc::classify_json(std::move(message));
  if (auto* request = std::get_if<rpc::IncomingRequest>(&incoming)) {
    try {
      return handle(*request);
    } catch (const std::exception& e) {
      return error_reply(request->id, code::internal_error, fmt::format("internal error: {}", e.what()));
    }
  }
  if (auto* bad = std::get_if<rpc::Unclassifiable>(&incoming))
    return error_reply(id, code::invalid_request, fmt::format("invalid request: {}", bad->reason));
  return std::nullopt;  // notifications, and responses to requests this server never sends
}

std::string McpServer::handle(const rpc::IncomingRequest& request) {
  if (!request.params.is_null() && !request.params.is_object())
    return error_reply(request.id, code::invalid_params, "params must be an object");
  const std::string& method = request.method;
  if (method == "initialize") return initialize(request.id, request.params);
  if (method == "ping") return rpc::encode_result(request.id, json::object(), v2);
  if (method == "tools/list") return list_tools(request.id);
  if (method == "tools/call") return call_tool(request.id, request.params);
  return error_reply(request.id, code::method_not_found, fmt::format("method not found: {}", method));
}

std::string McpServer::initialize(const rpc::RequestId& id, const json& params) const {
  std::string_view version = supported_protocol_versions.front();
  if (params.is_object()) {
    if (auto asked = params.find("protocolVersion"); asked != params.end() && asked->is_string()) {
      const auto& wanted = asked->get_ref<const std::string&>();
      if (std::find(supported_protocol_versions.begin(), supported_protocol_versions.end(), wanted) !=
          supported_protocol_versions.end())
        version = wanted;
    }
  }
  json result = {{"protocolVersion", version},
                 {"capabilities", {{"tools", json::object()}}},
                 {"serverInfo", {{"name", "diary"}, {"version", DIARY_VERSION}}}};
  return rpc::encode_result(id, result, v2);
}

std::string McpServer::list_tools(const rpc::RequestId& id) const {
  json tools = json::array();
  for (const auto& entry : entries_)
    tools.push_back(
        {{"name", entry.tool.name}, {"description", entry.tool.description}, {"inputSchema", entry.tool.input_schema}});
  return rpc::encode_result(id, json{{"tools", std::move(tools)}}, v2);
}

const McpServer::Entry* McpServer::find(std::string_view name) const {
  for (const auto& entry : entries_)
    if (entry.tool.name == name) return &entry;
  return nullptr;
}

std::string McpServer::call_tool(const rpc::RequestId& id, const json& params) {
  const json* name = params.is_object() && params.contains("name") ? &params["name"] : nullptr;
  if (name == nullptr || !name->is_string())
    return error_reply(id, code::invalid_params, "tools/call needs params.name: the name of a tool from tools/list");
  const std::string& tool_name = name->get_ref<const std::string&>();
  const Entry* entry = find(tool_name);
  if (entry == nullptr)
    return error_reply(id, code::invalid_params, fmt::format("unknown tool: {} (tools/list names the tools)", tool_name));

  static const json no_arguments = json::object();
  const json* arguments = &no_arguments;
  if (auto it = params.find("arguments"); it != params.end() && !it->is_null()) arguments = &*it;
  if (!arguments->is_object()) return error_reply(id, code::invalid_params, "params.arguments must be an object");

  if (!entry->schema)
    return error_reply(id, code::internal_error, fmt::format("tool {} has an input schema diary cannot compile", tool_name));
  // Schema first: the tool only ever sees arguments of the published shape.
  if (auto problems = argument_problems(*entry->schema, *arguments, tool_name); !problems.empty())
    return rpc::encode_result(id, call_result(artifacts::invalid_result(problems)), v2);

  json answer;
  try {
    answer = entry->tool.call(context_, *arguments);
  } catch (const std::exception& e) {
    return error_reply(id, code::internal_error, fmt::format("tool {} failed: {}", tool_name, e.what()));
  } catch (...) {
    return error_reply(id, code::internal_error, fmt::format("tool {} failed", tool_name));
  }
  if (!answer.is_object())
    return error_reply(id, code::internal_error, fmt::format("tool {} answered with no JSON object", tool_name));
  return rpc::encode_result(id, call_result(answer), v2);
}

}  // namespace diary::generate::mcp
