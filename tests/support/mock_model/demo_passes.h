// The demo agent's passes, one function each, deciding the next step of a conversation from what
// the request carries (demo_conversation.h). Each either calls the pass's tool or ends the turn
// with a labelled final message. Pure; thread-safe.
#pragma once

#include "support/mock_model/demo_conversation.h"
#include "support/mock_model/reply.h"

namespace diary::test::demo {

// Markers in the turn's first user text (inside the transcript) that script the evidence pass:
// the first write cites a line outside the turn (then the agent corrects it from the errors), or
// the first turn ends without writing (the write comes on diary's resume turn).
inline constexpr std::string_view mistake_marker = "[demo:mistake]";
inline constexpr std::string_view stop_early_marker = "[demo:stop-early]";

Reply evidence_step(const Conversation& conversation);
Reply project_step(const Conversation& conversation);
// project_summary, report_title, engagement, team_learning.
Reply daily_step(const Conversation& conversation);

}  // namespace diary::test::demo
