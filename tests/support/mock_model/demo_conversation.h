// What the demo agent knows about its conversation, read only from the request a real model
// would get: the assignment (the last ```json block of the latest user message), the tool calls
// it made since then with codex's answers parsed, what it said in earlier turns, and the tools on
// offer. Plus the two ways it answers: call a tool (through the namespace the request offers it
// in) or end the turn with a labelled final message. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/mock_model/model_request.h"
#include "support/mock_model/reply.h"

namespace diary::test::demo {

// A tool call and its result: the JSON codex handed back, or null when there is none (not yet
// answered, or not JSON).
struct ToolCall {
  std::string name;
  nlohmann::json arguments;
  nlohmann::json result;
  std::string output;  // the raw output text, for messages
};

struct Conversation {
  nlohmann::json assignment;            // an object with a string "pass", or null
  std::string assignment_problem;       // why there is none
  std::vector<ToolCall> calls;          // since the latest user message, oldest first
  std::vector<ToolCall> earlier_calls;  // before it (earlier turns)
  std::vector<std::string> earlier_assistant_texts;
  std::vector<OfferedTool> tools;
};

Conversation read_conversation(const ModelRequest& request);

// The last ```json fenced block of `text`, parsed; nullopt when there is none or it is not JSON.
std::optional<nlohmann::json> last_json_block(std::string_view text);

// The JSON result inside an MCP tool output as codex 0.169.0 delivers it ("Wall time: ...
// \nOutput:\n<json>", see docs/generate.md); null when it holds no JSON.
nlohmann::json parse_tool_output(std::string_view output);

// The calls (since the latest user message) of tool `name`, oldest first.
std::vector<const ToolCall*> calls_of(const Conversation& conversation, std::string_view name);

bool is_invalid(const nlohmann::json& result);  // {"status":"invalid",...}
// The rejection's messages joined for a final message.
std::string error_summary(const nlohmann::json& result);

// Every line the demo agent prints starts so: nobody must mistake it for a model.
inline constexpr std::string_view label = "DEMO agent (scripted, not a model): ";

Reply final_message(std::string_view text);
// A call of the MCP tool `name` in the namespace the request offers it in; a final message saying
// so when the request does not offer it.
Reply call_tool(const Conversation& conversation, const std::string& name, nlohmann::json arguments);

// Text helpers for what the agent writes: the first line of `text`, cut to `max_chars` Unicode
// characters ("..." marks a cut).
std::string one_line(std::string_view text, std::size_t max_chars);

// "1 work item", "3 work items" (`noun` takes an "s").
std::string count_of(std::size_t n, std::string_view noun);
// A title from a request or summary: without a leading "The user asked: ", its first sentence,
// at most `max_chars` characters.
std::string short_title(std::string_view text, std::size_t max_chars);

// A non-negative decimal number that is the whole of `text` (a JSON pointer's array index).
std::optional<std::size_t> parse_index(std::string_view text);

// Field access that never throws on hostile input.
std::string text_field(const nlohmann::json& object, const char* key);
long long integer_field(const nlohmann::json& object, const char* key, long long fallback = 0);
const nlohmann::json& array_field(const nlohmann::json& object, const char* key);

}  // namespace diary::test::demo
