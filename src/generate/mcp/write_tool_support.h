// What the artifact-writing MCP tools share: building their input JSON Schemas from the
// vocabularies (every object closed with additionalProperties:false, texts minLength 1, enums
// described for the model) and the per-call steps that are not about the payload (loading the
// workspace, turning a failed commit into an answer). Pure functions; thread-safe.
#pragma once

#include <expected>
#include <initializer_list>
#include <string_view>

#include <nlohmann/json.hpp>

#include "agent/error.h"
#include "generate/artifacts/problem.h"
#include "generate/artifacts/vocabulary.h"
#include "generate/mcp/tool.h"
#include "generate/workspace/day_workspace.h"

namespace diary::generate::mcp {

// {"type":"string","minLength":1,"description":...}
nlohmann::json text_schema(std::string_view description);
// The vocabulary's enum, described term by term ("value: meaning; ...").
nlohmann::json term_schema(const artifacts::Vocabulary& vocabulary);
// A closed object: every property listed, `required` as given, no other property allowed.
nlohmann::json object_schema(nlohmann::json properties, std::initializer_list<std::string_view> required,
                             std::string_view description = {});
nlohmann::json array_schema(nlohmann::json items, std::string_view description = {}, std::size_t min_items = 0);

// The prepared workspace of the call (loaded per call: the index is small and may change), or
// the problem to answer with.
std::expected<workspace::DayWorkspace, artifacts::Problem> load_call_workspace(const ToolContext& context);

// The answer when a validated call could not be committed (I/O, lock).
nlohmann::json commit_failed(const agent::Error& error);

}  // namespace diary::generate::mcp
