// Live tier: the real codex against a real model. Off by default; DIARY_LIVE=1 turns it on.
// Auth comes from OPENAI_API_KEY, or from DIARY_LIVE_CODEX_HOME (a codex home you logged into
// with `codex login`; only its auth.json is copied into a scratch CODEX_HOME, nothing is written
// back). Spends a few thousand tokens.
#include <cstdlib>
#include <filesystem>

#include <gtest/gtest.h>

#include "codex/codex_session_factory.h"
#include "support/async_test.h"
#include "support/scratch_dir.h"

using namespace diary;
using namespace std::chrono_literals;
namespace asio = boost::asio;

namespace {

class Live : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* live = std::getenv("DIARY_LIVE");
    if (live == nullptr || std::string(live) != "1") GTEST_SKIP() << "live tests are off (set DIARY_LIVE=1)";
    std::filesystem::create_directories(scratch_ / "codex-home");
    options_.codex_binary = DIARY_TEST_CODEX_BIN;
    options_.backend.env["CODEX_HOME"] = (scratch_ / "codex-home").string();
    if (const char* home = std::getenv("DIARY_LIVE_CODEX_HOME"); home != nullptr && *home != '\0') {
      std::filesystem::copy_file(std::filesystem::path(home) / "auth.json", scratch_ / "codex-home" / "auth.json");
    } else if (std::getenv("OPENAI_API_KEY") == nullptr) {
      GTEST_SKIP() << "no credentials: set OPENAI_API_KEY or DIARY_LIVE_CODEX_HOME";
    }
    if (const char* model = std::getenv("DIARY_LIVE_MODEL")) config_.model = model;
    config_.working_directory = scratch_.path();
    config_.sandbox = "workspace-write";
    config_.approval_policy = "never";
  }

  agent::Result<agent::AgentTurnResult> turn(const std::string& prompt, agent::TurnOptions options) {
    return test::run_coro<agent::Result<agent::AgentTurnResult>>(
        [&](asio::any_io_executor ex) -> asio::awaitable<agent::Result<agent::AgentTurnResult>> {
          auto factory = codex::make_codex_session_factory(ex, options_);
          auto runner = co_await factory->create_runner(config_);
          if (!runner) co_return std::unexpected(runner.error());
          auto result = co_await (*runner)->turn(prompt, options);
          co_await factory->shutdown();
          co_return result;
        },
        5min);
  }

  test::ScratchDir scratch_;
  codex::CodexFactoryOptions options_;
  agent::AgentConfig config_;
};

}  // namespace

TEST_F(Live, WritesAFileWithAShellCommand) {
  agent::TurnOptions options;
  options.timeout = 4min;
  auto result = turn(
      "Create a file named live.txt in the current directory containing exactly the word pineapple, "
      "using a shell command. Then reply with the single word: done",
      options);
  ASSERT_TRUE(result) << result.error();
  EXPECT_TRUE(result->ok());
  EXPECT_NE(test::read_file(scratch_ / "live.txt").find("pineapple"), std::string::npos);
  EXPECT_GT(result->usage.total_tokens, 0);
}

TEST_F(Live, AnswersUnderAnOutputSchema) {
  agent::TurnOptions options;
  options.timeout = 4min;
  options.output_schema = nlohmann::json::parse(R"({"type":"object","additionalProperties":false,
      "required":["sum"],"properties":{"sum":{"type":"integer"}}})");
  auto result = turn("What is 17 + 25? Answer in the required JSON format.", options);
  ASSERT_TRUE(result) << result.error();
  ASSERT_TRUE(result->structured_output) << result->assistant_text;
  EXPECT_EQ((*result->structured_output)["sum"], 42);
}
