// One agent pass of generate, the same for every phase: a fresh conversation in the workspace
// (workspace-write sandbox, approval never, only this pass's MCP tools, the pass's base
// instructions and the content-language norm), driven by the shared resume loop with the phase's
// own completeness check and resume prompt. Records every turn, tool call, check and decision in
// the run ledger under the task id, and keeps the last validation errors the tools answered so the
// resume prompt can quote them.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include "generate/phases/pipeline_context.h"
#include "generate/loop/resume_loop.h"

namespace diary::generate::phases {

struct AgentPassSpec {
  std::string task_id;
  std::string pass;                // settings name: evidence, project, project_summary, ...
  std::string instructions;        // prompt template name of the base instructions
  std::vector<std::string> tools;  // MCP tools of this pass
  std::string prompt;              // the first prompt (rendered)
  WorkCheck missing;               // from disk; empty = complete
  // Builds the resume prompt from what is missing and the last validation errors (JSON array of
  // {path,message,hint}, possibly empty).
  std::function<std::string(const std::vector<std::string>& missing, const nlohmann::json& last_errors)> resume;
};

struct AgentPassResult {
  LoopResult loop;
  nlohmann::json last_errors = nlohmann::json::array();
  bool complete() const { return loop.status == RunStatus::complete; }
};

boost::asio::awaitable<AgentPassResult> run_agent_pass(const PipelineContext& context, AgentPassSpec spec);

// "- <path>: <message> (<hint>)" lines, or "" when there are none; for resume prompts.
std::string describe_errors(const nlohmann::json& errors);

// The agent configuration of a pass (exposed for tests).
agent::AgentConfig pass_config(const PipelineContext& context, const AgentPassSpec& spec);

}  // namespace diary::generate::phases
