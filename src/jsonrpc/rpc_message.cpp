#include "jsonrpc/rpc_message.h"

namespace diary::jsonrpc {

std::string to_string(const RequestId& id) {
  if (const auto* number = std::get_if<std::int64_t>(&id)) return std::to_string(*number);
  return std::get<std::string>(id);
}

json to_json(const RequestId& id) {
  if (const auto* number = std::get_if<std::int64_t>(&id)) return *number;
  return std::get<std::string>(id);
}

std::optional<RequestId> parse_request_id(const json& id) {
  if (id.is_number_integer()) return RequestId{id.get<std::int64_t>()};
  if (id.is_number_unsigned()) return RequestId{static_cast<std::int64_t>(id.get<std::uint64_t>())};
  if (id.is_string()) return RequestId{id.get<std::string>()};
  return std::nullopt;
}

namespace {

json take_or_null(json& object, const char* key) {
  auto it = object.find(key);
  return it == object.end() ? json(nullptr) : std::move(*it);
}

}  // namespace

IncomingMessage classify(std::string_view line) {
  json message = json::parse(line.begin(), line.end(), nullptr, /*allow_exceptions=*/false);
  if (message.is_discarded()) return Unclassifiable{"not JSON"};
  return classify_json(std::move(message));
}

IncomingMessage classify_json(json message) {
  if (!message.is_object()) return Unclassifiable{"not a JSON object"};
  auto method = message.find("method");
  auto id = message.find("id");
  const bool has_method = method != message.end() && method->is_string();
  const bool has_id = id != message.end() && !id->is_null();
  if (has_method) {
    std::string name = method->get<std::string>();
    json params = take_or_null(message, "params");
    if (!has_id) return IncomingNotification{std::move(name), std::move(params)};
    auto request_id = parse_request_id(*id);
    if (!request_id) return Unclassifiable{"request id is neither number nor string"};
    return IncomingRequest{std::move(*request_id), std::move(name), std::move(params)};
  }
  if (auto error = message.find("error"); error != message.end() && error->is_object()) {
    RpcErrorBody body;
    // A peer's error object is not trusted to be well typed: json::value() would throw.
    if (auto code = error->find("code"); code != error->end() && code->is_number_integer())
      body.code = static_cast<int>(code->get<std::int64_t>());
    if (auto message = error->find("message"); message != error->end() && message->is_string())
      body.message = message->get<std::string>();
    body.data = take_or_null(*error, "data");
    return IncomingError{has_id ? parse_request_id(*id) : std::nullopt, std::move(body)};
  }
  if (has_id) {
    auto request_id = parse_request_id(*id);
    if (!request_id) return Unclassifiable{"response id is neither number nor string"};
    if (!message.contains("result")) return Unclassifiable{"response without result or error"};
    return IncomingResponse{std::move(*request_id), take_or_null(message, "result")};
  }
  return Unclassifiable{"neither method nor id"};
}

namespace {

// Every outgoing message goes through here: the envelope is added in one place, and invalid
// UTF-8 is replaced rather than thrown on.
std::string encode(json message, Envelope envelope) {
  if (envelope == Envelope::jsonrpc2) message["jsonrpc"] = "2.0";
  return message.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

std::string encode_request(std::int64_t id, std::string_view method, const json& params, Envelope envelope) {
  json message = {{"id", id}, {"method", method}};
  if (!params.is_null()) message["params"] = params;
  return encode(std::move(message), envelope);
}

std::string encode_notification(std::string_view method, const json& params, Envelope envelope) {
  json message = {{"method", method}};
  if (!params.is_null()) message["params"] = params;
  return encode(std::move(message), envelope);
}

std::string encode_result(const RequestId& id, const json& result, Envelope envelope) {
  return encode(json{{"id", to_json(id)}, {"result", result}}, envelope);
}

std::string encode_error(const std::optional<RequestId>& id, int code, std::string_view message, Envelope envelope) {
  return encode(json{{"id", id ? to_json(*id) : json(nullptr)}, {"error", {{"code", code}, {"message", message}}}}, envelope);
}

}  // namespace diary::jsonrpc
