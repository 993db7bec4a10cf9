// Reading a job spec TOML file into a validated JobSpec. Every problem (TOML syntax, unknown
// key, wrong type, bad value, missing file, path escaping the working directory, unreadable or
// invalid schema) is ErrorKind::invalid_input with a message "FILE:LINE: KEY: what is wrong".
// Stateless functions; relative paths are resolved against the spec file's directory. Batches
// (generate/batch) reuse the table-level entry point for inline jobs.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "agent/error.h"
#include "generate/job/job_spec.h"

// toml++ stays out of this header (it is heavy); its table type is all the signatures need.
namespace toml {
inline namespace v3 {
class table;
}  // namespace v3
}  // namespace toml

namespace diary::generate {

// Adjusts the parsed TOML document before it is validated (e.g. a batch adding its defaults).
using JobTableHook = std::function<void(toml::table&)>;

agent::Result<JobSpec> parse_job_spec(const std::filesystem::path& spec_path, const JobTableHook& before_validation = {});

// Parses `text` as if it were the content of `spec_path` (which need not exist; its directory
// is the base of relative paths).
agent::Result<JobSpec> parse_job_spec_text(std::string_view text, const std::filesystem::path& spec_path,
                                           const JobTableHook& before_validation = {});

// Where a job table comes from, for messages and relative paths.
struct JobTableContext {
  std::filesystem::path spec_path;  // named in messages; its directory resolves relative paths
  std::string key_prefix;           // leads every key in messages, e.g. "job[2]." for a batch entry
  std::uint32_t line = 0;           // named for missing keys (the table's header line; 0 = none)
};

// Validates one job given as a TOML table (a whole spec file, or an inline job of a batch).
agent::Result<JobSpec> parse_job_table(const toml::table& table, const JobTableContext& context);

}  // namespace diary::generate
