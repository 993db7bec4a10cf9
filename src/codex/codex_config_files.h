// What diary needs to know from the codex configuration files on disk before it starts a
// backend: where they are (CODEX_HOME as the backend will see it, the system file) and which MCP
// servers they configure, so that a clean start can switch those off (codex merges config layers
// table by table, so a `-c` override can disable a server but never remove one). Reads files;
// thread-safe (no shared state).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "agent/agent_config.h"

namespace diary::codex {

// $CODEX_HOME of the backend: options.env, else this process's environment (unless
// options.env_remove drops it), else $HOME/.codex. Empty when none of these is known.
std::filesystem::path backend_codex_home(const agent::AgentBackendOptions& options);

// Why `codex_home` will not work, or nullopt: below the temp dir (/tmp, or the backend's
// $TMPDIR) codex refuses to install its sandbox helpers, and then every shell command of a turn
// fails. Compared both as written and with symlinks resolved. The message names the path.
std::optional<std::string> codex_home_problem(const std::filesystem::path& codex_home, const agent::AgentBackendOptions& options);

// The user-editable config layers below codex's `-c` overrides, lowest first:
// /etc/codex/config.toml and <codex_home>/config.toml (project layers are switched off by the
// clean start; managed config ranks above `-c` and cannot be overridden anyway).
std::vector<std::filesystem::path> codex_config_files(const std::filesystem::path& codex_home);

// Names of the `[mcp_servers.<name>]` tables in those files, sorted and without duplicates.
// Missing files are skipped; a file that does not parse contributes nothing (codex itself will
// refuse to start on it and say why).
std::vector<std::string> configured_mcp_servers(const std::vector<std::filesystem::path>& files);

}  // namespace diary::codex
