#include "support/mock_model/reply_wire.h"

#include <algorithm>

namespace diary::test {

namespace {

using nlohmann::json;

struct Ids {
  std::string response;
  std::string item;
  std::string call;
};

Ids make_ids(std::uint64_t sequence) {
  const auto n = std::to_string(sequence);
  return {"resp_mock_" + n, "item_mock_" + n, "call_mock_" + n};
}

void add_event(std::string& stream, const std::string& type, json data) {
  data["type"] = type;
  stream += "event: " + type + "\ndata: " + data.dump() + "\n\n";
}

json usage_json(const Usage& usage) {
  return {{"input_tokens", usage.input_tokens},
          {"input_tokens_details", {{"cached_tokens", usage.cached_input_tokens}}},
          {"output_tokens", usage.output_tokens},
          {"output_tokens_details", {{"reasoning_tokens", usage.reasoning_output_tokens}}},
          {"total_tokens", usage.input_tokens + usage.output_tokens}};
}

HttpAnswer sse(std::string body) { return {200, "text/event-stream", std::move(body)}; }

// Events shared by every streamed answer: created, the output items, completed.
HttpAnswer completed_stream(const Ids& ids, const Usage& usage, const std::string& items) {
  std::string stream;
  add_event(stream, "response.created", {{"response", {{"id", ids.response}}}});
  stream += items;
  add_event(stream, "response.completed",
            {{"response", {{"id", ids.response}, {"status", "completed"}, {"usage", usage_json(usage)}}}});
  return sse(std::move(stream));
}

HttpAnswer failed_stream(const Ids& ids, const std::string& code, const std::string& message) {
  std::string stream;
  add_event(stream, "response.created", {{"response", {{"id", ids.response}}}});
  add_event(stream, "response.failed",
            {{"response", {{"id", ids.response}, {"status", "failed"}, {"error", {{"code", code}, {"message", message}}}}}});
  return sse(std::move(stream));
}

HttpAnswer message_stream(const Reply& reply, const Ids& ids) {
  json item = {{"type", "message"},
               {"role", "assistant"},
               {"id", ids.item},
               {"content", json::array({{{"type", "output_text"}, {"text", reply.text}}})}};
  if (reply.phase) item["phase"] = *reply.phase;
  json started = item;
  started["content"] = json::array();
  // Streamed like the real API (added, one delta, done) so clients see delta notifications.
  std::string items;
  add_event(items, "response.output_item.added", {{"output_index", 0}, {"item", started}});
  add_event(items, "response.output_text.delta",
            {{"output_index", 0}, {"item_id", ids.item}, {"content_index", 0}, {"delta", reply.text}});
  add_event(items, "response.output_item.done", {{"output_index", 0}, {"item", item}});
  return completed_stream(ids, reply.usage, items);
}

HttpAnswer function_call_stream(const Reply& reply, const Ids& ids, const std::string& name, const std::string& tool_namespace,
                                const json& arguments) {
  json item = {
      {"type", "function_call"}, {"id", ids.item}, {"name", name}, {"arguments", arguments.dump()}, {"call_id", ids.call}};
  if (!tool_namespace.empty()) item["namespace"] = tool_namespace;
  std::string items;
  add_event(items, "response.output_item.done", {{"output_index", 0}, {"item", item}});
  return completed_stream(ids, reply.usage, items);
}

// MCP tools live inside namespaces; a bare name is looked up there when no top-level tool has it.
std::string resolve_namespace(const Reply& reply, const ModelRequest& request) {
  if (!reply.tool_namespace.empty()) return reply.tool_namespace;
  const auto tools = request.offered_tools();
  auto top_level = std::find_if(tools.begin(), tools.end(), [&](const OfferedTool& tool) {
    return tool.tool_namespace.empty() && tool.name == reply.tool_name;
  });
  if (top_level != tools.end()) return {};
  auto nested = std::find_if(tools.begin(), tools.end(), [&](const OfferedTool& tool) { return tool.name == reply.tool_name; });
  return nested == tools.end() ? std::string{} : nested->tool_namespace;
}

// Each shell tool generation takes its command in a different argument shape.
json shell_arguments(const std::string& tool, const std::string& command) {
  if (tool == "exec_command") return {{"cmd", command}};
  if (tool == "shell_command") return {{"command", command}};
  return {{"command", json::array({"bash", "-lc", command})}};
}

std::string offered_names(const ModelRequest& request) {
  std::string names;
  for (const auto& tool : request.offered_tools()) {
    if (!names.empty()) names += ", ";
    names += tool.tool_namespace.empty() ? tool.name : tool.tool_namespace + "." + tool.name;
  }
  return names.empty() ? "none" : names;
}

}  // namespace

HttpAnswer json_error(int status, const std::string& message) {
  json body = {{"error", {{"message", message}, {"type", "mock_error"}, {"code", "mock_http_" + std::to_string(status)}}}};
  return {status, "application/json", body.dump()};
}

HttpAnswer render_reply(const Reply& reply, const ModelRequest& request, std::uint64_t sequence) {
  const Ids ids = make_ids(sequence);
  switch (reply.kind) {
    case Reply::Kind::message: return message_stream(reply, ids);
    case Reply::Kind::tool_call:
      return function_call_stream(reply, ids, reply.tool_name, resolve_namespace(reply, request), reply.tool_arguments);
    case Reply::Kind::shell: {
      auto tool = request.shell_tool();
      if (!tool)
        return failed_stream(ids, "mock_no_shell_tool",
                             "mock model: the request offers no shell tool (offered: " + offered_names(request) + ")");
      return function_call_stream(reply, ids, *tool, {}, shell_arguments(*tool, reply.command));
    }
    case Reply::Kind::http_error: return json_error(reply.http_status, reply.error_message);
    case Reply::Kind::failed: return failed_stream(ids, reply.error_code, reply.error_message);
    case Reply::Kind::hang: break;
  }
  return json_error(500, "mock model: a hang reply has no wire form");
}

}  // namespace diary::test
