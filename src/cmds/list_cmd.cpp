// `diary list`: prepared days under the reports root, newest first, with status and counts.
#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "cmds/cli.h"
#include "cmds/exit_codes.h"
#include "generate/prepare/day_selection.h"
#include "generate/prepare/workspace_catalog.h"
#include "util/text_table.h"

namespace diary::cmds {

void register_list(CLI::App& app, CliContext& context) {
  struct Flags {
    std::string reports_root;
    bool json = false;
  };
  auto flags = std::make_shared<Flags>();
  auto* cmd = app.add_subcommand("list", "List prepared days, newest first, with their status and counts");
  auto* root = cmd->add_option("--reports-root", flags->reports_root,
                               "Where workspaces live (default: DIARY_HOME, the config file, ~/.local/share/diary)");
  cmd->add_flag("--json", flags->json, "Print a JSON array");

  cmd->callback([flags, root, &context] {
    namespace prep = generate::prepare;
    auto reports_root = prep::resolve_reports_root_from_environment(
        root->count() > 0 ? std::optional<std::string>(flags->reports_root) : std::nullopt);
    if (!reports_root) throw CommandFailure(reports_root.error());
    const auto listed = prep::list_workspaces(*reports_root);

    if (flags->json) {
      auto out = nlohmann::ordered_json::array();
      for (const auto& entry : listed) {
        if (entry.summary) out.push_back(prep::to_json(*entry.summary, false));
        else
          out.push_back(
              {{"report_date", entry.date}, {"workspace", entry.path.string()}, {"error", entry.summary.error().message}});
      }
      std::cout << out.dump(2) << "\n";
    } else if (listed.empty()) {
      std::cout << "No prepared days under " << reports_root->string() << ".\n";
    } else {
      util::TextTable table({{}, {}, {}, {}, {}});
      for (const auto& entry : listed) {
        if (!entry.summary) {
          table.add_row({entry.date, "unreadable: " + entry.summary.error().message});
          continue;
        }
        const auto& summary = *entry.summary;
        table.add_row({entry.date, summary.metadata.status,
                       fmt::format("{} project(s), {} session(s), {} turn(s)", summary.projects.size(), summary.session_count(),
                                   summary.turn_count()),
                       summary.metadata.timezone,
                       summary.artifacts.empty() ? "" : fmt::format("[{}]", fmt::join(summary.artifacts, ", "))});
      }
      std::cout << table.render();
    }
    context.exit_code = exit_ok;
  });
}

}  // namespace diary::cmds
