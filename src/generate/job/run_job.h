// Running one job: the ledger, the approval policy and the resume loop wired together. This is
// what `diary job run` calls once it has a session factory (the Codex one in production, a fake
// in tests). A coroutine on the agent port's executor; it never shuts the factory down (the
// caller owns it).
#pragma once

#include <chrono>
#include <functional>
#include <stop_token>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include "agent/agent_runner.h"
#include "generate/job/job_result.h"
#include "generate/job/job_spec.h"
#include "generate/ledger/run_ledger.h"

namespace diary::generate {

struct JobRunOptions {
  std::function<void(const std::string& line)> progress;   // human progress lines (stderr)
  bool quiet = false;                                      // no progress lines at all
  std::stop_token stop;                                    // SIGINT/SIGTERM: end as interrupted
  nlohmann::json backend_info = nlohmann::json::object();  // ledger "backend" event (no secrets)
  agent::AgentBackendOptions backend;                      // binary, environment; the spec's -c overrides are appended
  // The run's ledger when the caller opened it first (e.g. to record backend start-up from the
  // session factory's callback); empty = run_job opens <workdir>/.diary/runs/<run_id>.
  std::shared_ptr<RunLedger> ledger;
  std::string run_id;  // for the ledger run_job opens; empty = make_run_id()
  // Start a new conversation even when the job's last run ended unfinished (`--fresh`); by
  // default that run's conversation continues (ledger/unfinished_run.h).
  bool fresh = false;
  std::chrono::milliseconds initial_backoff = std::chrono::seconds(1);
  std::chrono::milliseconds max_backoff = std::chrono::seconds(60);
};

// The conversation settings of `spec` (working directory, model, sandbox, approval policy, ...).
agent::AgentConfig make_agent_config(const JobSpec& spec, agent::AgentBackendOptions backend,
                                     agent::ApprovalHandler approval_handler);

// Runs the job to one of the RunStatus outcomes, continuing the conversation of the job's last
// unfinished run unless options.fresh. Every conversation opened is a "conversation" ledger
// event as soon as the backend answered. Fails (ErrorKind::io) only when the run ledger cannot
// be created: nothing is run then.
boost::asio::awaitable<agent::Result<JobResult>> run_job(const JobSpec& spec, agent::AgentSessionFactory& factory,
                                                         JobRunOptions options = {});

}  // namespace diary::generate
