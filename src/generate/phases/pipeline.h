// `diary generate` as a library call: plan the DAG of a prepared workspace (one evidence task per
// session, one project task per project needing its own sessions' tasks, daily needing every
// project, render needing daily), run it on one shared agent port with per-kind limits, and sum
// time and tokens per phase. A selection runs single tasks (`diary generate evidence …`,
// `project`, `daily`, `render`) through the same prerequisite and output checks, never earlier
// phases. One executor; the context outlives the call.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include "generate/phases/pipeline_context.h"
#include "generate/phases/task_graph.h"
#include "generate/workspace/day_workspace.h"

namespace diary::generate::phases {

struct PhaseTotals {
  std::chrono::milliseconds busy{0};  // wall time from the phase's first start to its last end
  agent::TokenUsage usage;
  int tasks = 0;
  int turns = 0;
};

struct PipelineResult {
  std::map<std::string, TaskOutcome> outcomes;  // by task id
  std::map<std::string, PhaseTotals> phases;    // evidence, project, daily, render
  std::chrono::milliseconds elapsed{0};

  bool interrupted() const;
  bool blocked() const;
  // Every task verified and made by the model (or offline on request): exit 0.
  bool all_ok() const;
  // "<task id>: <error>" lines of every task that was not ok.
  std::vector<std::string> error_lines() const;
};

nlohmann::json to_json(const PipelineResult& result);

// Which tasks to run: all (nullopt) or one task id ("daily", "render", "evidence:<pk>:<S>",
// "project:<pk>").
using TaskSelection = std::optional<std::string>;

// invalid_input for a workspace that does not load or a selected task it does not contain
// ("generation task is not present in the prepared workspace: <id>").
boost::asio::awaitable<agent::Result<PipelineResult>> run_pipeline(PipelineContext& context, TaskSelection selection);

// The task ids of a workspace, in plan order (for --json and tests).
std::vector<std::string> planned_task_ids(const workspace::DayWorkspace& day);

}  // namespace diary::generate::phases
