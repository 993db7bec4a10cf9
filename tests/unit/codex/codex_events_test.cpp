#include "codex/codex_events.h"

#include "codex/codex_auth.h"

#include <gtest/gtest.h>

using namespace diary::codex;

namespace {

// The item as the collector sees it: decoded first.
std::optional<diary::agent::AgentTurnEvent> event_of(const json& item) {
  auto decoded = protocol::decode<protocol::ThreadItem>(item, "item");
  EXPECT_TRUE(decoded) << decoded.error();
  return decoded ? diary::codex::event_from_item(*decoded) : std::nullopt;
}

}  // namespace

// A missing or expired login is blocked, and the reason says what to do, as doctor does.
TEST(TurnError, UnauthorizedCarriesTheLoginHint) {
  using diary::agent::FailureCause;
  for (const json& info : {json("unauthorized"), json{{"httpConnectionFailed", {{"httpStatusCode", 401}}}}}) {
    SCOPED_TRACE(info.dump());
    auto error = turn_error_from({{"message", "unexpected status 401 Unauthorized"}, {"codexErrorInfo", info}});
    EXPECT_EQ(error.cause, FailureCause::unauthorized);
    EXPECT_EQ(error.message, "unexpected status 401 Unauthorized; " + std::string(login_hint));
  }
  auto other = turn_error_from({{"message", "busy"}, {"codexErrorInfo", "serverOverloaded"}});
  EXPECT_EQ(other.message.find("codex login"), std::string::npos) << other.message;
}

TEST(TurnError, HttpStatusAndCause) {
  using diary::agent::FailureCause;
  auto e429 =
      turn_error_from({{"message", "upstream 429"}, {"codexErrorInfo", {{"httpConnectionFailed", {{"httpStatusCode", 429}}}}}});
  EXPECT_EQ(e429.cause, FailureCause::rate_limited);
  EXPECT_EQ(e429.http_status, 429);
  EXPECT_TRUE(e429.retryable());

  auto many =
      turn_error_from({{"message", "x"}, {"codexErrorInfo", {{"responseTooManyFailedAttempts", {{"httpStatusCode", 503}}}}}});
  EXPECT_EQ(many.cause, FailureCause::server_error);
  EXPECT_TRUE(many.retryable());

  auto overloaded = turn_error_from({{"message", "busy"}, {"codexErrorInfo", "serverOverloaded"}});
  EXPECT_EQ(overloaded.cause, FailureCause::overloaded);
  EXPECT_TRUE(overloaded.retryable());

  auto context = turn_error_from({{"message", "too long"}, {"codexErrorInfo", "contextWindowExceeded"}});
  EXPECT_EQ(context.cause, FailureCause::context_window_exceeded);
  EXPECT_FALSE(context.retryable());

  auto bad = turn_error_from({{"message", "nope"}, {"codexErrorInfo", {{"httpConnectionFailed", {{"httpStatusCode", 400}}}}}});
  EXPECT_EQ(bad.cause, FailureCause::bad_request);
  EXPECT_FALSE(bad.retryable());
}

TEST(Events, CommandItemBecomesOneLineEvent) {
  auto event = event_of({{"type", "commandExecution"},
                         {"id", "c1"},
                         {"command", "/bin/bash -lc 'echo hi\nls'"},
                         {"cwd", "/w"},
                         {"status", "completed"},
                         {"exitCode", 0},
                         {"aggregatedOutput", "hi\n"}});
  ASSERT_TRUE(event);
  EXPECT_EQ(event->kind, diary::agent::EventKind::command);
  EXPECT_EQ(event->summary, "$ /bin/bash -lc 'echo hi ls' (exit 0)");
  EXPECT_EQ(event->metadata["exit_code"], 0);
  EXPECT_EQ(event->metadata["output_bytes"], 3);
  EXPECT_FALSE(event_of({{"type", "userMessage"}, {"id", "u"}}));
}

#include "codex/codex_binary.h"

TEST(CodexVersion, ComesFromTheHandshakeUserAgent) {
  EXPECT_EQ(version_from_user_agent("diary/0.169.0 (Debian 12.0.0; x86_64) xterm (diary; 0.1.0)"), "0.169.0");
  EXPECT_EQ(version_from_user_agent("diary/0.170.0-alpha.2 (x)"), "0.170.0-alpha.2");
  EXPECT_EQ(version_from_user_agent("weird"), std::nullopt);
  EXPECT_EQ(version_from_user_agent(""), std::nullopt);
}

TEST(Events, ToolCallKeepsTheToolsVerdictAndItsErrorsButNotThePayload) {
  diary::codex::json errors = diary::codex::json::array();
  for (int i = 0; i < 30; ++i) errors.push_back({{"path", "/x"}, {"message", "bad"}, {"hint", "fix"}});
  auto event = event_of({{"type", "mcpToolCall"},
                         {"id", "t1"},
                         {"server", "diary"},
                         {"tool", "write_evidence"},
                         {"status", "completed"},
                         {"arguments", {{"a", 1}}},
                         {"result",
                          {{"content", {{{"type", "text"}, {"text", "..."}}}},
                           {"structuredContent", {{"status", "invalid"}, {"errors", errors}}}}}});
  ASSERT_TRUE(event);
  EXPECT_EQ(event->kind, diary::agent::EventKind::tool_call);
  EXPECT_EQ(event->metadata["tool"], "diary.write_evidence");
  EXPECT_EQ(event->metadata["result_status"], "invalid");
  ASSERT_EQ(event->metadata["result_errors"].size(), 20u);
  EXPECT_EQ(event->metadata["result_errors"][0]["hint"], "fix");
  EXPECT_FALSE(event->metadata.contains("result"));

  auto plain = event_of({{"type", "mcpToolCall"},
                         {"id", "t2"},
                         {"server", "diary"},
                         {"tool", "read_session_lines"},
                         {"status", "completed"},
                         {"arguments", nullptr},
                         {"result", nullptr}});
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain->metadata.contains("result_status"));
}
