// Reading a job spec TOML file into a validated JobSpec. Every problem (TOML syntax, unknown
// key, wrong type, bad value, missing file, path escaping the working directory, unreadable or
// invalid schema) is ErrorKind::invalid_input with a message "FILE:LINE: KEY: what is wrong".
// Stateless functions; relative paths are resolved against the spec file's directory.
#pragma once

#include <filesystem>
#include <string_view>

#include "agent/error.h"
#include "generate/job/job_spec.h"

namespace diary::generate {

agent::Result<JobSpec> parse_job_spec(const std::filesystem::path& spec_path);

// Parses `text` as if it were the content of `spec_path` (which need not exist; its directory
// is the base of relative paths).
agent::Result<JobSpec> parse_job_spec_text(std::string_view text, const std::filesystem::path& spec_path);

}  // namespace diary::generate
