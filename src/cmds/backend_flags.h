// Flags every command that talks to codex shares (--codex-bin, -c key=value, --verbose), and
// the one function that turns them into CodexFactoryOptions. Used by exec, doctor, job, batch.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "codex/codex_session_factory.h"

namespace diary::cmds {

struct BackendFlags {
  std::string codex_bin;
  std::vector<std::string> config_overrides;
  bool verbose = false;

  // Adds the flags to `command`; the values land in this object when it parses.
  void add_to(CLI::App& command);
  // Validates the overrides (key=value) and builds factory options that print warnings to stderr.
  codex::CodexFactoryOptions factory_options() const;
};

// Warns once per process on stderr when the backend's CODEX_HOME is below the temp dir (codex
// then fails every shell command; see codex::codex_home_problem). Used by exec, job, batch.
void warn_about_codex_home(const agent::AgentBackendOptions& backend);

}  // namespace diary::cmds
