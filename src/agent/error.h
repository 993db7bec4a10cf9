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
