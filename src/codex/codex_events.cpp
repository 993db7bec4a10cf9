#include "codex/codex_events.h"
#include "util/terminal_text.h"

#include <fmt/format.h>

#include "codex/codex_auth.h"  // login_hint
#include "codex/codex_error_causes.h"

namespace diary::codex {

namespace {

std::string str(const json& object, const char* key) {
  if (!object.is_object()) return {};
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Progress lines and ledgers want one short line, never a transcript, and nothing a terminal
// would execute (the model's text may carry ESC sequences).
std::string one_line(std::string_view text, std::size_t max = 160) { return util::fit_width(text, max); }

std::string tail(std::string_view text, std::size_t max) {
  return std::string(text.size() > max ? text.substr(text.size() - max) : text);
}

}  // namespace

std::optional<agent::AgentTurnEvent> event_from_item(const protocol::ThreadItem& item) {
  using agent::EventKind;
  const std::string& type = item.type;
  agent::AgentTurnEvent event;
  event.metadata = {{"item_id", item.id}, {"item_type", type}};
  if (type == "userMessage" || type == "hookPrompt") return std::nullopt;
  if (type == "agentMessage") {
    event.kind = EventKind::agent_message;
    event.summary = one_line(item.text);
    event.metadata["phase"] = item.phase ? json(*item.phase) : json(nullptr);
    event.metadata["text"] = item.text;
  } else if (type == "reasoning") {
    event.kind = EventKind::reasoning;
    std::string summary;
    for (const auto& part : item.summary) summary += part + " ";
    event.summary = summary.empty() ? "reasoning" : one_line(summary);
  } else if (type == "commandExecution") {
    event.kind = EventKind::command;
    const json exit_code = item.exit_code ? json(*item.exit_code) : json(nullptr);
    event.summary = item.exit_code ? fmt::format("$ {} (exit {})", one_line(item.command, 120), *item.exit_code)
                                   : fmt::format("$ {} ({})", one_line(item.command, 120), item.status);
    event.metadata.update({{"command", item.command},
                           {"cwd", item.cwd},
                           {"status", item.status},
                           {"exit_code", exit_code},
                           {"duration_ms", item.duration_ms ? json(*item.duration_ms) : json(nullptr)},
                           {"output_bytes", item.aggregated_output.size()},
                           {"output_tail", tail(item.aggregated_output, 2000)}});
  } else if (type == "fileChange") {
    event.kind = EventKind::file_change;
    json paths = json::array();
    std::string list;
    for (const auto& change : item.changes) {
      paths.push_back({{"path", change.path}, {"kind", change.kind}});
      list += (list.empty() ? "" : ", ") + change.path;
    }
    event.summary = "files: " + one_line(list, 140);
    event.metadata.update({{"changes", paths}, {"status", item.status}});
  } else if (type == "mcpToolCall" || type == "dynamicToolCall" || type == "collabAgentToolCall") {
    event.kind = EventKind::tool_call;
    std::string name = item.server.empty() ? item.tool : item.server + "." + item.tool;
    event.summary = fmt::format("tool {} ({})", name, item.status);
    event.metadata.update({{"tool", name}, {"status", item.status}, {"error", item.error}});
    // A tool's own verdict (diary's tools answer {"status":"invalid","errors":[...]}) so that
    // resume prompts can quote the last validation errors. Bounded: never the whole payload.
    if (item.result.is_object()) {
      auto structured = item.result.find("structuredContent");
      if (structured != item.result.end() && structured->is_object()) {
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
    event.summary = "web search: " + one_line(item.query);
  } else {
    event.kind = EventKind::other;
    event.summary = type.empty() ? "item" : type;
  }
  return event;
}

namespace {}  // namespace

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
  // The job's and exec's reason end with what to do, as doctor's does.
  if (out.cause == agent::FailureCause::unauthorized) out.message += "; " + std::string(login_hint);
  return out;
}

}  // namespace diary::codex
