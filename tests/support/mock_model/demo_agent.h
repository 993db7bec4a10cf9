// diary-mock-model --demo-agent: a deterministic scripted agent for diary's generate passes
// (evidence, project, project_summary, report_title, engagement, team_learning). It acts only on
// what a real model gets in the request: the assignment block of the prompt, the tools on offer
// and the tool outputs so far; never on the filesystem. It is a DEMO, not a model: every message
// it writes says so. Pure; thread-safe.
#pragma once

#include "support/mock_model/model_request.h"
#include "support/mock_model/reply.h"

namespace diary::test {

// The model name the demo agent runs under (--print-codex-overrides with --demo-agent), so that
// the report's generated_by shows it.
inline constexpr const char* demo_model_name = "diary-demo-agent";

Reply demo_agent_reply(const ModelRequest& request);

}  // namespace diary::test
