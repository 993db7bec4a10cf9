// The task `evidence:<pk>:<S>`: make the evidence card of one session complete. A complete card
// is skipped; a valid partial card keeps its chains and only the missing turns are asked for (an
// invalid or stale chain is dropped on its own, an unparsable card removed); a session without
// turns gets an empty card with no agent call. Each missing turn is one fresh conversation
// (turns of a session run in parallel, bounded by the evidence conversation limit); a turn the
// model cannot produce is filled by the offline extractor and marked offline (degraded). With
// --offline every missing turn comes from the offline extractor.
#pragma once

#include <string>

#include <boost/asio/awaitable.hpp>

#include "generate/phases/pipeline_context.h"
#include "generate/phases/task_graph.h"

namespace diary::generate::phases {

boost::asio::awaitable<TaskOutcome> run_evidence_task(const PipelineContext& context, std::string project_key,
                                                      std::string session_ref);

// The first prompt and the resume prompt of one turn (exposed for tests and `diary prompts`).
std::string evidence_prompt(const nlohmann::json& assignment, const std::string& project_label, const std::string& source);
std::string evidence_resume_prompt(const nlohmann::json& assignment, const nlohmann::json& last_errors);

}  // namespace diary::generate::phases
