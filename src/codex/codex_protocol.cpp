#include "codex/codex_protocol.h"

#include <algorithm>
#include <limits>

namespace diary::codex::protocol {

// --- Path ---

void Path::report(std::string_view message) const {
  if (root_->error_) return;
  root_->error_ = to_string() + ": " + std::string(message);
}

std::string Path::to_string() const {
  std::vector<const Path*> chain;
  for (const Path* p = this; p != nullptr; p = p->parent_) chain.push_back(p);
  std::string out = root_->name_;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    const Path& segment = **it;
    if (segment.parent_ == nullptr) continue;  // the root itself
    if (segment.index_ != npos) out += "[" + std::to_string(segment.index_) + "]";
    else out += (out.empty() ? "" : ".") + std::string(segment.field_);
  }
  return out;
}

// --- primitives ---

bool from_json(const json& value, std::string& out, Path path) {
  if (!value.is_string()) {
    path.report("expected string");
    return false;
  }
  out = value.get_ref<const std::string&>();
  return true;
}

bool from_json(const json& value, std::int64_t& out, Path path) {
  if (value.is_number_integer()) {
    if (value.is_number_unsigned() &&
        value.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      path.report("integer out of range");
      return false;
    }
    out = value.get<std::int64_t>();
    return true;
  }
  path.report("expected integer");
  return false;
}

bool from_json(const json& value, int& out, Path path) {
  std::int64_t wide = 0;
  if (!from_json(value, wide, path)) return false;
  if (wide < std::numeric_limits<int>::min() || wide > std::numeric_limits<int>::max()) {
    path.report("integer out of range");
    return false;
  }
  out = static_cast<int>(wide);
  return true;
}

bool from_json(const json& value, bool& out, Path path) {
  if (!value.is_boolean()) {
    path.report("expected boolean");
    return false;
  }
  out = value.get<bool>();
  return true;
}

bool from_json(const json& value, json& out, Path) {
  out = value;
  return true;
}

// --- ObjectMapper ---

ObjectMapper::ObjectMapper(const json& value, Path path) : path_(path) {
  if (value.is_object()) object_ = &value;
  else path.report("expected object");
}

const json* ObjectMapper::find(std::string_view key) const {
  if (object_ == nullptr) return nullptr;
  auto it = object_->find(key);
  return it == object_->end() ? nullptr : &*it;
}

namespace {

// A member that, when present, must be an object (kept as is).
bool map_object(ObjectMapper& o, std::string_view key, json& out, Path path, bool required) {
  json member;
  if (!(required ? o.map(key, member) : o.map_optional(key, member))) return false;
  if (member.is_null() && !required) return true;
  if (!member.is_object()) {
    path.field(key).report("expected object");
    return false;
  }
  out = std::move(member);
  return true;
}

struct IdOnly {
  std::string id;
};
bool from_json(const json& value, IdOnly& out, Path path) {
  ObjectMapper o(value, path);
  return o && o.map("id", out.id);
}

}  // namespace

// --- responses ---

bool from_json(const json& value, InitializeResponse& out, Path path) {
  ObjectMapper o(value, path);
  return o && o.map("userAgent", out.user_agent) && o.map_optional("codexHome", out.codex_home) &&
         o.map_optional("platformOs", out.platform_os);
}

namespace {
struct ThreadSummary {
  std::string id;
  std::optional<std::string> path;
};
bool from_json(const json& value, ThreadSummary& out, Path path) {
  ObjectMapper o(value, path);
  return o && o.map("id", out.id) && o.map_optional("path", out.path);
}
}  // namespace

bool from_json(const json& value, ThreadStartResponse& out, Path path) {
  ObjectMapper o(value, path);
  ThreadSummary thread;
  if (!(o && o.map("thread", thread) && o.map_optional("model", out.model))) return false;
  out.thread_id = std::move(thread.id);
  out.rollout_path = std::move(thread.path);
  return true;
}

bool from_json(const json& value, TurnStartResponse& out, Path path) {
  ObjectMapper o(value, path);
  IdOnly turn;
  if (!(o && o.map("turn", turn))) return false;
  out.turn_id = std::move(turn.id);
  return true;
}

bool from_json(const json& value, Account& out, Path path) {
  ObjectMapper o(value, path);
  return o && o.map("type", out.type) && o.map_optional("planType", out.plan_type);
}

bool from_json(const json& value, GetAccountResponse& out, Path path) {
  ObjectMapper o(value, path);
  return o && o.map_optional("account", out.account) && o.map_optional("requiresOpenaiAuth", out.requires_openai_auth);
}

// --- items ---

bool from_json(const json& value, FileUpdateChange& out, Path path) {
  ObjectMapper o(value, path);
  return o && o.map("path", out.path) && o.map_optional("kind", out.kind);
}

bool from_json(const json& value, ThreadItem& out, Path path) {
  ObjectMapper o(value, path);
  if (!(o && o.map("type", out.type) && o.map("id", out.id))) return false;
  const std::string& type = out.type;
  if (type == "agentMessage") return o.map("text", out.text) && o.map_optional("phase", out.phase);
  if (type == "reasoning") return o.map_optional("summary", out.summary);
  if (type == "commandExecution")
    return o.map("command", out.command) && o.map_optional("cwd", out.cwd) && o.map_optional("status", out.status) &&
           o.map_optional("exitCode", out.exit_code) && o.map_optional("durationMs", out.duration_ms) &&
           o.map_optional("aggregatedOutput", out.aggregated_output);
  if (type == "fileChange") return o.map("changes", out.changes) && o.map_optional("status", out.status);
  if (type == "mcpToolCall")
    return o.map_optional("server", out.server) && o.map("tool", out.tool) && o.map_optional("status", out.status) &&
           o.map_optional("error", out.error) && o.map_optional("result", out.result);
  if (type == "dynamicToolCall")
    return o.map_optional("namespace", out.server) && o.map("tool", out.tool) && o.map_optional("status", out.status);
  if (type == "collabAgentToolCall") return o.map("tool", out.tool) && o.map_optional("status", out.status);
  if (type == "webSearch") return o.map("query", out.query);
  return true;  // an item type diary does not read: its type and id are enough
}

