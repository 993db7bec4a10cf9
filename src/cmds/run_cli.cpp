#include <iostream>

#include <fmt/format.h>

#include "cmds/cli.h"
#include "cmds/exit_codes.h"
#include "cmds/process_exit.h"

namespace diary::cmds {

namespace {

int run_command(int argc, char** argv) {
  CLI::App app{"diary - orchestrates the Codex agent to generate durable, verified artifacts", "diary"};
  app.set_version_flag("--version", fmt::format("diary {} (tested with codex {})", DIARY_VERSION, DIARY_CODEX_PIN));
  app.require_subcommand(1);
  app.footer("Exit codes: 0 done, 1 work failed, 2 bad input, 3 blocked (codex missing/unusable), 130 interrupted.");

  CliContext context;
  register_exec(app, context);
  register_doctor(app, context);
  register_prepare(app, context);
  register_list(app, context);
  register_inspect(app, context);
  register_job(app, context);
  register_batch(app, context);
  register_generate(app, context);
  register_prompts(app, context);
  register_mcp(app, context);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "error: " << e.what() << "\n";
    return exit_bad_input;
  } catch (const CommandFailure& e) {
    std::cerr << "error: " << e.error().message << "\n";
    return exit_code_for(e.error().kind);
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return exit_failed;
  }
  return context.exit_code;
}

}  // namespace

int run_cli(int argc, char** argv) {
  prepare_process();
  return finish_process(run_command(argc, argv));
}

}  // namespace diary::cmds
