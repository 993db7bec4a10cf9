// The one mapping of codex's turn error codes (`codexErrorInfo` of turn.error and of the `error`
// notification, app-server protocol 0.169.0) to the agent port's neutral FailureCause. Only this
// file knows codex's spelling of them. Pure functions.
#pragma once

#include <optional>

#include <nlohmann/json.hpp>

#include "agent/error.h"

namespace diary::codex {

struct CodexErrorCause {
  agent::FailureCause cause = agent::FailureCause::unknown;
  std::optional<int> http_status;  // from {"httpConnectionFailed": {"httpStatusCode": 429}} and kin
  friend bool operator==(const CodexErrorCause&, const CodexErrorCause&) = default;
};

// `info` is a codexErrorInfo value: a string ("contextWindowExceeded"), an object with one key
// ({"responseStreamDisconnected": {"httpStatusCode": null}}), or null/anything else (unknown).
CodexErrorCause cause_from_codex_error_info(const nlohmann::json& info);

// The cause an HTTP status says on its own (401 unauthorized, 429 rate limited, 5xx server
// error, 400 bad request, 404 model not found); nullopt for other statuses.
std::optional<agent::FailureCause> cause_from_http_status(int status);

}  // namespace diary::codex
