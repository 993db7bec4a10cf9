// Can codex serve turns as far as authentication goes? One decision, shared by `diary doctor`
// and `diary generate`'s preflight: codex's own answer to account/read (decoded by
// codex_protocol.h). Logged in (API key, ChatGPT, a cloud account) or a configured model
// provider that needs no OpenAI login (requiresOpenaiAuth false, e.g. `-c model_provider=...`
// naming a provider without requires_openai_auth) is usable; anything else is not. No
// answer, or an answer of the wrong shape, is an error: the check could not be made.
// Use from the backend's executor.
#pragma once

#include <chrono>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "agent/error.h"
#include "codex/codex_backend.h"
#include "codex/codex_protocol.h"

namespace diary::codex {

// What a user does about a missing login.
inline constexpr std::string_view login_hint = "run `codex login` (or set OPENAI_API_KEY)";

struct AuthStatus {
  enum class State { logged_in, not_needed, not_logged_in };
  State state = State::not_logged_in;
  std::string description;  // "API key", "logged in with ChatGPT (plus plan)", "not logged in", ...
  bool usable() const { return state != State::not_logged_in; }
};

// The decision for an account/read answer (pure).
AuthStatus auth_status_from(const protocol::GetAccountResponse& account);

// Asks codex (account/read without a token refresh). ErrorKind::timeout when it does not
// answer within `timeout`, ErrorKind::protocol for a wrong shape, the call's error otherwise.
boost::asio::awaitable<agent::Result<AuthStatus>> check_auth(CodexBackend& backend, std::chrono::milliseconds timeout);

}  // namespace diary::codex