// --- notifications ---

bool from_json(const json& value, ItemNotification& out, Path path) {
  ObjectMapper o(value, path);
  return o && o.map_optional("threadId", out.thread_id) && o.map_optional("turnId", out.turn_id) && o.map("item", out.item);
}

bool from_json(const json& value, agent::TokenUsage& out, Path path) {
  ObjectMapper o(value, path);
  if (!(o && o.map_optional("inputTokens", out.input_tokens) && o.map_optional("cachedInputTokens", out.cached_input_tokens) &&
        o.map_optional("outputTokens", out.output_tokens) &&
        o.map_optional("reasoningOutputTokens", out.reasoning_output_tokens) && o.map_optional("totalTokens", out.total_tokens)))
    return false;
  if (out.total_tokens == 0) out.total_tokens = out.input_tokens + out.output_tokens;
  return true;
}

bool from_json(const json& value, TokenUsageUpdated& out, Path path) {
  ObjectMapper o(value, path);
  if (!(o && o.map_optional("threadId", out.thread_id) && o.map_optional("turnId", out.turn_id))) return false;
  json usage;
  if (!map_object(o, "tokenUsage", usage, path, true)) return false;
  ObjectMapper u(usage, path.field("tokenUsage"));
  return u.map("last", out.last) && u.map_optional("total", out.total);
}

bool from_json(const json& value, ErrorNotification& out, Path path) {
  ObjectMapper o(value, path);
  return o && o.map_optional("threadId", out.thread_id) && o.map_optional("turnId", out.turn_id) &&
         map_object(o, "error", out.error, path, true) && o.map_optional("willRetry", out.will_retry);
}

bool from_json(const json& value, Turn& out, Path path) {
  ObjectMapper o(value, path);
  return o && o.map("id", out.id) && o.map("status", out.status) && map_object(o, "error", out.error, path, false);
}

bool from_json(const json& value, TurnNotification& out, Path path) {
  ObjectMapper o(value, path);
  return o && o.map_optional("threadId", out.thread_id) && o.map("turn", out.turn);
}

namespace {

std::string string_member(const json& object, std::string_view key) {
  if (!object.is_object()) return {};
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::string thread_id_of(const json& params) {
  if (!params.is_object()) return {};
  if (std::string id = string_member(params, "threadId"); !id.empty()) return id;
  if (auto turn = params.find("turn"); turn != params.end()) return string_member(*turn, "threadId");
  if (auto thread = params.find("thread"); thread != params.end()) return string_member(*thread, "id");
  return {};
}

std::string turn_id_of(const json& params) {
  if (!params.is_object()) return {};
  if (std::string id = string_member(params, "turnId"); !id.empty()) return id;
  if (auto turn = params.find("turn"); turn != params.end()) return string_member(*turn, "id");
  return {};
}

// --- server requests ---

bool is_legacy_approval_method(std::string_view method) {
  return method == "execCommandApproval" || method == "applyPatchApproval";
}

bool is_approval_method(std::string_view method) {
  return method == "item/commandExecution/requestApproval" || method == "item/fileChange/requestApproval" ||
         method == "item/permissions/requestApproval" || is_legacy_approval_method(method);
}

agent::Result<ApprovalParams> decode_approval(std::string_view method, const json& params) {
  Path::Root root("params");
  Path path(root);
  ApprovalParams out;
  ObjectMapper o(params, path);
  std::optional<std::string> reason, command, cwd, grant_root;
  bool ok = static_cast<bool>(o) && o.map_optional("reason", reason);
  if (ok && is_legacy_approval_method(method)) {
    ok = o.map("conversationId", out.thread_id);
    if (ok && method == "execCommandApproval") {
      std::vector<std::string> argv;
      ok = o.map("command", argv) && o.map_optional("cwd", cwd);
      for (const auto& part : argv) out.command += (out.command.empty() ? "" : " ") + part;
    } else if (ok) {
      json changes;
      ok = o.map_optional("grantRoot", grant_root) && map_object(o, "fileChanges", changes, path, true);
      if (grant_root && !grant_root->empty()) out.paths.push_back(*grant_root);
      if (ok)
        for (const auto& [changed, change] : changes.items()) out.paths.push_back(changed);
    }
  } else if (ok) {
    ok = o.map("threadId", out.thread_id) && o.map_optional("itemId", out.item_id);
    if (ok && method == "item/commandExecution/requestApproval")
      ok = o.map_optional("command", command) && o.map_optional("cwd", cwd);
    if (ok && method == "item/fileChange/requestApproval") {
      ok = o.map_optional("grantRoot", grant_root);
      if (grant_root && !grant_root->empty()) out.paths.push_back(*grant_root);
    }
  }
  if (!ok) return agent::fail(agent::ErrorKind::protocol, root.error().value_or("malformed params"));
  out.reason = reason.value_or("");
  if (command) out.command = *command;
  out.cwd = cwd.value_or("");
  return out;
}

}  // namespace diary::codex::protocol
