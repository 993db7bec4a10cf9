// Shared reading helpers of the record interpretation (generate/mcp/session_compaction.h):
// tolerant field access, content-part text, command vectors, record constructors, and the two
// source-specific interpreters. Internal to src/generate/mcp. Pure functions; thread-safe.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "generate/mcp/session_compaction.h"

namespace diary::generate::mcp::detail {

template <std::size_t N>
bool one_of(std::string_view value, const std::array<std::string_view, N>& values) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

// A string member, "" when missing or not a string.
std::string str(const nlohmann::json& object, std::string_view key);
const nlohmann::json* object_field(const nlohmann::json& object, std::string_view key);
std::optional<long long> integer_field(const nlohmann::json& object, std::string_view key);
// Any JSON value as text: strings as they are, anything else as compact JSON.
std::string as_text(const nlohmann::json& value);
void add_unavailable(CompactRecord& record, std::string what);
// Text parts of a content list (Codex output items, MCP results, Claude tool_result content),
// joined by "\n"; image parts are noted as unavailable.
std::string parts_text(const nlohmann::json& content, CompactRecord& record);
// ["/bin/bash", "-lc", "ls -a"] -> "ls -a"; other argument vectors joined by spaces.
std::string command_text(const nlohmann::json& command);

CompactRecord make_record(std::size_t line, RecordKind kind, std::string source_type);
CompactRecord malformed_record(std::string_view raw, std::size_t line);
CompactRecord tool_result_record(ToolResult result, std::size_t line, std::string source_type);
CompactRecord terminal_record(std::size_t line, std::string source_type, TurnEnd end, std::string text);

// The source interpreters (codex_compaction.cpp, claude_compaction.cpp).
std::optional<CompactRecord> compact_codex(std::string_view raw, std::size_t line, const Neighbours& neighbours);
std::optional<CompactRecord> compact_claude(std::string_view raw, std::size_t line);

}  // namespace diary::generate::mcp::detail
