// Where diary keeps its workspaces: --reports-root > DIARY_HOME > config file ("reports_root"
// in $XDG_CONFIG_HOME/diary/config.json, else ~/.config/diary/config.json) > $XDG_DATA_HOME/diary
// > ~/.local/share/diary. Inputs are plain values so tests never read the real home.
// Pure apart from reading the config file; thread-safe.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "agent/error.h"

namespace diary::generate::prepare {

struct ReportsRootSources {
  std::optional<std::string> flag;           // --reports-root
  std::optional<std::string> diary_home;     // $DIARY_HOME
  std::optional<std::string> config_value;   // "reports_root" from the config file
  std::optional<std::string> xdg_data_home;  // $XDG_DATA_HOME
  std::optional<std::string> home;           // $HOME
};

// Reads the environment and the config file. A config file that exists but cannot be parsed
// is an invalid_input error rather than silently ignored.
agent::Result<ReportsRootSources> reports_root_sources_from_environment(std::optional<std::string> flag);

// An absolute, lexically normal path (it need not exist yet).
agent::Result<std::filesystem::path> resolve_reports_root(const ReportsRootSources& sources);

// "~" and "~/x" expand against `home`; anything else is returned unchanged.
std::filesystem::path expand_home(const std::string& value, const std::optional<std::string>& home);

}  // namespace diary::generate::prepare
