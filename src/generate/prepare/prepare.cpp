#include "generate/prepare/prepare.h"

#include <thread>

#include <fmt/format.h>

#include "generate/prepare/parallel_for.h"
#include "generate/prepare/timezone_resolution.h"
#include "generate/prepare/workspace_catalog.h"
#include "generate/prepare/workspace_layout.h"
#include "generate/prepare/workspace_plan.h"
#include "generate/prepare/workspace_writer.h"

namespace diary::generate::prepare {

namespace {

unsigned worker_count(unsigned requested) {
  if (requested > 0) return requested;
  return std::max(1u, std::min(8u, std::thread::hardware_concurrency()));
}

std::string force_hint(const ReportTarget& target) {
  return fmt::format("run `diary prepare --date {} --timezone {} --force` to rebuild it", target.date_string(), target.timezone);
}

// An existing workspace is reused only when it was prepared for exactly this day and zone.
agent::Result<PrepareOutcome> existing_outcome(const PrepareRequest& request, const WorkspacePaths& paths) {
  auto summary = read_workspace_summary(paths.workspace);
  if (!summary)
    return agent::fail(agent::ErrorKind::invalid_input,
                       fmt::format("existing workspace {} is unusable ({}); {}", paths.workspace.string(),
                                   summary.error().message, force_hint(request.target)));
  auto mismatches = metadata_mismatches(summary->metadata, request.target);
  if (!mismatches.empty())
    return agent::fail(agent::ErrorKind::invalid_input,
                       fmt::format("existing workspace {} was prepared for another target ({}); {}", paths.workspace.string(),
                                   fmt::join(mismatches, "; "), force_hint(request.target)));
  PrepareOutcome outcome;
  outcome.created = false;
  outcome.workspace = paths.workspace;
  outcome.audit = paths.audit_file;
  outcome.report_date = summary->metadata.report_date;
  outcome.timezone = summary->metadata.timezone;
  outcome.status = summary->metadata.status;
  outcome.projects = summary->projects.size();
  outcome.sessions = summary->session_count();
  outcome.turns = summary->turn_count();
  return outcome;
}

}  // namespace

agent::Result<PrepareOutcome> prepare_workspace(const PrepareRequest& request) {
  const auto& target = request.target;
  const auto paths = workspace_paths(request.reports_root, target.date_string());
  std::error_code error;
  if (std::filesystem::exists(paths.workspace, error) && !request.force) return existing_outcome(request, paths);

  const auto files = discover_session_files(request.sources);
  const unsigned threads = worker_count(request.threads);
  std::vector<ScanOutcome> scans(files.size());
  parallel_for(files.size(), threads, [&](std::size_t i) {
    scans[i] = ScanOutcome{files[i].source, files[i].path, scan_session_file(files[i].source, files[i].path, request.scan)};
  });

  PlanOptions plan_options{request.reports_root, request.scan, file_sha256};
  auto plan = plan_workspace(std::move(scans), target, plan_options);
  if (!plan) return std::unexpected(plan.error());

  auto zone = locate_timezone(target.timezone);
  if (!zone) return std::unexpected(zone.error());
  WriteOptions write_options;
  write_options.prepared_at = format_local(*zone, date::floor<std::chrono::seconds>(request.now));
  write_options.sources = request.sources;
  write_options.replace_existing = request.force;
  write_options.threads = threads;
  if (auto written = write_workspace(*plan, target, paths, write_options); !written) return std::unexpected(written.error());

  PrepareOutcome outcome;
  outcome.created = true;
  outcome.workspace = paths.workspace;
  outcome.audit = paths.audit_file;
  outcome.report_date = target.date_string();
  outcome.timezone = target.timezone;
  outcome.status = std::string(to_string(target.status));
  outcome.projects = plan->projects.size();
  outcome.sessions = plan->session_count();
  outcome.turns = plan->turn_count();
  return outcome;
}

std::string summary_line(const PrepareOutcome& outcome) {
  if (!outcome.created)
    return fmt::format(
        "Workspace {} already exists with {} project(s), {} session(s), {} turn(s); left unchanged "
        "(use --force to rebuild it).",
        outcome.workspace.string(), outcome.projects, outcome.sessions, outcome.turns);
  return fmt::format("Prepared workspace {} with {} project(s), {} session(s), {} turn(s).", outcome.workspace.string(),
                     outcome.projects, outcome.sessions, outcome.turns);
}

nlohmann::ordered_json to_json(const PrepareOutcome& outcome) {
  nlohmann::ordered_json out;
  out["workspace"] = outcome.workspace.string();
  out["created"] = outcome.created;
  out["report_date"] = outcome.report_date;
  out["timezone"] = outcome.timezone;
  out["status"] = outcome.status;
  out["projects"] = outcome.projects;
  out["sessions"] = outcome.sessions;
  out["turns"] = outcome.turns;
  out["audit"] = outcome.audit.string();
  return out;
}

}  // namespace diary::generate::prepare
