#include "codex/codex_error_causes.h"

#include <string_view>
#include <utility>

namespace diary::codex {

using agent::FailureCause;

namespace {

// The string variants of codexErrorInfo (v2/ErrorNotification.json, CodexErrorInfo).
constexpr std::pair<std::string_view, FailureCause> string_codes[] = {
    {"contextWindowExceeded", FailureCause::context_window_exceeded},
    {"sessionBudgetExceeded", FailureCause::usage_limit},
    {"usageLimitExceeded", FailureCause::usage_limit},
    {"rateLimitExceeded", FailureCause::rate_limited},
    {"flexUnavailable", FailureCause::overloaded},
    {"serverOverloaded", FailureCause::overloaded},
    {"modelNotFound", FailureCause::model_not_found},
    {"policyCapacityUnavailable", FailureCause::overloaded},
    {"cyberPolicy", FailureCause::refused},
    {"misalignmentPolicyViolation", FailureCause::refused},
    {"inferenceHookDenied", FailureCause::refused},
    {"tooManyDenials", FailureCause::refused},
    {"internalServerError", FailureCause::server_error},
    {"unauthorized", FailureCause::unauthorized},
    {"badRequest", FailureCause::bad_request},
    {"sandboxError", FailureCause::sandbox_error},
    {"threadRollbackFailed", FailureCause::unknown},
    {"other", FailureCause::unknown},
};

// The object variants: the connection to the provider failed; the HTTP status, when codex
// gives one, says more.
constexpr std::string_view connection_codes[] = {"httpConnectionFailed", "responseStreamConnectionFailed",
                                                 "responseStreamDisconnected", "responseTooManyFailedAttempts"};

}  // namespace

std::optional<FailureCause> cause_from_http_status(int status) {
  if (status == 401 || status == 403) return FailureCause::unauthorized;
  if (status == 429) return FailureCause::rate_limited;
  if (status >= 500 && status <= 599) return FailureCause::server_error;
  if (status == 400) return FailureCause::bad_request;
  if (status == 404) return FailureCause::model_not_found;
  return std::nullopt;
}

CodexErrorCause cause_from_codex_error_info(const nlohmann::json& info) {
  CodexErrorCause out;
  if (info.is_string()) {
    const auto& code = info.get_ref<const std::string&>();
    for (const auto& [name, cause] : string_codes)
      if (code == name) out.cause = cause;
    return out;
  }
  if (!info.is_object() || info.size() != 1) return out;
  const auto entry = info.begin();
  const nlohmann::json& body = entry.value();
  if (body.is_object())
    if (auto status = body.find("httpStatusCode"); status != body.end() && status->is_number_integer())
      out.http_status = status->get<int>();
  for (auto name : connection_codes) {
    if (entry.key() != name) continue;
    out.cause = FailureCause::connection_failed;
    if (out.http_status)
      if (auto by_status = cause_from_http_status(*out.http_status)) out.cause = *by_status;
  }
  // activeTurnNotSteerable and codes newer than 0.169.0 stay unknown.
  return out;
}

}  // namespace diary::codex
