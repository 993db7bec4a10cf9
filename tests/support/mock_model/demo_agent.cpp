#include "support/mock_model/demo_agent.h"

#include "support/mock_model/demo_passes.h"

namespace diary::test {

Reply demo_agent_reply(const ModelRequest& request) {
  const demo::Conversation conversation = demo::read_conversation(request);
  if (conversation.assignment.is_null())
    return demo::final_message("I cannot work on this prompt: " + conversation.assignment_problem +
                               " (the assignment must be the last ```json block of the prompt).");
  const std::string pass = demo::text_field(conversation.assignment, "pass");
  if (pass == "evidence") return demo::evidence_step(conversation);
  if (pass == "project") return demo::project_step(conversation);
  return demo::daily_step(conversation);
}

}  // namespace diary::test
