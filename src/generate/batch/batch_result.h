// The outcome of `diary batch run`: one entry per selected job in batch-file order (whatever
// the completion order), the batch status, totals and where the ledger is; with its two
// renderings, the `--json` object and the table for stdout. Plain values.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "generate/batch/batch_select.h"
#include "generate/job/job_result.h"

namespace diary::generate {

struct BatchJobResult {
  std::size_t index = 0;  // position in the batch file
  std::string name;
  std::optional<JobResult> job;  // empty: the job never started (the batch stopped first)
  std::string skipped_reason;    // why it never started

  bool complete() const { return job && job->status == RunStatus::complete; }
  // A RunStatus name, or "skipped".
  std::string status() const;
};

// The job's result object (to_json(JobResult)); a skipped job gets the same shape with status
// "skipped", 0 attempts and its reason.
nlohmann::json to_json(const BatchJobResult& result);

// How the whole batch ended.
enum class BatchStatus {
  complete,     // every selected job is complete
  failed,       // some job is not complete, or the batch stopped (fail-fast, app-server deaths)
  blocked,      // codex is missing or cannot start: no job could run
  interrupted,  // SIGINT/SIGTERM
};

std::string_view to_string(BatchStatus status);

struct BatchResult {
  BatchStatus status = BatchStatus::failed;
  std::string reason;                // one line
  std::vector<BatchJobResult> jobs;  // selected jobs, batch-file order
  std::string run_id;
  std::filesystem::path ledger;  // the batch's events.jsonl
  std::chrono::milliseconds duration{0};
  int concurrency = 0;
  std::size_t backend_starts = 0;  // app-servers started during the batch
  std::size_t backend_deaths = 0;  // app-servers that died under running work
  // What `diary batch merge` needs to combine shards: which shard this run was (none = the
  // whole batch), the batch file, how many jobs it has and the --only names.
  std::optional<Shard> shard;
  std::filesystem::path batch_path;
  std::size_t batch_jobs = 0;
  std::vector<std::string> only;
};

// {jobs, complete, incomplete, failed, blocked, budget_exceeded, interrupted, skipped, turns,
//  tokens, usage, duration_ms, concurrency, backend_starts, backend_deaths}
nlohmann::json batch_totals(const BatchResult& result);

// {status, reason, run_id, ledger, shard: {index, count} | null, batch: {path, jobs, only},
//  jobs:[<job result objects, each with its batch-file "index">], totals}
nlohmann::json to_json(const BatchResult& result);

// The stdout table: one row per job (job, status, turns, tokens, duration, problems), then the
// totals and the ledger path.
std::string format_batch_table(const BatchResult& result);

}  // namespace diary::generate
