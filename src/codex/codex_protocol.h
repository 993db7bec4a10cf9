// The one place that knows the shape of what the codex app-server (0.169.0; schemas in
// /work/shared/codex-protocol/0.169.0) sends diary: the results of the requests diary makes, the
// notifications it reads and the server requests it answers, as typed structs with
// non-throwing decoders. Modelled on clangd's Protocol.h: `from_json(const json&, T&, Path)`
// returns false on a mismatch and reports the first one with its JSON path
// ("result.thread.id: expected string"). Only the members diary uses are decoded; unknown
// members are ignored (codex adds fields), optional ones may be absent or null. Callers never
// use nlohmann's throwing accessors (`value()`, `get<>()`, `at()`) on codex input: they decode.
// Pure functions and value types; no I/O, no shared state.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "agent/agent_turn.h"
#include "agent/error.h"

namespace diary::codex::protocol {

using json = nlohmann::json;

// Where a value sits in the message being decoded. Like llvm::json::Path: a chain of segments
// living on the decoder's stack, pointing at a Root that keeps the first reported mismatch. A
// Path refers to its parent: the parent must outlive it (pass child paths as arguments, never
// keep `a.field("x").index(1)` in a variable).
class Path {
 public:
  class Root {
   public:
    explicit Root(std::string name) : name_(std::move(name)) {}
    Root(const Root&) = delete;
    Root& operator=(const Root&) = delete;
    // "result.thread.id: expected string", once something was reported.
    const std::optional<std::string>& error() const { return error_; }

   private:
    friend class Path;
    std::string name_;
    std::optional<std::string> error_;
  };

  Path(Root& root) : root_(&root) {}  // NOLINT(google-explicit-constructor): as llvm::json::Path
  Path field(std::string_view name) const { return Path(root_, this, name, npos); }
  Path index(std::size_t i) const { return Path(root_, this, {}, i); }
  // Records `message` for this path unless an earlier mismatch was reported.
  void report(std::string_view message) const;
  std::string to_string() const;

 private:
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  Path(Root* root, const Path* parent, std::string_view field, std::size_t index)
      : root_(root), parent_(parent), field_(field), index_(index) {}
  Root* root_;
  const Path* parent_ = nullptr;
  std::string_view field_;
  std::size_t index_ = npos;
};

// Primitive decoders: the type must match exactly (an integer is not a string, a float is not
// an integer); std::optional accepts null; std::vector decodes every element.
bool from_json(const json& value, std::string& out, Path path);
bool from_json(const json& value, std::int64_t& out, Path path);
bool from_json(const json& value, int& out, Path path);
bool from_json(const json& value, bool& out, Path path);
bool from_json(const json& value, json& out, Path path);  // anything, kept as is

template <class T>
bool from_json(const json& value, std::optional<T>& out, Path path) {
  if (value.is_null()) {
    out.reset();
    return true;
  }
  T decoded{};
  if (!from_json(value, decoded, path)) return false;
  out = std::move(decoded);
  return true;
}

template <class T>
bool from_json(const json& value, std::vector<T>& out, Path path) {
  if (!value.is_array()) {
    path.report("expected array");
    return false;
  }
  out.clear();
  out.reserve(value.size());
  for (std::size_t i = 0; i < value.size(); ++i) {
    T element{};
    if (!from_json(value[i], element, path.index(i))) return false;
    out.push_back(std::move(element));
  }
  return true;
}

// Helper for object decoders (clangd's json::ObjectMapper): reports "expected object" up front,
// then maps member by member, stopping at the first mismatch.
class ObjectMapper {
 public:
  ObjectMapper(const json& value, Path path);
  explicit operator bool() const { return object_ != nullptr; }

  // A member that must be present (null only where T is an std::optional).
  template <class T>
  bool map(std::string_view key, T& out) {
    const json* member = find(key);
    if (member == nullptr) {
      path_.field(key).report("missing");
      return false;
    }
    return from_json(*member, out, path_.field(key));
  }
  // A member that may be absent or null: `out` keeps its value then.
  template <class T>
  bool map_optional(std::string_view key, T& out) {
    const json* member = find(key);
    if (member == nullptr || member->is_null()) return true;
    return from_json(*member, out, path_.field(key));
  }

