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

std::ostream& operator<<(std::ostream& out, const Error& error) {
  return out << to_string(error.kind) << ": " << error.message;
}

}  // namespace diary::agent
