// The agent port's names for approval decisions are diary's own (ledger, events), not a
// backend's wire strings (issue 11.11).
#include <gtest/gtest.h>

#include "agent/agent_config.h"

namespace diary::agent {
namespace {

TEST(ApprovalDecisionNames, AreNeutralSnakeCase) {
  EXPECT_EQ(to_string(ApprovalDecision::accept), "accept");
  EXPECT_EQ(to_string(ApprovalDecision::accept_for_session), "accept_for_session");
  EXPECT_EQ(to_string(ApprovalDecision::decline), "decline");
  EXPECT_EQ(to_string(ApprovalDecision::cancel), "cancel");
}

}  // namespace
}  // namespace diary::agent
