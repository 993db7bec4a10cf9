// The generate DAG: tasks with ids (`evidence:<pk>:<S>`, `project:<pk>`, `daily`, `render`),
// kinds and dependencies, run as soon as every task they need has FINISHED (any outcome: a
// project runs on whatever its sessions produced — graceful degradation), ready tasks started in
// task-id order, at most `limit(kind)` of one kind at once. A stop request starts nothing new and
// lets running tasks end as interrupted. Runs on one executor; hooks are called on it.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include "agent/agent_turn.h"

namespace diary::generate::phases {

enum class TaskStatus {
  ok,           // verified from disk, made by the model (or nothing to do)
  degraded,     // verified from disk, but parts were filled by the offline extractor
  failed,       // the outputs could not be produced
  blocked,      // a prerequisite is missing or codex cannot be used
  interrupted,  // stopped on request
};

std::string_view to_string(TaskStatus status);

struct TaskOutcome {
  TaskStatus status = TaskStatus::ok;
  std::vector<std::string> errors;  // one line each, for the closing error list
  agent::TokenUsage usage;
  int turns = 0;
  std::chrono::milliseconds duration{0};
  bool skipped = false;  // complete on disk before the task ran: no agent call
};

nlohmann::json to_json(const TaskOutcome& outcome);

struct PipelineTask {
  std::string id;
  std::string kind;         // evidence | project | daily | render
  std::string project_key;  // for progress lines
  std::string session_ref;
  std::vector<std::string> needs;  // ids of tasks that must finish first
  std::function<boost::asio::awaitable<TaskOutcome>()> run;
};

struct TaskGraphHooks {
  std::function<void(const PipelineTask&)> on_start;
  std::function<void(const PipelineTask&, const TaskOutcome&)> on_finish;
};

// Outcomes by task id; tasks that never started (stop requested, unknown dependency) are
// reported interrupted or failed respectively.
boost::asio::awaitable<std::map<std::string, TaskOutcome>> run_task_graph(std::vector<PipelineTask> tasks,
                                                                          std::map<std::string, int, std::less<>> limits,
                                                                          TaskGraphHooks hooks, std::stop_token stop);

}  // namespace diary::generate::phases
