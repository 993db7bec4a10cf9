#include "agent/error.h"

namespace diary::agent {

std::string_view to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::timeout: return "timeout";
    case ErrorKind::cancelled: return "cancelled";
    case ErrorKind::protocol: return "protocol";
    case ErrorKind::rpc: return "rpc";
    case ErrorKind::process_exited: return "process_exited";
    case ErrorKind::io: return "io";
    case ErrorKind::invalid_input: return "invalid_input";
    case ErrorKind::blocked: return "blocked";
    case ErrorKind::busy: return "busy";
    case ErrorKind::backend_broken: return "backend_broken";
    case ErrorKind::invalid_output: return "invalid_output";
    case ErrorKind::turn_failed: return "turn_failed";
  }
  return "unknown";
}

std::string_view to_string(FailureCause cause) {
  switch (cause) {
    case FailureCause::unknown: return "unknown";
    case FailureCause::rate_limited: return "rate_limited";
    case FailureCause::overloaded: return "overloaded";
    case FailureCause::server_error: return "server_error";
    case FailureCause::connection_failed: return "connection_failed";
    case FailureCause::context_window_exceeded: return "context_window_exceeded";
    case FailureCause::usage_limit: return "usage_limit";
    case FailureCause::unauthorized: return "unauthorized";
    case FailureCause::bad_request: return "bad_request";
    case FailureCause::model_not_found: return "model_not_found";
    case FailureCause::refused: return "refused";
    case FailureCause::sandbox_error: return "sandbox_error";
    case FailureCause::backend_exited: return "backend_exited";
    case FailureCause::timeout: return "timeout";
  }
  return "unknown";
}

bool is_transient(FailureCause cause) {
  switch (cause) {
    case FailureCause::rate_limited:
    case FailureCause::overloaded:
    case FailureCause::server_error:
    case FailureCause::connection_failed: return true;
    default: return false;
  }
}

FailureCause cause_of(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::process_exited: return FailureCause::backend_exited;
    case ErrorKind::timeout: return FailureCause::timeout;
    default: return FailureCause::unknown;
  }
}

std::ostream& operator<<(std::ostream& out, const Error& error) { return out << to_string(error.kind) << ": " << error.message; }

}  // namespace diary::agent
