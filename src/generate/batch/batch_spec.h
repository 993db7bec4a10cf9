// A parsed, validated batch file (`diary batch run BATCH.toml`): the concurrency and every job,
// fully resolved (defaults applied, paths absolute), in batch-file order. Produced by
// parse_batch_spec (batch_spec_parser.h); an immutable value afterwards.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <vector>

#include "generate/job/job_spec.h"

namespace diary::generate {

inline constexpr int default_batch_concurrency = 4;
inline constexpr int max_batch_concurrency = 1024;

struct BatchJob {
  JobSpec spec;            // spec.config_overrides holds the job's `codex_config` (backend level)
  std::size_t index = 0;   // position among the [[job]] entries, 0-based
  std::uint32_t line = 0;  // line of its [[job]] header in the batch file
};

struct BatchSpec {
  std::filesystem::path batch_path;  // absolute
  int concurrency = default_batch_concurrency;
  std::vector<BatchJob> jobs;  // batch-file order
};

}  // namespace diary::generate
