// Turns JSON Schema violations of one tool call's `arguments` into the problems the tool result
// carries ({path: JSON pointer, message, hint}), worded for a model that must fix its next call:
// a missing property points at where it belongs, an unknown one at itself, an enum or type
// mismatch names the allowed values or type read from the tool's own schema. valijson's
// "failed to validate against the schema of property X" wrappers are dropped when the real cause
// is also reported. Pure functions; safe from any thread.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "generate/artifacts/problem.h"
#include "generate/check/json_schema.h"

namespace diary::generate::mcp {

// Empty when `arguments` satisfies `schema`. `tool` names the tool in generic hints.
artifacts::Problems argument_problems(const JsonSchema& schema, const nlohmann::json& arguments, std::string_view tool);

}  // namespace diary::generate::mcp
