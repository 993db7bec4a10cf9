// Reading a batch file (TOML) into a validated BatchSpec. Everything is checked before anything
// runs, and every problem is reported, not just the first: TOML syntax, unknown keys, a bad
// concurrency, [defaults], each [[job]] (a job spec file or an inline job, validated by the job
// spec parser with the defaults merged in), duplicate job names, missing job files, artifacts
// claimed by two jobs. Stateless functions; relative paths are resolved against the batch
// file's directory (a job file's own paths against its directory).
#pragma once

#include <expected>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "generate/batch/batch_spec.h"

namespace diary::generate {

// One line per problem, "FILE:LINE: KEY: what is wrong" (as the job spec parser words them).
using BatchProblems = std::vector<std::string>;

std::expected<BatchSpec, BatchProblems> parse_batch_spec(const std::filesystem::path& batch_path);

// Parses `text` as if it were the content of `batch_path` (whose directory need exist only for
// the paths the batch names).
std::expected<BatchSpec, BatchProblems> parse_batch_spec_text(std::string_view text, const std::filesystem::path& batch_path);

}  // namespace diary::generate
