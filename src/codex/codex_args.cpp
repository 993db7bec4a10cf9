#include "codex/codex_args.h"

#include <filesystem>
#include <map>

#include <unistd.h>

extern char** environ;

namespace diary::codex {

namespace {

// A TOML basic string (also a quoted TOML key). JSON string escapes are a subset of TOML's, and
// nlohmann never writes the one JSON-only escape (\/).
std::string toml_string(const std::string& text) { return json(text).dump(); }

std::string toml_string_array(const std::vector<std::string>& items) {
  std::string out = "[";
  for (const auto& item : items) {
    if (out.size() > 1) out += ",";
    out += toml_string(item);
  }
  return out + "]";
}

}  // namespace

std::vector<std::string> clean_start_overrides(const std::vector<std::string>& other_mcp_servers) {
  std::vector<std::string> out = {
      // Memories: neither injected into the instructions nor consolidated by an extra model call.
      "features.memories=false",
      "memories.use_memories=false",
      "memories.generate_memories=false",
      // Plugins bring skills and MCP servers of their own; apps are ChatGPT connectors.
      "features.plugins=false",
      "features.apps=false",
      // The user's trusted hooks would run commands on session start and on every prompt.
      "features.hooks=false",
      // Tools a generate agent never needs: goals, sub-agents, the code-mode JS runtime.
      "features.goals=false",
      "agents.enabled=false",
      "features.code_mode=false",
      // Instruction text about the user's set-up rather than the task.
      "skills.include_instructions=false",
      "include_collaboration_mode_instructions=false",
      "include_environment_context=false",
      // No AGENTS.md, and no .codex/ config or docs from the directories above the workdir.
      "project_doc_max_bytes=0",
      "project_root_markers=[]",
  };
  // Codex splits dotted -c paths on every '.', without quoting; an inline table takes any name.
  // It replaces the mcp_servers table of the -c layer, so it must precede our own server's keys;
  // the user's own layer is merged underneath, keeping each server's transport.
  if (!other_mcp_servers.empty()) {
    std::string table = "mcp_servers={";
    for (const auto& name : other_mcp_servers) {
      if (table.back() != '{') table += ",";
      table += toml_string(name) + "={enabled=false}";
    }
    out.push_back(table + "}");
  }
  return out;
}

std::vector<std::string> tool_server_overrides(const agent::ToolServer& server) {
  const std::string prefix = "mcp_servers." + server.name + ".";
  std::filesystem::path command = server.command;
  // A bare name is for PATH lookup; a relative path would resolve against codex's cwd, not ours.
  if (server.command.find('/') != std::string::npos) command = std::filesystem::absolute(command);
  std::vector<std::string> out = {prefix + "command=" + toml_string(command.string())};
  if (!server.args.empty()) out.push_back(prefix + "args=" + toml_string_array(server.args));
  if (!server.env.empty()) {
    std::string table = prefix + "env={";
    for (const auto& [name, value] : server.env) {
      if (table.back() != '{') table += ",";
      table += toml_string(name) + "=" + toml_string(value);
    }
    out.push_back(table + "}");
  }
  // approval_policy "never" otherwise fails every call ("requires approval"); required makes
  // thread/start fail at once when the server cannot start, instead of a turn without tools.
  out.push_back(prefix + "default_tools_approval_mode=\"approve\"");
  out.push_back(prefix + "required=true");
  return out;
}

std::vector<std::string> app_server_args(const agent::AgentBackendOptions& options,
                                         const std::vector<std::string>& configured_mcp_servers) {
  std::vector<std::string> overrides;
  if (options.clean_start) {
    std::vector<std::string> others;
    for (const auto& name : configured_mcp_servers)
      if (!options.tool_server || name != options.tool_server->name) others.push_back(name);
    overrides = clean_start_overrides(others);
  }
  if (options.tool_server) {
    auto registration = tool_server_overrides(*options.tool_server);
    overrides.insert(overrides.end(), registration.begin(), registration.end());
    // Each thread starts its own tool server process; an unsubscribed (finished) thread is
    // unloaded, and its tool server stopped, at once instead of after the default delay.
    overrides.push_back("thread_unload_delay_secs=0");
  }
  overrides.insert(overrides.end(), options.config_overrides.begin(), options.config_overrides.end());
  std::vector<std::string> args = {"app-server", "--listen", "stdio://"};
  for (auto& override_value : overrides) {
    args.push_back("-c");
    args.push_back(std::move(override_value));
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
      "item/agentMessage/delta",  "item/commandExecution/outputDelta", "item/reasoning/summaryTextDelta",
      "item/reasoning/textDelta", "item/reasoning/summaryPartAdded",   "item/fileChange/outputDelta",
      "item/plan/delta",          "command/exec/outputDelta",
  };
  return methods;
}

json initialize_params() {
  return {{"clientInfo", {{"name", client_name}, {"title", "diary"}, {"version", DIARY_VERSION}}},
          {"capabilities", {{"optOutNotificationMethods", ignored_notification_methods()}}}};
}

namespace {

// What thread/start and thread/resume share: the conversation's settings (a resume re-applies
// them, so a resumed job runs with its spec's current settings, not those of its first run).
json thread_settings(const agent::AgentConfig& config) {
  std::filesystem::path cwd =
      config.working_directory.empty() ? std::filesystem::current_path() : std::filesystem::absolute(config.working_directory);
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
  json overrides = json::object();
  if (config.reasoning_effort) overrides["model_reasoning_effort"] = *config.reasoning_effort;
  if (config.enabled_tools && config.backend.tool_server)
    overrides["mcp_servers." + config.backend.tool_server->name + ".enabled_tools"] = *config.enabled_tools;
  if (!overrides.empty()) params["config"] = std::move(overrides);
  return params;
}

}  // namespace

json thread_start_params(const agent::AgentConfig& config) {
  json params = thread_settings(config);
  if (config.ephemeral) params["ephemeral"] = true;
  return params;
}

json thread_resume_params(const agent::AgentConfig& config, const std::string& thread_id) {
  json params = thread_settings(config);
  params["threadId"] = thread_id;
  // The answer would otherwise carry every earlier turn with all its items: diary needs none.
  params["excludeTurns"] = true;
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
