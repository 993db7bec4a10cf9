// Classifying one incoming JSON-RPC line by field presence, and encoding outgoing messages.
// Shared by both peers diary speaks to: the codex app-server (which omits "jsonrpc") and MCP
// clients (which require "jsonrpc":"2.0" on every message), so the encoders take an Envelope.
// Classification: method+id = request, method only = notification, id only = response or error;
// an incoming "jsonrpc" field is neither required nor checked. Pure functions and value types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include <nlohmann/json.hpp>

namespace diary::jsonrpc {

using json = nlohmann::json;

// Request ids are integers when we send them, but a peer may use strings for its own.
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
  std::optional<RequestId> id;  // null when the peer could not tell which request failed
  RpcErrorBody error;
};

// Something that parses as JSON but is none of the above (skipped, counted).
struct Unclassifiable {
  std::string reason;
};

using IncomingMessage = std::variant<IncomingRequest, IncomingNotification, IncomingResponse, IncomingError, Unclassifiable>;

// A message's "id" member as a request id: an integer or a string, nothing else.
std::optional<RequestId> parse_request_id(const json& id);

// Parses and classifies one line; malformed JSON is Unclassifiable too.
IncomingMessage classify(std::string_view line);
IncomingMessage classify_json(json message);

// Which wire form to write: the codex app-server's bare messages, or JSON-RPC 2.0 proper with
// "jsonrpc":"2.0" (MCP).
enum class Envelope { bare, jsonrpc2 };

// Outgoing wire forms (one line each, no trailing newline). An error with no id (std::nullopt)
// carries "id":null: the answer to a line whose id could not be read.
std::string encode_request(std::int64_t id, std::string_view method, const json& params, Envelope envelope = Envelope::bare);
std::string encode_notification(std::string_view method, const json& params, Envelope envelope = Envelope::bare);
std::string encode_result(const RequestId& id, const json& result, Envelope envelope = Envelope::bare);
std::string encode_error(const std::optional<RequestId>& id, int code, std::string_view message,
                         Envelope envelope = Envelope::bare);

namespace rpc_code {
inline constexpr int parse_error = -32700;
inline constexpr int invalid_request = -32600;
inline constexpr int method_not_found = -32601;
inline constexpr int invalid_params = -32602;
inline constexpr int internal_error = -32603;
inline constexpr int server_overloaded = -32001;
}  // namespace rpc_code

}  // namespace diary::jsonrpc
