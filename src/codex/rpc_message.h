// Classifying one incoming JSON-RPC line by field presence (the app-server omits "jsonrpc"):
// method+id = server request, method only = notification, id only = response or error.
// Pure functions and value types.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

namespace diary::codex {

using json = nlohmann::json;

// Request ids are integers when we send them, but the server may use strings for its own.
using RequestId = std::variant<std::int64_t, std::string>;

std::string to_string(const RequestId& id);
json to_json(const RequestId& id);

struct IncomingRequest {
  RequestId id;
  std::string method;
  json params;
};

struct IncomingNotification {
  std::string method;
  json params;
};

struct IncomingResponse {
  RequestId id;
  json result;
};

struct RpcErrorBody {
  int code = 0;
  std::string message;
  json data;
};

struct IncomingError {
  std::optional<RequestId> id;  // null when the server could not tell which request failed
  RpcErrorBody error;
};

// Something that parses as JSON but is none of the above (skipped, counted).
struct Unclassifiable {
  std::string reason;
};

using IncomingMessage =
    std::variant<IncomingRequest, IncomingNotification, IncomingResponse, IncomingError, Unclassifiable>;

// Parses and classifies one line; malformed JSON is Unclassifiable too.
IncomingMessage classify(std::string_view line);
IncomingMessage classify_json(json message);

// Outgoing wire forms (one line each, no trailing newline).
std::string encode_request(std::int64_t id, std::string_view method, const json& params);
std::string encode_notification(std::string_view method, const json& params);
std::string encode_result(const RequestId& id, const json& result);
std::string encode_error(const RequestId& id, int code, std::string_view message);

namespace rpc_code {
inline constexpr int invalid_request = -32600;
inline constexpr int method_not_found = -32601;
inline constexpr int invalid_params = -32602;
inline constexpr int internal_error = -32603;
inline constexpr int server_overloaded = -32001;
}  // namespace rpc_code

}  // namespace diary::codex
