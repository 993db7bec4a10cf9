#include "support/mock_model/reply.h"

namespace diary::test {

Reply Reply::message(std::string text) {
  Reply reply;
  reply.kind = Kind::message;
  reply.text = std::move(text);
  return reply;
}

Reply Reply::tool_call(std::string name, nlohmann::json arguments, std::string tool_namespace) {
  Reply reply;
  reply.kind = Kind::tool_call;
  reply.tool_name = std::move(name);
  reply.tool_arguments = std::move(arguments);
  reply.tool_namespace = std::move(tool_namespace);
  return reply;
}

Reply Reply::shell(std::string command) {
  Reply reply;
  reply.kind = Kind::shell;
  reply.command = std::move(command);
  return reply;
}

Reply Reply::http_error(int status, std::string message) {
  Reply reply;
  reply.kind = Kind::http_error;
  reply.http_status = status;
  reply.error_message = message.empty() ? "mock model: HTTP " + std::to_string(status) : std::move(message);
  return reply;
}

Reply Reply::failed(std::string code, std::string message) {
  Reply reply;
  reply.kind = Kind::failed;
  reply.error_code = std::move(code);
  reply.error_message = std::move(message);
  return reply;
}

Reply Reply::hang() {
  Reply reply;
  reply.kind = Kind::hang;
  return reply;
}

Reply Reply::after(std::chrono::milliseconds wait) const {
  Reply copy = *this;
  copy.delay = wait;
  return copy;
}

Reply Reply::with_phase(std::string value) const {
  Reply copy = *this;
  copy.phase = std::move(value);
  return copy;
}

Reply Reply::with_usage(Usage value) const {
  Reply copy = *this;
  copy.usage = value;
  return copy;
}

std::string_view to_string(Reply::Kind kind) {
  switch (kind) {
    case Reply::Kind::message: return "message";
    case Reply::Kind::tool_call: return "tool_call";
    case Reply::Kind::shell: return "shell";
    case Reply::Kind::http_error: return "http_error";
    case Reply::Kind::failed: return "failed";
    case Reply::Kind::hang: return "hang";
  }
  return "?";
}

void PrintTo(const Reply& reply, std::ostream* out) {
  *out << "Reply{" << to_string(reply.kind);
  switch (reply.kind) {
    case Reply::Kind::message: *out << " " << nlohmann::json(reply.text).dump(); break;
    case Reply::Kind::tool_call:
      *out << " " << (reply.tool_namespace.empty() ? "" : reply.tool_namespace + ".") << reply.tool_name << " "
           << reply.tool_arguments.dump();
      break;
    case Reply::Kind::shell: *out << " " << nlohmann::json(reply.command).dump(); break;
    case Reply::Kind::http_error: *out << " " << reply.http_status; break;
    case Reply::Kind::failed: *out << " " << reply.error_code; break;
    case Reply::Kind::hang: break;
  }
  if (reply.delay.count() > 0) *out << " after " << reply.delay.count() << "ms";
  *out << "}";
}

}  // namespace diary::test
