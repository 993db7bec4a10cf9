// The one place that turns diary's configuration into codex's: the app-server command line and
// environment, and the params of initialize, thread/start, thread/resume and turn/start. Pure functions.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/agent_config.h"
#include "agent/agent_turn.h"

namespace diary::codex {

using json = nlohmann::json;

inline constexpr const char* client_name = "diary";

// `app-server --listen stdio://` plus the `-c` overrides, in this order: the clean start (when
// options.clean_start; `configured_mcp_servers` are the servers of the user's config files, see
// codex_config_files.h, all switched off except the tool server), the tool server registration
// (with thread_unload_delay_secs=0: a finished thread's tool server stops at once), then
// options.config_overrides (so an explicit override still wins). Every key was checked
// against codex 0.169.0: docs/generate.md "Registration".
std::vector<std::string> app_server_args(const agent::AgentBackendOptions& options,
                                         const std::vector<std::string>& configured_mcp_servers = {});

// The `-c` values alone (no "-c" flags), in the order app_server_args passes them.
std::vector<std::string> clean_start_overrides(const std::vector<std::string>& other_mcp_servers);
std::vector<std::string> tool_server_overrides(const agent::ToolServer& server);

// The current environment with options.env applied and options.env_remove removed.
std::vector<std::string> app_server_environment(const agent::AgentBackendOptions& options);

json initialize_params();
// config.enabled_tools (with a tool server) becomes the per-thread
// `mcp_servers.<name>.enabled_tools` override in `config`.
json thread_start_params(const agent::AgentConfig& config);
// thread/resume of `thread_id` with the same settings (ephemeral aside) and without its history.
json thread_resume_params(const agent::AgentConfig& config, const std::string& thread_id);
json turn_start_params(const std::string& thread_id, const std::string& prompt, const agent::TurnOptions& options);

// Delta notifications diary never reads; opting out keeps the pipe quiet.
const std::vector<std::string>& ignored_notification_methods();

}  // namespace diary::codex
