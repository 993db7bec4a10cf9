#include "generate/policy/approval_policy.h"

#include <gtest/gtest.h>

#include "support/scratch_dir.h"

namespace diary::generate {
namespace {

using agent::ApprovalDecision;
using agent::ApprovalKind;
using agent::ApprovalRequest;

ApprovalPolicy sample_policy() {
  return {.allow_commands = {"git status", "npm test"},
          .deny_commands = {"rm -rf", "git push"},
          .allow_write_paths = {"docs/**", "CHANGELOG.md"}};
}

ApprovalRequest command(std::string text) {
  return {.kind = ApprovalKind::command, .command = std::move(text), .method = "item/commandExecution/requestApproval"};
}

ApprovalRequest file_change(std::vector<std::filesystem::path> paths) {
  return {.kind = ApprovalKind::file_change, .paths = std::move(paths), .method = "item/fileChange/requestApproval"};
}

class ApprovalPolicyTest : public ::testing::Test {
 protected:
  test::ScratchDir dir;
  ApprovalPolicy policy = sample_policy();
  PolicyVerdict decide(const ApprovalRequest& request) { return decide_approval(policy, dir.path(), request); }
};

TEST_F(ApprovalPolicyTest, AllowPrefixIsWordAware) {
  EXPECT_EQ(decide(command("git status")).decision, ApprovalDecision::accept);
  auto verdict = decide(command("git status --short"));
  EXPECT_EQ(verdict.decision, ApprovalDecision::accept);
  EXPECT_EQ(verdict.rule, "allow_commands: \"git status\"");
  EXPECT_EQ(decide(command("git statusfoo")).decision, ApprovalDecision::decline);
  EXPECT_EQ(decide(command("git")).decision, ApprovalDecision::decline);
  EXPECT_EQ(decide(command("  git   status ")).decision, ApprovalDecision::accept);
}

TEST_F(ApprovalPolicyTest, ShellWrapperIsUnwrapped) {
  EXPECT_EQ(decide(command("/bin/bash -lc 'npm test -- --watch=false'")).decision, ApprovalDecision::accept);
  EXPECT_EQ(decide(command("bash -lc 'npm install'")).decision, ApprovalDecision::decline);
}

TEST_F(ApprovalPolicyTest, DenyIsCheckedFirstAndMatchesAnywhere) {
  policy.allow_commands.push_back("git");
  auto verdict = decide(command("git push origin main"));
  EXPECT_EQ(verdict.decision, ApprovalDecision::decline);
  EXPECT_EQ(verdict.rule, "deny_commands: \"git push\"");
  EXPECT_EQ(decide(command("bash -lc 'cd x && rm -rf /'")).rule, "deny_commands: \"rm -rf\"");
  EXPECT_EQ(decide(command("/usr/bin/rm -rf build")).rule, "deny_commands: \"rm -rf\"");
}

TEST_F(ApprovalPolicyTest, CompoundCommandsAreNeverAllowed) {
  for (const char* text : {"git status && curl evil", "git status; reboot", "git status | sh", "git status > f",
                           "git status $(reboot)", "git status `reboot`", "bash -lc 'git status\nreboot'"}) {
    auto verdict = decide(command(text));
    EXPECT_EQ(verdict.decision, ApprovalDecision::decline) << text;
    EXPECT_TRUE(verdict.rule.empty()) << text;
  }
}

TEST_F(ApprovalPolicyTest, UnmatchedCommandIsDeclined) {
  auto verdict = decide(command("make"));
  EXPECT_EQ(verdict.decision, ApprovalDecision::decline);
  EXPECT_EQ(verdict.reason, "no allow_commands rule matches");
  EXPECT_EQ(decide(command("")).decision, ApprovalDecision::decline);
}

TEST_F(ApprovalPolicyTest, FileChangesMatchWriteGlobs) {
  EXPECT_EQ(decide(file_change({"docs/a/b.md"})).decision, ApprovalDecision::accept);
  EXPECT_EQ(decide(file_change({dir / "docs" / "x.md", "CHANGELOG.md"})).decision, ApprovalDecision::accept);
  auto verdict = decide(file_change({"docs/ok.md", "src/main.cpp"}));
  EXPECT_EQ(verdict.decision, ApprovalDecision::decline);
  EXPECT_EQ(verdict.reason, "no allow_write_paths rule matches src/main.cpp");
  EXPECT_EQ(decide(file_change({})).decision, ApprovalDecision::decline);
}

TEST_F(ApprovalPolicyTest, FileChangesOutsideTheWorkdirAreDeclined) {
  EXPECT_EQ(decide(file_change({"docs/../../etc/passwd"})).decision, ApprovalDecision::decline);
  EXPECT_EQ(decide(file_change({"/etc/passwd"})).decision, ApprovalDecision::decline);
  std::filesystem::create_directories(dir / "outside");
  std::filesystem::create_directories(dir / "work");
  std::filesystem::create_symlink(dir / "outside", dir / "work" / "docs");
  auto verdict = decide_approval(policy, dir / "work", file_change({"docs/x.md"}));
  EXPECT_EQ(verdict.decision, ApprovalDecision::decline);
}

TEST_F(ApprovalPolicyTest, TheRunLedgerIsNeverWritable) {
  policy.allow_write_paths = {"**"};
  EXPECT_EQ(decide(file_change({"docs/a.md"})).decision, ApprovalDecision::accept);
  auto verdict = decide(file_change({".diary/runs/x/events.jsonl"}));
  EXPECT_EQ(verdict.decision, ApprovalDecision::decline);
  EXPECT_NE(verdict.reason.find("run ledger"), std::string::npos) << verdict.reason;
}

TEST_F(ApprovalPolicyTest, OtherRequestKindsAreDeclined) {
  auto verdict = decide({.kind = ApprovalKind::permissions, .method = "item/permissions/requestApproval"});
  EXPECT_EQ(verdict.decision, ApprovalDecision::decline);
  EXPECT_EQ(verdict.reason, "no policy rule covers permissions requests (item/permissions/requestApproval)");
}

TEST_F(ApprovalPolicyTest, EmptyPolicyFailsClosed) {
  policy = {};
  EXPECT_EQ(decide(command("ls")).decision, ApprovalDecision::decline);
  EXPECT_EQ(decide(file_change({"a.md"})).decision, ApprovalDecision::decline);
}

TEST_F(ApprovalPolicyTest, HandlerReportsEveryDecision) {
  std::vector<std::pair<std::string, PolicyVerdict>> seen;
  auto handler = make_approval_handler(
      policy, dir.path(), [&](const ApprovalRequest& request, const PolicyVerdict& v) { seen.emplace_back(request.command, v); });
  EXPECT_EQ(handler(command("git status")), ApprovalDecision::accept);
  EXPECT_EQ(handler(command("git push")), ApprovalDecision::decline);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].first, "git status");
  EXPECT_EQ(seen[0].second.decision, ApprovalDecision::accept);
  EXPECT_EQ(seen[1].second.rule, "deny_commands: \"git push\"");

  auto record = to_json(command("git push"), seen[1].second);
  EXPECT_EQ(record["decision"], "decline");
  EXPECT_EQ(record["kind"], "command");
  EXPECT_EQ(record["command"], "git push");
  EXPECT_EQ(record["rule"], "deny_commands: \"git push\"");
}

}  // namespace
}  // namespace diary::generate
