// One tool that `diary mcp serve` publishes: its name, a description for the model, its complete
// input JSON Schema (every enum, `required`, `additionalProperties:false`, generated from the
// vocabularies) and the function that runs an already schema-validated call. A tool answers with
// a JSON object: its accepted result, or artifacts::invalid_result(problems) for a call that the
// workspace rejects (never an exception, never a JSON-RPC error). Value type; `call` may be used
// from one thread at a time.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace diary::generate::mcp {

// What every tool works on: the workspace root (<reports-root>/work/<date>). Tools never touch a
// path outside it.
struct ToolContext {
  std::filesystem::path workspace;
};

struct McpTool {
  std::string name;
  std::string description;
  nlohmann::json input_schema;
  std::function<nlohmann::json(const ToolContext& context, const nlohmann::json& arguments)> call;
};

// Every tool diary serves, in a fixed order (mcp/diary_tools.cpp: one line per tool).
std::vector<McpTool> diary_tools();

}  // namespace diary::generate::mcp
