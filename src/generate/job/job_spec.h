// A parsed, validated job spec (`diary job run SPEC.toml`): every path resolved, every default
// applied, schemas and regexes compiled. Produced by parse_job_spec (job_spec_parser.h),
// adjusted by apply_job_overrides (job_overrides.h); an immutable value afterwards.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "generate/policy/approval_policy.h"
#include "generate/check/artifact_check.h"
#include "generate/check/json_schema.h"
#include "generate/loop/decide_next.h"

namespace diary::generate {

struct JobSpec {
  std::filesystem::path spec_path;  // absolute path of the TOML file
  std::string name;                 // [A-Za-z0-9._-]+
  std::filesystem::path workdir;    // canonical; the thread's cwd, artifacts are relative to it
  std::string prompt;               // the text, also when it came from prompt_file
  std::optional<std::filesystem::path> prompt_file;
  std::optional<std::string> model;
  std::optional<std::string> model_provider;
  std::optional<std::string> reasoning_effort;  // none|minimal|low|medium|high|xhigh
  std::string sandbox = "workspace-write";      // read-only|workspace-write|danger-full-access
  std::string approval_policy = "never";        // never|on-request|untrusted
  std::optional<std::string> developer_instructions;
  std::chrono::milliseconds turn_timeout = std::chrono::seconds(600);
  int max_no_progress = default_max_no_progress;
  int max_turns = default_max_turns;
  std::optional<std::filesystem::path> output_schema_path;
  std::shared_ptr<const JsonSchema> output_schema;
  std::optional<std::string> resume_prompt;
  std::optional<std::int64_t> max_tokens;
  std::optional<std::string> fallback_model;
  std::vector<ArtifactSpec> artifacts;
  ApprovalPolicy policy;
  // Backend (codex) `-c key=value` overrides: only from the command line, never from the spec.
  std::vector<std::string> config_overrides;
};

// The resolved job as shown by --dry-run and recorded in the ledger. Config override values are
// reduced to their keys: they may carry secrets.
nlohmann::json to_json(const JobSpec& spec);

// The keys of "key=value" overrides, in order.
std::vector<std::string> config_override_keys(const std::vector<std::string>& overrides);

}  // namespace diary::generate
