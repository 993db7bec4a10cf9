// `diary batch merge DIR...`: the shard ledgers of one batch, run on many machines (`--shard
// K/N` or `--shard auto`), combined into one result: every job exactly once (batch-file order),
// the shards that never reported named, a job reported by two shards flagged. Reads only the
// runs' result.json files (written last, atomically, by `diary batch run`), so a shard that is
// still running or died before its end counts as missing. Pure apart from read_shard_runs.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/error.h"
#include "generate/batch/batch_select.h"

namespace diary::generate {

// One job's result as a shard reported it: the fields the merge reads, and the whole object
// (minified) to pass on untouched.
struct ShardJob {
  std::string name;
  std::string status;
  std::optional<std::size_t> index;  // batch-file position, when recorded
  long long attempts = 0;
  std::vector<std::pair<std::string, long long>> usage;  // the numeric members of "usage"
  std::string json;                                      // the job object, minified
};

// One `diary batch run` as its result.json tells it.
struct ShardRun {
  std::filesystem::path result_file;
  std::string run_id;                     // sorts by start time (make_run_id)
  std::string status;                     // the run's batch status
  Shard shard;                            // 1/1 for an unsharded run
  std::optional<std::size_t> batch_jobs;  // jobs in the batch file, when recorded
  bool filtered = false;                  // the run used --only: it need not hold its whole shard
  std::vector<ShardJob> jobs;
  long long tokens = 0;  // from its totals
  long long duration_ms = 0;
  long long backend_starts = 0;
  long long backend_deaths = 0;
};

// Each input is a run directory (holding result.json), a result.json itself, or a directory
// of run directories (e.g. a shard's `.diary/batches`, or a folder of downloaded artifacts):
// then every run directory directly below it that holds a result.json. ErrorKind::invalid_input
// for an input that does not exist or holds no result, or a result.json that is not a batch
// result (naming the file and the JSON pointer that is wrong).
agent::Result<std::vector<ShardRun>> read_shard_runs(const std::vector<std::filesystem::path>& inputs);

// The same run reached twice through overlapping inputs counts once (by run id).
struct MergedShard {
  int index = 1;
  std::string run_id;
  std::string status;
  std::filesystem::path result_file;
  std::vector<std::string> superseded;  // older runs of this shard (re-runs: the newest wins)
};

struct JobConflict {
  std::string job;
  std::vector<int> shards;  // every shard that reported the job, ascending
  std::string message;
};

struct MergedBatch {
  bool complete = false;  // every shard present, no conflict, every job complete
  std::string reason;     // one line
  int shard_count = 1;
  std::vector<MergedShard> shards;  // ascending index
  std::vector<int> missing_shards;  // 1-based indices that reported nothing
  std::vector<JobConflict> conflicts;
  std::vector<std::string> problems;  // other inconsistencies (job counts)
  struct Job {
    ShardJob result;
    int shard = 1;
  };
  std::vector<Job> jobs;  // each once, batch-file order
  nlohmann::json totals = nlohmann::json::object();
};

// ErrorKind::invalid_input when there is nothing to merge or the runs disagree on the shard
// count (they are not shards of one split).
agent::Result<MergedBatch> merge_shard_runs(std::vector<ShardRun> runs);

// The `--json` text: {status: complete|incomplete, reason, shard_count, shards:[{index, run_id,
// status, result_file, superseded}], missing_shards, conflicts:[{job, shards, message}],
// problems, jobs:[<each job's result object with its "shard" first, one per line>], totals}.
// Written as text, not built as one JSON value: a merge of 100,000 jobs passes every job
// object on as the shard wrote it.
std::string merged_json_text(const MergedBatch& merged);

// The stdout table: one row per job (job, shard, status, turns, tokens), then the shards, what
// is missing or conflicting, and the totals.
std::string format_merge_table(const MergedBatch& merged);

}  // namespace diary::generate
