// How subcommands plug into the `diary` CLI: each lives in its own <name>_cmd.cpp and exposes
// register_<name>(CLI::App&, CliContext&). Callbacks only parse and call library functions;
// failures travel as CommandFailure to the one catch-all in run_cli, which maps them to exit
// codes (exit_codes.h). Not thread-safe: used from main only.
#pragma once

#include <stdexcept>

#include <CLI/CLI.hpp>

#include "agent/error.h"

namespace diary::cmds {

struct CliContext {
  int exit_code = 0;  // set by a callback that finished without throwing
};

// Thrown by a subcommand to end the run with an error line and the exit code of its kind.
class CommandFailure : public std::runtime_error {
 public:
  explicit CommandFailure(agent::Error error) : std::runtime_error(error.message), error_(std::move(error)) {}
  const agent::Error& error() const { return error_; }

 private:
  agent::Error error_;
};

[[noreturn]] inline void fail_with(agent::ErrorKind kind, std::string message) {
  throw CommandFailure(agent::Error{kind, std::move(message)});
}

void register_exec(CLI::App& app, CliContext& context);
void register_doctor(CLI::App& app, CliContext& context);
void register_prepare(CLI::App& app, CliContext& context);
void register_list(CLI::App& app, CliContext& context);
void register_inspect(CLI::App& app, CliContext& context);
void register_job(CLI::App& app, CliContext& context);
void register_batch(CLI::App& app, CliContext& context);
void register_generate(CLI::App& app, CliContext& context);
void register_prompts(CLI::App& app, CliContext& context);
void register_mcp(CLI::App& app, CliContext& context);

int run_cli(int argc, char** argv);

}  // namespace diary::cmds
