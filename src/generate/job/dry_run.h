// `diary job run --dry-run`: the resolved job (after defaults and flags) and what its artifact
// checks say right now, without starting anything. Pure apart from reading the artifacts.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "generate/check/artifact_check.h"
#include "generate/job/job_spec.h"

namespace diary::generate {

struct DryRunReport {
  nlohmann::json job;  // to_json(JobSpec)
  ArtifactReport artifacts;
  bool would_run = true;  // false when every declared artifact already passes
};

DryRunReport dry_run_job(const JobSpec& spec);

nlohmann::json to_json(const DryRunReport& report);  // {job, artifacts, failing_checks, would_run}
std::string format_dry_run(const DryRunReport& report);

}  // namespace diary::generate
