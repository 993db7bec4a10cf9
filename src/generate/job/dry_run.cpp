#include "generate/job/dry_run.h"

#include <fmt/format.h>

#include "generate/ledger/run_ledger.h"
#include "util/terminal_text.h"

namespace diary::generate {

DryRunReport dry_run_job(const JobSpec& spec) {
  DryRunReport report;
  report.job = to_json(spec);
  report.artifacts = check_artifacts(spec.workdir, spec.artifacts);
  report.would_run = spec.artifacts.empty() || !report.artifacts.complete();
  return report;
}

nlohmann::json to_json(const DryRunReport& report) {
  nlohmann::json artifacts = nlohmann::json::array();
  for (const auto& artifact : report.artifacts.artifacts) artifacts.push_back(to_json(artifact));
  return {{"job", report.job},
          {"artifacts", std::move(artifacts)},
          {"failing_checks", report.artifacts.tally.failing_checks},
          {"would_run", report.would_run}};
}

std::string format_dry_run(const DryRunReport& report) {
  // The resolved job is shown as JSON minus the prompt, which is printed last, verbatim.
  nlohmann::json job = report.job;
  const std::string prompt = job.value("prompt", std::string());
  job.erase("prompt");
  std::string out = "resolved job:\n" + dump_json(job, 2) + "\n";
  out += "artifacts:\n";
  if (report.artifacts.artifacts.empty()) out += "  (none: the prompt runs once)\n";
  for (const auto& artifact : report.artifacts.artifacts) {
    out += "  " + util::pad_to_width(artifact.ok ? "ok" : "FAIL", 4) + "  " + util::terminal_line(artifact.path) + "\n";
    for (const auto& problem : artifact.problems) out += "          " + problem + "\n";
  }
  out += report.would_run ? "would run: yes\n" : "would run: no (all artifacts already pass)\n";
  out += "prompt:\n" + prompt + (prompt.ends_with('\n') ? "" : "\n");
  return out;
}

}  // namespace diary::generate
