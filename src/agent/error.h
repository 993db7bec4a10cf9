// Error values shared by every layer: a kind (what the caller can act on) and a message (what
// the user reads). Results are std::expected; exceptions only cross the outer boundary in main.
// Value types, no thread-safety concerns.
#pragma once

#include <expected>
#include <ostream>
#include <string>
#include <string_view>

namespace diary::agent {

enum class ErrorKind {
  timeout,         // a deadline passed (turn, call, handshake)
  cancelled,       // the caller or a signal stopped the work
  protocol,        // the peer spoke something we cannot interpret
  rpc,             // the peer answered a request with a JSON-RPC error
  process_exited,  // the child process died or closed its output
  io,              // reading or writing a file, pipe or socket failed
  invalid_input,   // bad flags, spec files, schemas, workspaces (exit code 2)
  blocked,         // a prerequisite is missing: codex binary, handshake, auth (exit code 3)
  busy,            // a second concurrent turn() on one runner
  backend_broken,  // the backend could not confirm an interrupt; it refuses further work
  invalid_output,  // the model's final answer is not valid JSON for the requested schema
  turn_failed,     // the model provider reported a failed turn
};

std::string_view to_string(ErrorKind kind);

// Why a turn or a backend failed, in neutral terms a caller can act on. The adapter maps its
// backend's error codes to these (src/codex: codexErrorInfo); the resume loop decides on them.
enum class FailureCause {
  unknown,                  // no code given, or one that says nothing actionable
  rate_limited,             // transient: too many requests (429)
  overloaded,               // transient: the provider has no capacity right now
  server_error,             // transient: the provider failed (5xx)
  connection_failed,        // transient: the connection or response stream to the provider broke
  context_window_exceeded,  // the conversation no longer fits the model's context window
  usage_limit,              // the account's quota or the session's budget is used up
  unauthorized,             // not logged in, or the login expired (401)
  bad_request,              // the provider rejected the request itself (400)
  model_not_found,          // the model does not exist or is not available to this account
  refused,                  // a provider or workspace policy refused the request
  sandbox_error,            // the backend's sandbox could not run the work
  backend_exited,           // the agent backend process died
  timeout,                  // the turn ran past its timeout
};

std::string_view to_string(FailureCause cause);

// Transient causes: the same request may succeed later or on another model.
bool is_transient(FailureCause cause);

// The cause of a failure that carries only an ErrorKind (a runner error, not a turn result).
FailureCause cause_of(ErrorKind kind);

struct Error {
  ErrorKind kind;
  std::string message;

  friend bool operator==(const Error&, const Error&) = default;
};

std::ostream& operator<<(std::ostream& out, const Error& error);

template <class T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(ErrorKind kind, std::string message) {
  return std::unexpected(Error{kind, std::move(message)});
}

}  // namespace diary::agent
