// The one place that turns diary's configuration into codex's: the app-server command line and
// environment, and the params of initialize, thread/start and turn/start. Pure functions.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/agent_config.h"
#include "agent/agent_turn.h"

namespace diary::codex {

using json = nlohmann::json;

inline constexpr const char* client_name = "diary";

std::vector<std::string> app_server_args(const agent::AgentBackendOptions& options);

// The current environment with options.env applied and options.env_remove removed.
std::vector<std::string> app_server_environment(const agent::AgentBackendOptions& options);

json initialize_params();
json thread_start_params(const agent::AgentConfig& config);
json turn_start_params(const std::string& thread_id, const std::string& prompt, const agent::TurnOptions& options);

// Delta notifications diary never reads; opting out keeps the pipe quiet.
const std::vector<std::string>& ignored_notification_methods();

}  // namespace diary::codex
