// Everything the generate tasks share during one run: the workspace, the agent port (null when
// offline), the backend options that register `diary mcp serve`, per-pass settings, limits, the
// run ledger, progress and the stop token. Owned by run_pipeline; tasks borrow it. One executor.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>

#include <boost/asio/thread_pool.hpp>

#include "agent/agent_config.h"
#include "agent/agent_runner.h"
#include "generate/phases/async_semaphore.h"
#include "generate/phases/generate_settings.h"
#include "generate/ledger/run_ledger.h"
#include "generate/ledger/unfinished_run.h"
#include "generate/workspace/day_workspace.h"

namespace diary::generate::phases {

// Progress the user sees: task starts and ends, never transcript text.
struct ProgressEvent {
  enum class Kind { task_start, task_done, turn_committed, note } kind = Kind::note;
  std::string phase;  // evidence | project | daily | render
  std::string task_id;
  std::string label;   // <pk>/<S> or <pk>
  std::string status;  // task_done: ok | degraded | failed | blocked | interrupted
  std::string detail;  // task_done: first error; turn_committed: turn ref; note: the text
};

struct PipelineContext {
  std::filesystem::path workspace;
  // The prepared day, loaded once by run_pipeline and shared by every task: prepare wrote it and
  // nothing changes it during a run (artifacts are read from disk on their own). Loading it per
  // task made a day of 2,000 sessions quadratic (docs/PERFORMANCE.md, offline at scale).
  std::shared_ptr<const workspace::DayWorkspace> day;
  agent::AgentSessionFactory* factory = nullptr;  // null: --offline
  agent::AgentBackendOptions backend;             // registers diary mcp serve (+ user -c)
  GenerateSettings settings;
  ConcurrencyLimits limits;
  std::string language = "en";
  std::string model;     // the model codex uses by default (for generated_by), when known
  std::string provider;  // the model provider (for generated_by), when known
  // The model codex reported running the passes with (set by the first pass that learns it): the
  // report's generated_by when -c does not name one.
  std::shared_ptr<std::string> observed_model = std::make_shared<std::string>();
  std::shared_ptr<RunLedger> ledger;  // may be null (tests)
  // Conversations earlier runs left unfinished, by task_pass_key (ledger/unfinished_run.h): an
  // incomplete task's pass continues its conversation. Empty with --fresh.
  std::map<std::string, UnfinishedConversation> unfinished;
  std::function<void(const ProgressEvent&)> progress;
  std::stop_token stop;
  std::chrono::milliseconds initial_backoff = std::chrono::seconds(1);
  std::chrono::milliseconds max_backoff = std::chrono::seconds(60);
  std::shared_ptr<AsyncSemaphore> evidence_conversations;  // limits.evidence
  std::shared_ptr<AsyncSemaphore> daily_passes;            // limits.daily
  // --offline: the threads the extractor and the commits run on (run_cpu_work); null = inline.
  std::shared_ptr<boost::asio::thread_pool> cpu_pool;

  bool offline() const { return factory == nullptr; }
  // `day`, or the workspace loaded now when no pipeline set it (a task run on its own).
  agent::Result<std::shared_ptr<const workspace::DayWorkspace>> load_day() const {
    if (day) return day;
    auto loaded = workspace::DayWorkspace::load(workspace);
    if (!loaded) return std::unexpected(loaded.error());
    return std::make_shared<const workspace::DayWorkspace>(std::move(*loaded));
  }
  void log(std::string_view event, const nlohmann::json& data) const {
    if (ledger) ledger->append(event, data);
  }
  void report(ProgressEvent event) const {
    if (progress) progress(event);
  }
};

}  // namespace diary::generate::phases