 private:
  const json* find(std::string_view key) const;
  const json* object_ = nullptr;
  Path path_;
};

// Decodes `value` as T; a mismatch is ErrorKind::protocol with "<root>.<path>: <what>".
template <class T>
agent::Result<T> decode(const json& value, std::string root_name) {
  Path::Root root(std::move(root_name));
  T out{};
  if (from_json(value, out, Path(root))) return out;
  return agent::fail(agent::ErrorKind::protocol, root.error().value_or("malformed message"));
}

// --- Responses to diary's requests ---

struct InitializeResponse {  // initialize
  std::string user_agent;
  std::string codex_home;
  std::string platform_os;
};
bool from_json(const json& value, InitializeResponse& out, Path path);

struct ThreadStartResponse {  // thread/start, and thread/resume (the same shape)
  std::string thread_id;      // result.thread.id
  std::optional<std::string> model;
  std::optional<std::string> rollout_path;  // result.thread.path ([UNSTABLE] in 0.169.0; null when ephemeral)
};
bool from_json(const json& value, ThreadStartResponse& out, Path path);

struct TurnStartResponse {  // turn/start
  std::string turn_id;      // result.turn.id
};
bool from_json(const json& value, TurnStartResponse& out, Path path);

struct Account {
  std::string type;  // apiKey | chatgpt | amazonBedrock | gcp | ...
  std::optional<std::string> plan_type;
};
struct GetAccountResponse {        // account/read
  std::optional<Account> account;  // null: not logged in
  bool requires_openai_auth = true;
};
bool from_json(const json& value, Account& out, Path path);
bool from_json(const json& value, GetAccountResponse& out, Path path);

// --- Items (ThreadItem), as item/started and item/completed carry them ---

struct FileUpdateChange {
  std::string path;
  json kind;  // {"type":"add"} etc., kept as is
};
bool from_json(const json& value, FileUpdateChange& out, Path path);

struct ThreadItem {
  std::string type;
  std::string id;
  // agentMessage
  std::string text;
  std::optional<std::string> phase;  // commentary | final_answer; nullopt: absent or null
  // reasoning
  std::vector<std::string> summary;
  // commandExecution
  std::string command;
  std::string cwd;
  std::string status;  // also tool calls and file changes
  std::optional<std::int64_t> exit_code;
  std::optional<std::int64_t> duration_ms;
  std::string aggregated_output;
  // fileChange
  std::vector<FileUpdateChange> changes;
  // mcpToolCall / dynamicToolCall / collabAgentToolCall
  std::string server;  // mcpToolCall; dynamicToolCall's namespace
  std::string tool;
  json error;   // McpToolCallError or null, kept as is
  json result;  // McpToolCallResult or null, kept as is (diary's tools put their verdict here)
  // webSearch
  std::string query;
};
bool from_json(const json& value, ThreadItem& out, Path path);

// --- Notifications diary reads (params of each method) ---

struct ItemNotification {  // item/started, item/completed
  std::string thread_id;
  std::string turn_id;
  ThreadItem item;
};
bool from_json(const json& value, ItemNotification& out, Path path);

struct TokenUsageUpdated {  // thread/tokenUsage/updated
  std::string thread_id;
  std::string turn_id;
  agent::TokenUsage last;   // this model request
  agent::TokenUsage total;  // the thread so far
};
bool from_json(const json& value, agent::TokenUsage& out, Path path);  // TokenUsageBreakdown
bool from_json(const json& value, TokenUsageUpdated& out, Path path);

struct ErrorNotification {  // error
  std::string thread_id;
  std::string turn_id;
  json error;  // TurnError object, read by turn_error_from()
  bool will_retry = false;
};
bool from_json(const json& value, ErrorNotification& out, Path path);

struct Turn {
  std::string id;
  std::string status;  // completed | interrupted | failed | inProgress
  json error;          // TurnError object or null
};
bool from_json(const json& value, Turn& out, Path path);

struct TurnNotification {  // turn/started, turn/completed
  std::string thread_id;
  Turn turn;
};
bool from_json(const json& value, TurnNotification& out, Path path);

// Which thread and turn a notification belongs to, for routing ("" when absent or not a
// string): threadId / turnId, else the nested turn.threadId / turn.id, thread.id. Never fails:
// routing must see every notification, also those no decoder knows.
std::string thread_id_of(const json& params);
std::string turn_id_of(const json& params);

// --- Server requests diary answers ---

// The params of an approval request, whichever of the five methods asked.
struct ApprovalParams {
  std::string thread_id;  // threadId, or the legacy conversationId
  std::string item_id;    // itemId (v2 methods)
  std::string command;    // string, or the legacy argv joined by spaces
  std::string cwd;
  std::string reason;
  std::vector<std::string> paths;  // grantRoot, then the legacy fileChanges' keys
};

// The approval methods diary knows: true for item/commandExecution/requestApproval,
// execCommandApproval, item/fileChange/requestApproval, applyPatchApproval,
// item/permissions/requestApproval.
bool is_approval_method(std::string_view method);
bool is_legacy_approval_method(std::string_view method);
// Decodes the params of an approval method ("params.threadId: expected string" otherwise).
agent::Result<ApprovalParams> decode_approval(std::string_view method, const json& params);

}  // namespace diary::codex::protocol
