#include "generate/mcp/daily_slot_tool.h"

#include <algorithm>

#include <fmt/format.h>

#include "generate/artifacts/problem.h"
#include "generate/artifacts/vocabulary.h"
#include "generate/daily/citation_index.h"
#include "generate/daily/slot_checks.h"
#include "generate/daily/slot_store.h"

namespace diary::generate::mcp {

using artifacts::Problems;
using nlohmann::json;

namespace daily_schema {

json text() { return {{"type", "string"}, {"minLength", 1}}; }

json closed_object(json properties, std::vector<std::string> optional_keys) {
  json required = json::array();
  for (const auto& [key, _] : properties.items())
    if (std::find(optional_keys.begin(), optional_keys.end(), key) == optional_keys.end()) required.push_back(key);
  return {{"type", "object"}, {"additionalProperties", false}, {"required", required}, {"properties", std::move(properties)}};
}

json citations(bool cross_project) {
  json citation = cross_project
                      ? closed_object({{"project_key", text()}, {"session_ref", text()}, {"turn_ref", text()}})
                      : closed_object({{"project_key", text()}, {"session_ref", text()}, {"turn_ref", text()}}, {"project_key"});
  return {{"type", "array"}, {"minItems", 1}, {"items", std::move(citation)}};
}

json cited_text(bool cross_project) { return closed_object({{"text", text()}, {"citations", citations(cross_project)}}); }

json cited_lead() {
  return closed_object(
      {{"text", text()}, {"citations", citations(true)}, {"confidence", artifacts::confidence_levels().enum_schema()}});
}

json claims(const json& extra_properties, const std::vector<std::string>& text_fields) {
  json properties = extra_properties;
  for (const auto& field : text_fields) properties[field] = text();
  properties["citations"] = citations(true);
  properties["confidence"] = artifacts::confidence_levels().enum_schema();
  return {{"type", "array"}, {"items", closed_object(std::move(properties))}};
}

json limits() { return {{"type", "array"}, {"items", text()}}; }

}  // namespace daily_schema

namespace {

// Replaces, anywhere inside `value`, each element of a "citations" array by its stored form. An
// element that does not resolve stays as sent (the call is rejected anyway, and the slot rules
// then see that a citation was given).
void resolve_citations(json& value, const std::string& path, const daily::CitationIndex& index, std::string_view own_project,
                       Problems& problems) {
  if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i)
      resolve_citations(value[i], daily::child_path(path, i), index, own_project, problems);
    return;
  }
  if (!value.is_object()) return;
  for (auto& [key, child] : value.items()) {
    const std::string at = daily::child_path(path, key);
    if (key != "citations" || !child.is_array()) {
      resolve_citations(child, at, index, own_project, problems);
      continue;
    }
    for (std::size_t i = 0; i < child.size(); ++i)
      if (auto resolved = index.resolve_requested(child[i], own_project, daily::child_path(at, i), problems))
        child[i] = std::move(*resolved);
  }
}

json rejected(std::string message, std::string hint) {
  return artifacts::invalid_result({{"", std::move(message), std::move(hint)}});
}

}  // namespace

json write_daily_slot(const ToolContext& context, const daily::SlotRef& slot, json value, const std::string& path) {
  auto index = daily::CitationIndex::load(context.workspace);
  if (!index) return rejected(index.error().message, "generate runs inside a prepared workspace (DIARY_WORKSPACE)");
  Problems problems;
  if (slot.kind == daily::SlotKind::project_summary && index->workspace().find_project(slot.project_key) == nullptr) {
    problems.push_back(
        {"/project_key", fmt::format("unknown project_key '{}'", slot.project_key), "use the project_key from the assignment"});
    return artifacts::invalid_result(problems);
  }
  if (value.is_object()) value.erase("source");  // only the offline fallback marks a slot offline
  resolve_citations(value, path, *index, slot.project_key, problems);
  auto found = daily::check_slot(slot.kind, value, *index, slot.project_key, path, daily::CitationCheck::count_only);
  problems.insert(problems.end(), found.begin(), found.end());
  if (!problems.empty()) return artifacts::invalid_result(problems);
  auto stored = daily::store_slot(index->workspace(), slot, std::move(value));
  if (!stored) return rejected(stored.error().message, "retry the call; the report file could not be written");
  if (!stored->empty()) return artifacts::invalid_result(*stored);
  return {{"status", "written"}};
}

}  // namespace diary::generate::mcp
