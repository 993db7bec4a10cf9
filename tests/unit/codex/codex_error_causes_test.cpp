// Every codexErrorInfo variant of the 0.169.0 protocol maps to the cause the resume loop acts
// on; shapes codex does not send (or newer codes) map to unknown, never throw.
#include "codex/codex_error_causes.h"

#include <gtest/gtest.h>

namespace diary::codex {
namespace {

using agent::FailureCause;
using nlohmann::json;

struct Row {
  json info;
  FailureCause cause;
  std::optional<int> http_status;
};

TEST(CodexErrorCauses, EveryProtocolCodeHasItsCause) {
  const std::vector<Row> rows = {
      {"contextWindowExceeded", FailureCause::context_window_exceeded, {}},
      {"sessionBudgetExceeded", FailureCause::usage_limit, {}},
      {"usageLimitExceeded", FailureCause::usage_limit, {}},
      {"rateLimitExceeded", FailureCause::rate_limited, {}},
      {"flexUnavailable", FailureCause::overloaded, {}},
      {"serverOverloaded", FailureCause::overloaded, {}},
      {"modelNotFound", FailureCause::model_not_found, {}},
      {"policyCapacityUnavailable", FailureCause::overloaded, {}},
      {"cyberPolicy", FailureCause::refused, {}},
      {"misalignmentPolicyViolation", FailureCause::refused, {}},
      {"inferenceHookDenied", FailureCause::refused, {}},
      {"tooManyDenials", FailureCause::refused, {}},
      {"internalServerError", FailureCause::server_error, {}},
      {"unauthorized", FailureCause::unauthorized, {}},
      {"badRequest", FailureCause::bad_request, {}},
      {"sandboxError", FailureCause::sandbox_error, {}},
      {"threadRollbackFailed", FailureCause::unknown, {}},
      {"other", FailureCause::unknown, {}},
      {{{"httpConnectionFailed", {{"httpStatusCode", nullptr}}}}, FailureCause::connection_failed, {}},
      {{{"httpConnectionFailed", {{"httpStatusCode", 401}}}}, FailureCause::unauthorized, 401},
      {{{"httpConnectionFailed", {{"httpStatusCode", 429}}}}, FailureCause::rate_limited, 429},
      {{{"httpConnectionFailed", {{"httpStatusCode", 502}}}}, FailureCause::server_error, 502},
      {{{"httpConnectionFailed", {{"httpStatusCode", 418}}}}, FailureCause::connection_failed, 418},
      {{{"responseStreamConnectionFailed", {{"httpStatusCode", 400}}}}, FailureCause::bad_request, 400},
      {{{"responseStreamDisconnected", {{"httpStatusCode", nullptr}}}}, FailureCause::connection_failed, {}},
      {{{"responseTooManyFailedAttempts", {{"httpStatusCode", 503}}}}, FailureCause::server_error, 503},
      {{{"activeTurnNotSteerable", {{"turnKind", "review"}}}}, FailureCause::unknown, {}},
  };
  for (const auto& row : rows) {
    const CodexErrorCause got = cause_from_codex_error_info(row.info);
    EXPECT_EQ(got.cause, row.cause) << row.info.dump() << " -> " << agent::to_string(got.cause);
    EXPECT_EQ(got.http_status, row.http_status) << row.info.dump();
  }
}

TEST(CodexErrorCauses, HostileShapesAreUnknown) {
  for (const json& info : {json(nullptr), json(42), json::array({"unauthorized"}), json::object(),
                           json{{"httpConnectionFailed", {{"httpStatusCode", "429"}}}}, json{{"httpConnectionFailed", 7}},
                           json{{"a", 1}, {"b", 2}}, json("someFutureCode")}) {
    const CodexErrorCause got = cause_from_codex_error_info(info);
    EXPECT_NE(got.cause, FailureCause::unauthorized) << info.dump();
    EXPECT_FALSE(got.http_status) << info.dump();
  }
  EXPECT_EQ(cause_from_codex_error_info(json{{"httpConnectionFailed", 7}}).cause, FailureCause::connection_failed);
}

TEST(CodexErrorCauses, TransientCausesAreTheOnesWorthAnotherTurn) {
  EXPECT_TRUE(agent::is_transient(FailureCause::rate_limited));
  EXPECT_TRUE(agent::is_transient(FailureCause::overloaded));
  EXPECT_TRUE(agent::is_transient(FailureCause::server_error));
  EXPECT_TRUE(agent::is_transient(FailureCause::connection_failed));
  for (auto cause : {FailureCause::context_window_exceeded, FailureCause::usage_limit, FailureCause::unauthorized,
                     FailureCause::bad_request, FailureCause::backend_exited, FailureCause::unknown})
    EXPECT_FALSE(agent::is_transient(cause)) << agent::to_string(cause);
}

}  // namespace
}  // namespace diary::codex
