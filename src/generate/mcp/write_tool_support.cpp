#include "generate/mcp/write_tool_support.h"

#include <string>

namespace diary::generate::mcp {

using nlohmann::json;

json text_schema(std::string_view description) {
  json schema = {{"type", "string"}, {"minLength", 1}};
  if (!description.empty()) schema["description"] = description;
  return schema;
}

json term_schema(const artifacts::Vocabulary& vocabulary) {
  json schema = vocabulary.enum_schema();
  std::string description;
  for (const auto& term : vocabulary.terms) {
    if (!description.empty()) description += "; ";
    description += term.value;
    description += ": ";
    description += term.description;
  }
  schema["description"] = description;
  return schema;
}

json object_schema(json properties, std::initializer_list<std::string_view> required, std::string_view description) {
  json names = json::array();
  for (auto name : required) names.push_back(name);
  json schema = {{"type", "object"}, {"additionalProperties", false}, {"required", names}, {"properties", std::move(properties)}};
  if (!description.empty()) schema["description"] = description;
  return schema;
}

json array_schema(json items, std::string_view description, std::size_t min_items) {
  json schema = {{"type", "array"}, {"items", std::move(items)}};
  if (min_items > 0) schema["minItems"] = min_items;
  if (!description.empty()) schema["description"] = description;
  return schema;
}

std::expected<workspace::DayWorkspace, artifacts::Problem> load_call_workspace(const ToolContext& context) {
  auto day = workspace::DayWorkspace::load(context.workspace);
  if (day) return std::move(*day);
  return std::unexpected(artifacts::Problem{
      "", "the prepared workspace cannot be read: " + day.error().message,
      "this is not a problem of your arguments: stop and report it (the workspace must be prepared with diary prepare)"});
}

json commit_failed(const agent::Error& error) {
  return artifacts::invalid_result({artifacts::Problem{
      "", "the artifact could not be written: " + error.message,
      "this is not a problem of your arguments: retry the same call once; if it fails again, stop and report it"}});
}

}  // namespace diary::generate::mcp
