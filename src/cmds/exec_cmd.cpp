#include "cmds/cli.h"
namespace diary::cmds {
void register_exec(CLI::App& app, CliContext& context) {
  auto* cmd = app.add_subcommand("exec", "Run one prompt as one turn of a new Codex conversation");
  cmd->callback([&context] { context.exit_code = 1; });
}
}  // namespace diary::cmds
