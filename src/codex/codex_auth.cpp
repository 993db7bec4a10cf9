#include "codex/codex_auth.h"

namespace diary::codex {

AuthStatus auth_status_from(const protocol::GetAccountResponse& account) {
  using State = AuthStatus::State;
  if (!account.account) {
    if (account.requires_openai_auth) return {State::not_logged_in, "not logged in (" + std::string(login_hint) + ")"};
    return {State::not_needed, "not needed by the configured model provider"};
  }
  const protocol::Account& details = *account.account;
  if (details.type == "chatgpt")
    return {State::logged_in,
            "logged in with ChatGPT" +
                (details.plan_type && !details.plan_type->empty() ? " (" + *details.plan_type + " plan)" : std::string())};
  if (details.type == "apiKey") return {State::logged_in, "API key"};
  return {State::logged_in, details.type};
}

boost::asio::awaitable<agent::Result<AuthStatus>> check_auth(CodexBackend& backend, std::chrono::milliseconds timeout) {
  CallOptions call;
  call.timeout = timeout;
  const std::string method = "account/read";
  const json params = {{"refreshToken", false}};
  auto account = co_await backend.rpc().call_as<protocol::GetAccountResponse>(method, params, call);
  if (!account) co_return std::unexpected(account.error());
  co_return auth_status_from(*account);
}

}  // namespace diary::codex
