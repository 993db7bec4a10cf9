#include "cmds/backend_flags.h"

#include <iostream>

#include "cmds/cli.h"
#include "codex/codex_config_files.h"

namespace diary::cmds {

void BackendFlags::add_to(CLI::App& command) {
  command.add_option("--codex-bin", codex_bin,
                     "codex executable (default: $DIARY_CODEX_BIN, then .tools/codex from scripts/setup.sh, then PATH)");
  command.add_option("-c,--config", config_overrides,
                     "codex config override key=value, passed to `codex app-server -c` (repeatable), e.g. "
                     "-c model_provider=\"mine\"");
  command.add_flag("-v,--verbose", verbose, "copy codex's own log (stderr) to stderr");
}

codex::CodexFactoryOptions BackendFlags::factory_options() const {
  for (const auto& override_value : config_overrides) {
    auto eq = override_value.find('=');
    if (eq == std::string::npos || eq == 0)
      fail_with(agent::ErrorKind::invalid_input, "-c expects key=value, got '" + override_value + "'");
  }
  codex::CodexFactoryOptions options;
  options.codex_binary = codex_bin;
  options.backend.config_overrides = config_overrides;
  options.warn = [](std::string_view message) { std::cerr << "warning: " << message << "\n"; };
  if (verbose) options.stderr_log = [](std::string_view chunk) { std::cerr << chunk; };
  return options;
}

void warn_about_codex_home(const agent::AgentBackendOptions& backend) {
  static bool warned = false;
  if (warned) return;
  if (auto problem = codex::codex_home_problem(codex::backend_codex_home(backend), backend)) {
    warned = true;
    std::cerr << "warning: " << *problem << "\n";
  }
}

}  // namespace diary::cmds
