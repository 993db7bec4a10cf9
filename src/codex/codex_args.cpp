#include "codex/codex_args.h"

#include <filesystem>
#include <map>

#include <unistd.h>

extern char** environ;

namespace diary::codex {

std::vector<std::string> app_server_args(const agent::AgentBackendOptions& options) {
  std::vector<std::string> args = {"app-server", "--listen", "stdio://"};
  for (const auto& override_value : options.config_overrides) {
    args.push_back("-c");
    args.push_back(override_value);
  }
  return args;
}

std::vector<std::string> app_server_environment(const agent::AgentBackendOptions& options) {
  std::map<std::string, std::string> env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view text(*entry);
    auto eq = text.find('=');
    if (eq == std::string_view::npos) continue;
    env[std::string(text.substr(0, eq))] = std::string(text.substr(eq + 1));
  }
  for (const auto& name : options.env_remove) env.erase(name);
  for (const auto& [name, value] : options.env) env[name] = value;
  std::vector<std::string> out;
  out.reserve(env.size());
  for (const auto& [name, value] : env) out.push_back(name + "=" + value);
  return out;
}

const std::vector<std::string>& ignored_notification_methods() {
  static const std::vector<std::string> methods = {
      "item/agentMessage/delta",        "item/commandExecution/outputDelta", "item/reasoning/summaryTextDelta",
      "item/reasoning/textDelta",       "item/reasoning/summaryPartAdded",   "item/fileChange/outputDelta",
      "item/plan/delta",                "command/exec/outputDelta",
  };
  return methods;
}

json initialize_params() {
  return {{"clientInfo", {{"name", client_name}, {"title", "diary"}, {"version", DIARY_VERSION}}},
          {"capabilities", {{"optOutNotificationMethods", ignored_notification_methods()}}}};
}

json thread_start_params(const agent::AgentConfig& config) {
  std::filesystem::path cwd = config.working_directory.empty() ? std::filesystem::current_path()
                                                               : std::filesystem::absolute(config.working_directory);
  json params = {{"cwd", cwd.string()}};
  auto set = [&](const char* key, const std::optional<std::string>& value) {
    if (value) params[key] = *value;
  };
  set("model", config.model);
  set("modelProvider", config.model_provider);
  set("approvalPolicy", config.approval_policy);
  set("sandbox", config.sandbox);
  set("baseInstructions", config.base_instructions);
  set("developerInstructions", config.developer_instructions);
  set("personality", config.personality);
  if (config.reasoning_effort) params["config"] = {{"model_reasoning_effort", *config.reasoning_effort}};
  if (config.ephemeral) params["ephemeral"] = true;
  return params;
}

json turn_start_params(const std::string& thread_id, const std::string& prompt, const agent::TurnOptions& options) {
  json params = {{"threadId", thread_id},
                 {"input", json::array({{{"type", "text"}, {"text", prompt}, {"text_elements", json::array()}}})}};
  if (options.output_schema) params["outputSchema"] = *options.output_schema;
  if (options.model) params["model"] = *options.model;
  return params;
}

}  // namespace diary::codex
