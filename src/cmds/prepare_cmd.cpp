// `diary prepare`: parse the targeting flags, resolve them against the environment and call
// generate::prepare::prepare_workspace. The summary goes to stdout (or JSON with --json).
#include <iostream>
#include <memory>

#include "cmds/cli.h"
#include "cmds/exit_codes.h"
#include "codex/codex_args.h"
#include "generate/prepare/day_selection.h"
#include "generate/prepare/prepare.h"
#include "generate/prepare/source_discovery.h"

namespace diary::cmds {

namespace {

struct PrepareFlags {
  std::string date;
  bool today = false;
  std::string timezone;
  std::string reports_root;
  bool force = false;
  bool quiet = false;
  bool json = false;
};

std::optional<std::string> given(const CLI::Option* option, const std::string& value) {
  if (option->count() == 0) return std::nullopt;
  return value;
}

}  // namespace

void register_prepare(CLI::App& app, CliContext& context) {
  auto flags = std::make_shared<PrepareFlags>();
  auto* cmd = app.add_subcommand("prepare",
                                 "Build the evidence workspace for one local day from Codex and Claude Code session histories");
  auto* date = cmd->add_option("--date", flags->date, "Report date YYYY-MM-DD (default: yesterday)");
  auto* today = cmd->add_flag("--today", flags->today, "Prepare today so far (status partial)");
  date->excludes(today);
  auto* timezone = cmd->add_option("--timezone", flags->timezone,
                                   "IANA time zone, e.g. Europe/Berlin (default: DIARY_TIMEZONE, TZ, the system zone)");
  auto* root = cmd->add_option("--reports-root", flags->reports_root,
                               "Where workspaces live (default: DIARY_HOME, the config file, ~/.local/share/diary)");
  cmd->add_flag("--force", flags->force, "Rebuild an existing workspace");
  cmd->add_flag("-q,--quiet", flags->quiet, "Print nothing on success");
  cmd->add_flag("--json", flags->json, "Print the result as a JSON object");

  cmd->callback([flags, date, timezone, root, &context] {
    namespace prep = generate::prepare;
    auto day = prep::resolve_day(
        {given(date, flags->date), flags->today, given(timezone, flags->timezone), given(root, flags->reports_root)});
    if (!day) throw CommandFailure(day.error());

    prep::PrepareRequest request;
    request.target = day->target;
    request.reports_root = day->reports_root;
    request.sources = prep::source_roots(prep::source_environment_from_process());
    request.force = flags->force;
    request.scan.excluded_originators = {codex::client_name};
    auto outcome = prep::prepare_workspace(request);
    if (!outcome) throw CommandFailure(outcome.error());

    if (flags->json) std::cout << prep::to_json(*outcome).dump(2) << "\n";
    else if (!flags->quiet) std::cout << prep::summary_line(*outcome) << "\n";
    context.exit_code = exit_ok;
  });
}

}  // namespace diary::cmds
