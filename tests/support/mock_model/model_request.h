// One request the mock model server received (path + parsed JSON body of a Responses API call)
// and read-only helpers that interpret it the way a model would: the latest user prompt, the tool
// outputs since then, the tools on offer. Plain value type; safe to copy between threads.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace diary::test {

// A tool from the request's `tools[]`. MCP tools sit inside a `namespace` entry (e.g.
// `mcp__diary`) and must be called with that namespace; built-in tools have none.
struct OfferedTool {
  std::string tool_namespace;  // empty for top-level tools
  std::string name;

  friend bool operator==(const OfferedTool&, const OfferedTool&) = default;
};

// One tool call the model made (a `function_call` item) and codex's answer to it (the matching
// `function_call_output`, by call_id); `output` is empty and `answered` false while unanswered.
struct ToolExchange {
  std::string tool_namespace;  // e.g. "mcp__diary"; empty for top-level tools
  std::string name;
  nlohmann::json arguments;  // parsed from the call's JSON string; null when it does not parse
  std::string output;        // text parts joined by "\n", as function_outputs_since_last_user
  bool answered = false;

  friend bool operator==(const ToolExchange&, const ToolExchange&) = default;
};

struct ModelRequest {
  std::string path;     // e.g. "/v1/responses"
  nlohmann::json body;  // the full JSON body as codex sent it

  std::string model() const;
  // Text of the last `role: user` message in `input` (its input_text parts joined by "\n");
  // empty when there is none.
  std::string last_user_text() const;
  // Outputs of the `function_call_output` items after that message, oldest first (array
  // outputs are flattened to their text parts).
  std::vector<std::string> function_outputs_since_last_user() const;
  // The tool calls after the latest user message with their outputs, oldest first.
  std::vector<ToolExchange> tool_exchanges_since_last_user() const;
  // Every tool call in the whole conversation (earlier turns included), oldest first.
  std::vector<ToolExchange> all_tool_exchanges() const;
  // Texts of the assistant messages before the latest user message (earlier turns), oldest first.
  std::vector<std::string> assistant_texts_before_last_user() const;
  // True when `text.format` is present (codex sets it for an output schema).
  bool has_output_schema() const;
  std::vector<OfferedTool> offered_tools() const;
  // The shell tool codex offers (exec_command, shell_command or shell), if any.
  std::optional<std::string> shell_tool() const;
  std::string prompt_cache_key() const;

  friend bool operator==(const ModelRequest&, const ModelRequest&) = default;
};

void PrintTo(const ModelRequest& request, std::ostream* out);

}  // namespace diary::test
