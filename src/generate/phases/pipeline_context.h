// Everything the generate tasks share during one run: the workspace, the agent port (null when
// offline), the backend options that register `diary mcp serve`, per-pass settings, limits, the
// run ledger, progress and the stop token. Owned by run_pipeline; tasks borrow it. One executor.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>

#include "agent/agent_config.h"
#include "agent/agent_runner.h"
#include "generate/phases/async_semaphore.h"
#include "generate/phases/generate_settings.h"
#include "generate/ledger/run_ledger.h"

namespace diary::generate::phases {

// Progress the user sees: task starts and ends, never transcript text.
struct ProgressEvent {
  enum class Kind { task_start, task_done, turn_committed, note } kind = Kind::note;
  std::string phase;  // evidence | project | daily | render
  std::string task_id;
  std::string label;  // <pk>/<S> or <pk>
  std::string status;  // task_done: ok | degraded | failed | blocked | interrupted
  std::string detail;  // task_done: first error; turn_committed: turn ref; note: the text
};

struct PipelineContext {
  std::filesystem::path workspace;
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
  std::function<void(const ProgressEvent&)> progress;
  std::stop_token stop;
  std::chrono::milliseconds initial_backoff = std::chrono::seconds(1);
  std::chrono::milliseconds max_backoff = std::chrono::seconds(60);
  std::shared_ptr<AsyncSemaphore> evidence_conversations;  // limits.evidence
  std::shared_ptr<AsyncSemaphore> daily_passes;            // limits.daily

  bool offline() const { return factory == nullptr; }
  void log(std::string_view event, const nlohmann::json& data) const {
    if (ledger) ledger->append(event, data);
  }
  void report(ProgressEvent event) const {
    if (progress) progress(event);
  }
};

}  // namespace diary::generate::phases
