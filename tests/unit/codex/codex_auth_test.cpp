// The one login decision doctor and generate share (codex_auth.h), and the CODEX_HOME check
// (codex_config_files.h): table tests on decoded account/read answers and on paths.
#include "codex/codex_auth.h"

#include <gtest/gtest.h>

#include "codex/codex_config_files.h"

namespace diary::codex {
namespace {

using State = AuthStatus::State;

TEST(CodexAuth, LoggedInNotNeededOrMissing) {
  protocol::GetAccountResponse none;
  none.requires_openai_auth = true;
  EXPECT_EQ(auth_status_from(none).state, State::not_logged_in);
  EXPECT_FALSE(auth_status_from(none).usable());
  EXPECT_NE(auth_status_from(none).description.find("codex login"), std::string::npos);

  protocol::GetAccountResponse provider;
  provider.requires_openai_auth = false;  // -c model_provider=... naming a provider without requires_openai_auth
  EXPECT_EQ(auth_status_from(provider).state, State::not_needed);
  EXPECT_TRUE(auth_status_from(provider).usable());
  EXPECT_EQ(auth_status_from(provider).description, "not needed by the configured model provider");

  protocol::GetAccountResponse key;
  key.account = protocol::Account{"apiKey", std::nullopt};
  EXPECT_EQ(auth_status_from(key).state, State::logged_in);
  EXPECT_EQ(auth_status_from(key).description, "API key");

  protocol::GetAccountResponse chatgpt;
  chatgpt.account = protocol::Account{"chatgpt", "plus"};
  EXPECT_EQ(auth_status_from(chatgpt).description, "logged in with ChatGPT (plus plan)");
}

TEST(CodexHome, BelowTheTempDirIsAProblem) {
  agent::AgentBackendOptions options;
  options.env["TMPDIR"] = "/var/scratch-tmp";
  EXPECT_TRUE(codex_home_problem("/tmp/x/.codex", options));
  EXPECT_TRUE(codex_home_problem("/tmp", options));
  EXPECT_TRUE(codex_home_problem("/tmp/../tmp/y", options));
  EXPECT_TRUE(codex_home_problem("/var/scratch-tmp/home/.codex", options));
  EXPECT_FALSE(codex_home_problem("/tmpfoo/.codex", options));
  EXPECT_FALSE(codex_home_problem("/home/u/.codex", options));
  EXPECT_FALSE(codex_home_problem("", options));
  const auto problem = codex_home_problem("/tmp/x/.codex", options);
  ASSERT_TRUE(problem);
  EXPECT_NE(problem->find("/tmp/x/.codex is below /tmp"), std::string::npos) << *problem;
}

}  // namespace
}  // namespace diary::codex
