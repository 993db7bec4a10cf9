// Which jobs of a batch this run takes: `--only NAME` and `--shard K/N`. The shard of a job
// depends on its name alone (FNV-1a 64-bit of the UTF-8 name, modulo N, plus one), so every
// machine computes the same split whatever the job order or the other jobs: the N shards are
// disjoint and together hold the whole batch. Pure functions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/error.h"
#include "generate/batch/batch_spec.h"

namespace diary::generate {

struct Shard {
  int index = 1;  // K, 1-based: 1..count
  int count = 1;  // N
  friend bool operator==(const Shard&, const Shard&) = default;
};

// "K/N" with 1 <= K <= N (e.g. "2/4"); ErrorKind::invalid_input otherwise.
agent::Result<Shard> parse_shard(std::string_view text);

// FNV-1a, 64-bit (offset basis 14695981039346656037, prime 1099511628211).
std::uint64_t fnv1a_64(std::string_view bytes);

// The shard (1..count) a job named `name` belongs to.
int shard_of(std::string_view name, int count);

struct JobSelection {
  std::vector<std::string> only;  // empty = every job
  std::optional<Shard> shard;
};

// Indices into spec.jobs, in batch-file order: the jobs named by `only` (all when empty) that
// fall into `shard`. ErrorKind::invalid_input naming every --only name the batch lacks.
agent::Result<std::vector<std::size_t>> select_jobs(const BatchSpec& spec, const JobSelection& selection);

}  // namespace diary::generate
