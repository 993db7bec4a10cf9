#include "cmds/cli.h"
namespace diary::cmds {
void register_doctor(CLI::App& app, CliContext& context) {
  auto* cmd = app.add_subcommand("doctor", "Check that codex is installed and its app-server starts");
  cmd->callback([&context] { context.exit_code = 1; });
}
}  // namespace diary::cmds
