// Running a batch: the selected jobs as concurrent coroutines (at most `concurrency` at once,
// started in batch-file order) on one shared session factory, each through run_job (its own
// runner, resume loop and ledger). Stops starting jobs on a stop request, with --fail-fast, when
// a job is blocked, or when the app-server dies twice within the restart window; running jobs
// are then interrupted and given `stop_grace` before the factory is shut down under them.
// A coroutine on the port's executor; the caller owns (and finally shuts down) the factory.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <stop_token>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include "agent/agent_runner.h"
#include "generate/batch/backend_health.h"
#include "generate/batch/batch_progress.h"
#include "generate/batch/batch_result.h"
#include "generate/batch/batch_select.h"
#include "generate/batch/batch_spec.h"
#include "generate/ledger/run_ledger.h"

namespace diary::generate {

struct BatchRunOptions {
  int concurrency = default_batch_concurrency;
  bool fail_fast = false;  // the first job that is not complete stops the batch
  bool fresh = false;      // no job continues the conversation of its last unfinished run
  std::stop_token stop;    // SIGINT/SIGTERM
  // After a stop, how long running jobs get to end their interrupted turns before the backends
  // are shut down under them.
  std::chrono::milliseconds stop_grace = std::chrono::seconds(10);
  // Backend starts (fed by the caller from the factory's callback) and deaths; made if empty.
  std::shared_ptr<BackendHealth> health;
  // The batch ledger (open_batch_ledger); empty = opened here with a new run id.
  std::shared_ptr<RunLedger> ledger;
  std::shared_ptr<BatchObserver> observer;                              // progress; empty = quiet
  agent::AgentBackendOptions backend;                                   // for every job; each job's codex_config is appended
  nlohmann::json backend_info = nlohmann::json::object();               // each job ledger's "backend" event
  nlohmann::json request = nlohmann::json::object();                    // extra batch_request fields (flags)
  std::optional<Shard> shard;                                           // recorded in the result for `diary batch merge`
  std::vector<std::string> only;                                        // likewise (a filtered shard need not hold all its jobs)
  std::chrono::milliseconds initial_backoff = std::chrono::seconds(1);  // of each job's loop
  std::chrono::milliseconds max_backoff = std::chrono::seconds(60);
};

// The batch's run directory: <runs_dir>/<run_id>/events.jsonl (and result.json at the end);
// runs_dir defaults to <batch dir>/.diary/batches (--runs-dir moves it, e.g. to shared storage).
agent::Result<std::shared_ptr<RunLedger>> open_batch_ledger(const BatchSpec& spec, const std::string& run_id,
                                                            const std::filesystem::path& runs_dir = {});

// A run id that says which shard made it (<run_id>-shard-K-of-N), so the run directories of
// all shards can share one folder and `ls` tells them apart.
std::string shard_run_id(const std::string& run_id, const std::optional<Shard>& shard);

// Runs spec.jobs[i] for each i of `selected` (indices in batch-file order, see select_jobs).
// Fails (ErrorKind::io) only when the batch ledger cannot be created: nothing runs then.
boost::asio::awaitable<agent::Result<BatchResult>> run_batch(const BatchSpec& spec, std::vector<std::size_t> selected,
                                                             agent::AgentSessionFactory& factory, BatchRunOptions options = {});

}  // namespace diary::generate
