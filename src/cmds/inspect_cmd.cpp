// `diary inspect`: one prepared workspace — projects, sessions, turns and which generation
// artifacts exist.
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "cmds/cli.h"
#include "cmds/exit_codes.h"
#include "generate/prepare/day_selection.h"
#include "generate/prepare/workspace_catalog.h"
#include "generate/prepare/workspace_layout.h"

namespace diary::cmds {

void register_inspect(CLI::App& app, CliContext& context) {
  struct Flags {
    std::string date;
    bool today = false;
    std::string timezone;
    std::string reports_root;
    bool json = false;
  };
  auto flags = std::make_shared<Flags>();
  auto* cmd = app.add_subcommand("inspect", "Show one prepared workspace: projects, sessions, turns, artifacts");
  auto* date = cmd->add_option("--date", flags->date, "Report date YYYY-MM-DD (default: yesterday)");
  auto* today = cmd->add_flag("--today", flags->today, "Today's workspace");
  date->excludes(today);
  auto* timezone = cmd->add_option("--timezone", flags->timezone,
                                   "IANA time zone used to pick yesterday/today (default: DIARY_TIMEZONE, TZ, the system zone)");
  auto* root = cmd->add_option("--reports-root", flags->reports_root,
                               "Where workspaces live (default: DIARY_HOME, the config file, ~/.local/share/diary)");
  cmd->add_flag("--json", flags->json, "Print a JSON object");

  cmd->callback([flags, date, timezone, root, &context] {
    namespace prep = generate::prepare;
    auto given = [](const CLI::Option* option, const std::string& value) {
      return option->count() > 0 ? std::optional<std::string>(value) : std::nullopt;
    };
    auto day = prep::resolve_day(
        {given(date, flags->date), flags->today, given(timezone, flags->timezone), given(root, flags->reports_root)});
    if (!day) throw CommandFailure(day.error());
    const auto paths = prep::workspace_paths(day->reports_root, day->target.date_string());
    auto summary = prep::read_workspace_summary(paths.workspace);
    if (!summary) {
      fail_with(agent::ErrorKind::invalid_input,
                fmt::format("{}; run `diary prepare --date {}` first", summary.error().message, day->target.date_string()));
    }
    if (flags->json) std::cout << prep::to_json(*summary, true).dump(2) << "\n";
    else std::cout << prep::describe(*summary);
    context.exit_code = exit_ok;
  });
}

}  // namespace diary::cmds
