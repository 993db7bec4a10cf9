#include "codex/codex_events.h"

#include <fmt/format.h>

#include "codex/codex_error_causes.h"

namespace diary::codex {

namespace {

std::string str(const json& object, const char* key) {
  if (!object.is_object()) return {};
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::int64_t num(const json& object, const char* key) {
  if (!object.is_object()) return 0;
  auto it = object.find(key);
  return it != object.end() && it->is_number() ? it->get<std::int64_t>() : 0;
}

// Progress lines and ledgers want one short line, never a transcript.
std::string one_line(std::string_view text, std::size_t max = 160) {
  std::string out;
  out.reserve(std::min(text.size(), max + 3));
  for (char c : text) {
    if (out.size() >= max) {
      out += "...";
      break;
    }
    out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  }
  return out;
}

std::string tail(std::string_view text, std::size_t max) {
  return std::string(text.size() > max ? text.substr(text.size() - max) : text);
}

}  // namespace

std::optional<agent::AgentTurnEvent> event_from_item(const json& item) {
  using agent::EventKind;
  const std::string type = str(item, "type");
  agent::AgentTurnEvent event;
  event.metadata = {{"item_id", str(item, "id")}, {"item_type", type}};
  if (type == "userMessage" || type == "hookPrompt") return std::nullopt;
  if (type == "agentMessage") {
    event.kind = EventKind::agent_message;
    event.summary = one_line(str(item, "text"));
    event.metadata["phase"] = item.value("phase", json(nullptr));
    event.metadata["text"] = str(item, "text");
  } else if (type == "reasoning") {
    event.kind = EventKind::reasoning;
    std::string summary;
    if (auto it = item.find("summary"); it != item.end() && it->is_array())
      for (const auto& part : *it)
        if (part.is_string()) summary += part.get<std::string>() + " ";
    event.summary = summary.empty() ? "reasoning" : one_line(summary);
  } else if (type == "commandExecution") {
    event.kind = EventKind::command;
    const std::string command = str(item, "command");
    const auto exit_code = item.value("exitCode", json(nullptr));
    event.summary = exit_code.is_number() ? fmt::format("$ {} (exit {})", one_line(command, 120), exit_code.get<int>())
                                          : fmt::format("$ {} ({})", one_line(command, 120), str(item, "status"));
    const std::string output = str(item, "aggregatedOutput");
    event.metadata.update({{"command", command},
                           {"cwd", str(item, "cwd")},
                           {"status", str(item, "status")},
                           {"exit_code", exit_code},
                           {"duration_ms", item.value("durationMs", json(nullptr))},
                           {"output_bytes", output.size()},
                           {"output_tail", tail(output, 2000)}});
  } else if (type == "fileChange") {
    event.kind = EventKind::file_change;
    json paths = json::array();
    std::string list;
    if (auto it = item.find("changes"); it != item.end() && it->is_array())
      for (const auto& change : *it) {
        paths.push_back({{"path", str(change, "path")}, {"kind", change.value("kind", json(nullptr))}});
        list += (list.empty() ? "" : ", ") + str(change, "path");
      }
    event.summary = "files: " + one_line(list, 140);
    event.metadata.update({{"changes", paths}, {"status", str(item, "status")}});
  } else if (type == "mcpToolCall" || type == "dynamicToolCall" || type == "collabAgentToolCall") {
    event.kind = EventKind::tool_call;
    std::string server = str(item, "server");
    if (server.empty()) server = str(item, "namespace");
    std::string name = server.empty() ? str(item, "tool") : server + "." + str(item, "tool");
    event.summary = fmt::format("tool {} ({})", name, str(item, "status"));
    event.metadata.update({{"tool", name}, {"status", str(item, "status")}, {"error", item.value("error", json(nullptr))}});
    // A tool's own verdict (diary's tools answer {"status":"invalid","errors":[...]}) so that
    // resume prompts can quote the last validation errors. Bounded: never the whole payload.
    if (auto result = item.find("result"); result != item.end() && result->is_object()) {
      auto structured = result->find("structuredContent");
      if (structured != result->end() && structured->is_object()) {
        if (auto status = structured->find("status"); status != structured->end() && status->is_string())
          event.metadata["result_status"] = *status;
        if (auto errors = structured->find("errors"); errors != structured->end() && errors->is_array()) {
          json kept = json::array();
          for (const auto& error : *errors) {
            if (kept.size() >= 20) break;
            if (error.is_object()) kept.push_back(error);
          }
          event.metadata["result_errors"] = std::move(kept);
        }
      }
    }
  } else if (type == "webSearch") {
    event.kind = EventKind::web_search;
    event.summary = "web search: " + one_line(str(item, "query"));
  } else {
    event.kind = EventKind::other;
    event.summary = type.empty() ? "item" : type;
  }
  return event;
}

agent::TokenUsage usage_from_breakdown(const json& breakdown) {
  agent::TokenUsage usage;
  usage.input_tokens = num(breakdown, "inputTokens");
  usage.cached_input_tokens = num(breakdown, "cachedInputTokens");
  usage.output_tokens = num(breakdown, "outputTokens");
  usage.reasoning_output_tokens = num(breakdown, "reasoningOutputTokens");
  usage.total_tokens = num(breakdown, "totalTokens");
  if (usage.total_tokens == 0) usage.total_tokens = usage.input_tokens + usage.output_tokens;
  return usage;
}

namespace {

}  // namespace

agent::TurnError turn_error_from(const json& error) {
  agent::TurnError out;
  out.kind = agent::ErrorKind::turn_failed;
  out.message = str(error, "message");
  if (std::string details = str(error, "additionalDetails"); !details.empty()) out.message += " (" + details + ")";
  if (out.message.empty()) out.message = "the turn failed";
  const json info = error.is_object() ? error.value("codexErrorInfo", json(nullptr)) : json(nullptr);
  const CodexErrorCause cause = cause_from_codex_error_info(info);
  out.cause = cause.cause;
  out.http_status = cause.http_status;
  return out;
}

std::string thread_id_of(const json& params) {
  if (!params.is_object()) return {};
  if (std::string id = str(params, "threadId"); !id.empty()) return id;
  if (auto turn = params.find("turn"); turn != params.end()) return str(*turn, "threadId");
  if (auto thread = params.find("thread"); thread != params.end()) return str(*thread, "id");
  return {};
}

std::string turn_id_of(const json& params) {
  if (!params.is_object()) return {};
  if (std::string id = str(params, "turnId"); !id.empty()) return id;
  if (auto turn = params.find("turn"); turn != params.end()) return str(*turn, "id");
  return {};
}

}  // namespace diary::codex
