// Finding the codex executable: --codex-bin, then DIARY_CODEX_BIN, then the project-local
// pinned install (.tools/codex, made by scripts/setup.sh), then `codex` on PATH. The version is
// read from the app-server handshake (never by running `codex --version`: a second process in
// diary's own environment, blocking, and it can hang).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "agent/error.h"

namespace diary::codex {

// The version diary is tested against (from the build).
std::string_view pinned_codex_version();

// `explicit_path` comes from --codex-bin (empty when not given). Returns ErrorKind::blocked
// with install instructions when nothing is found.
agent::Result<std::filesystem::path> find_codex_binary(const std::string& explicit_path);

// The codex version inside the handshake's userAgent ("diary/0.169.0 (Debian 12; x86_64) ...").
std::optional<std::string> version_from_user_agent(std::string_view user_agent);

}  // namespace diary::codex
