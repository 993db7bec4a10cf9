#include "server.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>

#include <poll.h>
#include <unistd.h>

namespace diary::test::fake {

namespace {

// JSON-RPC codes as the real server uses them (-32600 for state errors, see README.md).
constexpr int invalid_request = -32600;
constexpr int method_not_found = -32601;
constexpr int invalid_params = -32602;
constexpr int server_overloaded = -32001;

std::string default_codex_home() {
  if (const char* home = std::getenv("CODEX_HOME"); home && *home) return home;
  const char* user_home = std::getenv("HOME");
  return std::string(user_home ? user_home : "") + "/.codex";
}

std::string current_dir() {
  char buffer[PATH_MAX];
  return ::getcwd(buffer, sizeof buffer) ? buffer : "/";
}

std::string string_or(const json& params, const char* key, std::string fallback) {
  auto it = params.find(key);
  return it != params.end() && it->is_string() ? it->get<std::string>() : fallback;
}

}  // namespace

Server::Server(Options options)
    : options_(std::move(options)), log_(options_.log_path), reader_(STDIN_FILENO), codex_home_(default_codex_home()) {}

int Server::run() {
  std::vector<std::string> lines;
  for (;;) {
    run_turns();
    pollfd fd{STDIN_FILENO, POLLIN, 0};
    int ready = ::poll(&fd, 1, poll_timeout_ms());
    if (ready < 0) {
      if (errno == EINTR) continue;
      return 1;
    }
    if (ready == 0) continue;
    lines.clear();
    bool open = reader_.read_some(lines);
    for (const auto& line : lines) on_line(line);
    // Like the real server: end of stdin aborts running turns and ends the process.
    if (!open) return 0;
  }
}

void Server::run_turns() {
  auto now = Clock::now();
  // Index loop: steps may start new jobs (never do today, but keep it safe).
  for (std::size_t i = 0; i < active_.size(); ++i) {
    std::shared_ptr<Turn> turn = active_[i];
    while (turn->runnable(now)) {
      Step step = std::move(turn->steps.front());
      turn->steps.pop_front();
      if (!step(*turn)) {
        turn->steps.push_front(std::move(step));
        break;  // yield: poll stdin before continuing
      }
      now = Clock::now();
    }
  }
  std::erase_if(active_, [](const auto& t) { return t->finished || (t->steps.empty() && !t->awaiting_request); });
}

int Server::poll_timeout_ms() const {
  auto now = Clock::now();
  std::optional<Clock::duration> wait;
  for (const auto& t : active_) {
    if (t->finished || t->blocked || t->awaiting_request || t->steps.empty()) continue;
    auto left = std::max(Clock::duration::zero(), t->wake_at - now);
    wait = wait ? std::min(*wait, left) : left;
  }
  if (!wait) return -1;
  auto ms = std::chrono::ceil<std::chrono::milliseconds>(*wait).count();
  return static_cast<int>(std::min<std::int64_t>(ms, INT_MAX));
}

void Server::on_line(const std::string& line) {
  log_.append(line);
  json message = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (message.is_discarded()) {
    write_stderr("ERROR codex_app_server_transport::transport: Failed to deserialize JSONRPCMessage: expected value\n");
    return;
  }
  bool has_method = message.is_object() && message.contains("method") && message["method"].is_string();
  bool has_id = message.is_object() && message.contains("id");
  if (has_method && has_id) return on_request(message);
  if (has_method) return on_notification(message);
  if (has_id && (message.contains("result") || message.contains("error"))) return on_response(message);
  write_stderr(
      "ERROR codex_app_server_transport::transport: Failed to deserialize JSONRPCMessage: data did not match any variant of untagged enum JSONRPCMessage\n");
}

void Server::on_request(const json& message) {
  const json& id = message["id"];
  const std::string method = message["method"].get<std::string>();
  static const json no_params = json::object();
  const json& params = message.contains("params") && message["params"].is_object() ? message["params"] : no_params;

  // A wrong-shaped answer, and nothing else happens (no thread or turn is created).
  const bool wrong = options_.mode == "wrong-result" && method == options_.wrong_result_method;
  if (method == "initialize") {
    if (options_.mode == "no-handshake") return;  // never answered: the client must time out
    if (wrong && !initialize_answered_) {
      initialize_answered_ = true;
      return send_json(result_response(id, 42));
    }
    if (initialize_answered_) return send_json(error_response(id, invalid_request, "Already initialized"));
    return handle_initialize(id, params);
  }
  bool strict = options_.mode == "not-initialized-check";
  if (!initialize_answered_ || (strict && !initialized_))
    return send_json(error_response(id, invalid_request, "Not initialized"));

  if (wrong) return send_json(result_response(id, 42));
  if (method == "thread/start") return handle_thread_start(id, params);
  if (method == "turn/start") return handle_turn_start(id, params);
  if (method == "turn/interrupt") return handle_turn_interrupt(id, params);
  if (method == "account/read") return handle_account_read(id);
  send_json(error_response(id, method_not_found, "Method not found: " + method));
}

void Server::on_notification(const json& message) {
  if (message["method"] != "initialized" || initialized_) return;
  initialized_ = true;
  if (options_.mode == "flood" && initialize_answered_) {
    auto job = std::make_shared<Turn>();
    job->turn_id = "turn_flood";
    script_global_flood(*job, options_.flood_count);
    active_.push_back(std::move(job));
  }
}

void Server::on_response(const json& message) {
  if (!message["id"].is_number_integer()) return;
  auto it = pending_.find(message["id"].get<std::int64_t>());
  if (it == pending_.end()) return;  // not ours, or answered twice: the real server ignores it
  Pending pending = std::move(it->second);
  pending_.erase(it);
  auto turn = pending.turn.lock();
  if (!turn || turn->finished || turn->awaiting_request != message["id"].get<std::int64_t>()) return;
  pending.on_reply(*turn, message);
  turn->awaiting_request.reset();
}

void Server::send_request(Turn& turn, std::string_view method, json params, ReplyHandler on_reply) {
  std::int64_t id = next_request_id_++;
  auto it = std::find_if(active_.begin(), active_.end(), [&](const auto& t) { return t.get() == &turn; });
  pending_[id] = Pending{it != active_.end() ? std::weak_ptr<Turn>(*it) : std::weak_ptr<Turn>(), std::move(on_reply)};
  turn.awaiting_request = id;
  turn.last_request_id = id;
  send_json(server_request(id, method, std::move(params)));
}

void Server::handle_initialize(const json& id, const json& params) {
  std::string version = "unknown";
  if (auto info = params.find("clientInfo"); info != params.end() && info->is_object()) {
    client_name_ = string_or(*info, "name", client_name_);
    version = string_or(*info, "version", version);
  }
  initialize_answered_ = true;
  if (options_.mode == "initialize-not-object") return send_json(result_response(id, 42));
  std::string agent = client_name_ + "/0.169.0 (Debian 12.0.0; x86_64) unknown (" + client_name_ + "; " + version + ")";
  send_json(result_response(
      id, {{"userAgent", agent}, {"codexHome", codex_home_}, {"platformFamily", "unix"}, {"platformOs", "linux"}}));
  send_json(notification("remoteControl/status/changed", {{"status", "disabled"},
                                                          {"serverName", "fake"},
                                                          {"installationId", "00000000-0000-0000-0000-000000000000"},
                                                          {"environmentId", nullptr}}));
}

void Server::handle_thread_start(const json& id, const json& params) {
  ThreadInfo info;
  info.id = "thr_" + std::to_string(next_thread_++);
  info.cwd = string_or(params, "cwd", current_dir());
  info.model = string_or(params, "model", "fake-model");
  info.model_provider = string_or(params, "modelProvider", "openai");
  info.approval_policy = string_or(params, "approvalPolicy", "on-request");
  info.sandbox = sandbox_policy(string_or(params, "sandbox", "read-only"));
  info.ephemeral = params.value("ephemeral", false);
  info.originator = client_name_;
  info.created_at = now_s();
  if (!info.ephemeral) info.rollout_path = codex_home_ + "/sessions/rollout-fake-" + info.id + ".jsonl";

  send_json(result_response(id, thread_start_result(info)));
  send_json(notification("thread/started", {{"thread", thread_object(info)}}));
  std::string thread_id = info.id;
  threads_[thread_id].info = std::move(info);
}

void Server::handle_turn_start(const json& id, const json& params) {
  std::string thread_id = string_or(params, "threadId", "");
  auto thread = threads_.find(thread_id);
  if (thread == threads_.end()) return send_json(error_response(id, invalid_request, "thread not found: " + thread_id));
  auto input = params.find("input");
  if (input == params.end() || !input->is_array())
    return send_json(error_response(id, invalid_params, "Invalid request: missing field `input`"));

  std::string prompt;
  for (const auto& item : *input) {
    if (!item.is_object() || item.value("type", "") != "text" || !item.contains("text") || !item["text"].is_string()) continue;
    if (!prompt.empty()) prompt += '\n';
    prompt += item["text"].get<std::string>();
  }

  auto turn = std::make_shared<Turn>();
  turn->directives = parse_directives(prompt);
  ThreadState& state = thread->second;
  if (turn->directives.overload && state.overload_rejections < *turn->directives.overload) {
    ++state.overload_rejections;
    return send_json(error_response(id, server_overloaded, "Server overloaded; retry later."));
  }

  turn->thread_id = thread_id;
  turn->turn_id = "turn_" + std::to_string(next_turn_++);
  turn->request_id = id;
  turn->cwd = state.info.cwd;
  turn->prompt = prompt;
  turn->history = state.history;
  turn->has_output_schema = params.contains("outputSchema") && !params["outputSchema"].is_null();
  turn->turn_number = ++state.turns;
  turn->thread_model_requests = state.model_requests;
  turn->started_ms = now_ms();
  state.history.push_back(prompt);

  script_turn(*turn, *this);
  turns_[turn->turn_id] = turn;
  active_.push_back(std::move(turn));
}

void Server::handle_account_read(const json& id) {
  // GetAccountResponse as the real server sends it: logged in with an API key by default.
  if (options_.mode == "auth-no-answer") return;  // the client's deadline must end the wait
  if (options_.mode == "not-logged-in")
    return send_json(result_response(id, {{"account", nullptr}, {"requiresOpenaiAuth", true}}));
  if (options_.mode == "no-openai-auth")
    return send_json(result_response(id, {{"account", nullptr}, {"requiresOpenaiAuth", false}}));
  send_json(result_response(id, {{"account", {{"type", "apiKey"}}}, {"requiresOpenaiAuth", true}}));
}

void Server::handle_turn_interrupt(const json& id, const json& params) {
  // Always {} at once, also for unknown or finished turns: interrupt must be idempotent.
  send_json(result_response(id, json::object()));
  auto it = turns_.find(string_or(params, "turnId", ""));
  if (it == turns_.end()) return;
  Turn& turn = *it->second;
  if (turn.finished || turn.directives.hang_no_interrupt) return;
  if (turn.awaiting_request) pending_.erase(*turn.awaiting_request);
  script_interrupted_ending(turn);
  if (std::find(active_.begin(), active_.end(), it->second) == active_.end()) active_.push_back(it->second);
}

}  // namespace diary::test::fake
