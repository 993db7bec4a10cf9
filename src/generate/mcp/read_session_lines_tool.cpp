#include "generate/mcp/read_session_lines_tool.h"

#include <system_error>

#include <fmt/format.h>

#include "generate/mcp/session_pages.h"
#include "generate/workspace/day_workspace.h"

namespace diary::generate::mcp {

namespace {

using nlohmann::json;

json input_schema() {
  const json line = {{"type", "integer"}};
  return {
      {"type", "object"},
      {"additionalProperties", false},
      {"required", {"project_key", "session_ref", "start_line", "end_line"}},
      {"properties",
       {{"project_key", {{"type", "string"}, {"description", "the assigned project_key"}}},
        {"session_ref", {{"type", "string"}, {"description", "the assigned session_ref (S0001...)"}}},
        {"start_line", {{"type", "integer"}, {"description", "first line to read, 1-based, inclusive"}}},
        {"end_line", {{"type", "integer"}, {"description", "last line to read, inclusive"}}},
        {"mode",
         {{"type", "string"},
          {"enum", {"compact", "full"}},
          {"default", "compact"},
          {"description",
           "compact (default): one short record per line, metadata omitted, tool payloads trimmed; full: every "
           "raw line, for a narrow range only"}}},
        {"cursor",
         {{"type", {"object", "null"}},
          {"additionalProperties", false},
          {"required", {"line"}},
          {"properties", {{"line", line}, {"offset", {{"type", "integer"}, {"default", 0}}}}},
          {"description", "the next_cursor of the previous page, unchanged"}}}}},
  };
}

std::string description() {
  return fmt::format(
      "Read lines start_line..end_line of one session of the prepared workspace (1-based, inclusive, numbered "
      "exactly as the index's turn spans). Returns {{\"records\":[...],\"next_cursor\":{{line,offset}}|null}}; "
      "every page is at most {} KiB, so follow next_cursor (same project, session, range and mode) until it is "
      "null. A record too large for a page arrives as fragments {{line, record_format, offset, total_chars, "
      "content}}: concatenate their content in order to rebuild it. Compact records: {{line, kind, text, "
      "tool_uses, tool_results, truncated, duplicate_of}}; metadata lines are omitted and a duplicate_of record "
      "echoes another line (count it once). Full mode returns {{line, raw_line}} and can need many pages.",
      max_page_bytes / 1024);
}

artifacts::Problem problem(std::string path, std::string message, std::string hint) {
  return {std::move(path), std::move(message), std::move(hint)};
}

json invalid(artifacts::Problem problem) { return artifacts::invalid_result({std::move(problem)}); }

// Integer members arrive schema-checked; anything else (a direct call) is rejected, not thrown.
std::optional<long long> integer(const json& arguments, const char* key) {
  auto it = arguments.find(key);
  if (it == arguments.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<long long>();
}

std::optional<std::string> text(const json& arguments, const char* key) {
  auto it = arguments.find(key);
  if (it == arguments.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

json call(const ToolContext& context, const json& arguments) {
  if (!arguments.is_object()) return invalid(problem("", "arguments must be an object", "pass the documented arguments"));
  auto project_key = text(arguments, "project_key");
  auto session_ref = text(arguments, "session_ref");
  auto start_line = integer(arguments, "start_line");
  auto end_line = integer(arguments, "end_line");
  if (!project_key)
    return invalid(problem("/project_key", "project_key must be a string", "use the project_key from the prepared workspace"));
  if (!session_ref)
    return invalid(problem("/session_ref", "session_ref must be a string", "use a session_ref listed in sessions.index.jsonl"));
  if (!start_line) return invalid(problem("/start_line", "start_line must be an integer", range_hint));
  if (!end_line) return invalid(problem("/end_line", "end_line must be an integer", range_hint));

  PageRequest request;
  request.start_line = *start_line;
  request.end_line = *end_line;
  const std::string mode = text(arguments, "mode").value_or("compact");
  if (mode != "compact" && mode != "full")
    return invalid(problem("/mode", "mode must be compact or full", "use mode compact (default) or full"));
  request.mode = mode == "full" ? ReadMode::full : ReadMode::compact;
  if (auto it = arguments.find("cursor"); it != arguments.end() && !it->is_null()) {
    auto line = it->is_object() ? integer(*it, "line") : std::nullopt;
    auto offset = it->is_object() && it->contains("offset") ? integer(*it, "offset") : std::optional<long long>(0);
    if (!line || !offset) return invalid(problem("/cursor", "cursor must be {line, offset} integers", cursor_hint));
    request.cursor = PageCursor{*line, *offset};
  }

  auto day = workspace::DayWorkspace::load(context.workspace);
  if (!day)
    return invalid(problem("", "the prepared workspace cannot be read: " + day.error().message,
                           "report the workspace as unreadable; it needs `diary prepare --force`"));
  const auto* project = day->find_project(*project_key);
  if (project == nullptr)
    return invalid(problem("/project_key", fmt::format("unknown project_key '{}'", *project_key),
                           "use the project_key from the prepared workspace"));
  const auto* session = project->find_session(*session_ref);
  if (session == nullptr)
    return invalid(problem("/session_ref", fmt::format("unknown session_ref '{}' in project '{}'", *session_ref, *project_key),
                           "use a session_ref listed in sessions.index.jsonl"));
  const auto file = day->session_file(*project_key, *session);
  std::error_code error;
  if (!std::filesystem::is_regular_file(file, error))
    return invalid(
        problem("/session_ref",
                fmt::format("the session file {} of {} is missing from the workspace", session->session_path, *session_ref),
                "use a session_ref listed in sessions.index.jsonl whose session file exists (the workspace "
                "needs `diary prepare --force`)"));
  request.source = session->source;

  auto outcome = read_session_page(file, request);
  if (!outcome)
    return invalid(problem("/session_ref", fmt::format("cannot read {}: {}", session->session_path, outcome.error().message),
                           "retry once; if it keeps failing, record the session as unreadable"));
  if (outcome->problem) return invalid(std::move(*outcome->problem));
  return std::move(outcome->page);
}

}  // namespace

McpTool read_session_lines_tool() { return McpTool{"read_session_lines", description(), input_schema(), call}; }

}  // namespace diary::generate::mcp
