// The codex adapter owns the wire encoding of approval decisions: the neutral port's names
// never reach codex as they are (issue 11.11).
#include "codex/server_requests.h"

#include <gtest/gtest.h>

namespace diary::codex {
namespace {

using agent::ApprovalDecision;

TEST(ApprovalResult, CurrentMethodsGetCodexDecisionStrings) {
  for (const std::string method : {"item/commandExecution/requestApproval", "item/fileChange/requestApproval"}) {
    EXPECT_EQ(approval_result(method, ApprovalDecision::accept), (json{{"decision", "accept"}})) << method;
    EXPECT_EQ(approval_result(method, ApprovalDecision::accept_for_session), (json{{"decision", "acceptForSession"}})) << method;
    EXPECT_EQ(approval_result(method, ApprovalDecision::decline), (json{{"decision", "decline"}})) << method;
    EXPECT_EQ(approval_result(method, ApprovalDecision::cancel), (json{{"decision", "cancel"}})) << method;
  }
}

TEST(ApprovalResult, LegacyMethodsGetLegacyStrings) {
  EXPECT_EQ(approval_result("execCommandApproval", ApprovalDecision::accept_for_session),
            (json{{"decision", "approved_for_session"}}));
  EXPECT_EQ(approval_result("applyPatchApproval", ApprovalDecision::decline), (json{{"decision", "denied"}}));
}

TEST(ApprovalResult, PermissionRequestsAreDeclinedByGrantingNothing) {
  EXPECT_EQ(approval_result("item/permissions/requestApproval", ApprovalDecision::accept),
            (json{{"permissions", json::object()}, {"scope", "turn"}}));
}

}  // namespace
}  // namespace diary::codex
