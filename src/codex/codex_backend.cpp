#include "codex/codex_backend.h"

#include <csignal>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <fmt/format.h>

#include "codex/codex_args.h"
#include "codex/codex_config_files.h"
#include "codex/server_requests.h"
#include "util/log_exception.h"

namespace diary::codex {

namespace asio = boost::asio;
using namespace std::chrono_literals;

nlohmann::json BackendInfo::to_json() const {
  return {{"user_agent", user_agent}, {"codex_home", codex_home}, {"platform_os", platform_os}, {"pid", pid}};
}

CodexBackend::CodexBackend(asio::any_io_executor executor)
    : executor_(executor), rpc_(executor, [this](std::string line) {
        if (child_) child_->write_line(std::move(line));
      }) {}

CodexBackend::~CodexBackend() {
  // The child's destructor kills it if still running; nothing may outlive us.
  if (child_) child_->signal(SIGKILL);
}

asio::awaitable<agent::Result<std::shared_ptr<CodexBackend>>> CodexBackend::start(asio::any_io_executor executor,
                                                                                  BackendStartOptions options) {
  std::shared_ptr<CodexBackend> backend(new CodexBackend(executor));
  ChildSpec spec;
  spec.executable = options.binary;
  // Only a clean start needs the user's MCP servers (to switch them off).
  const auto configured = options.options.clean_start
                              ? configured_mcp_servers(codex_config_files(backend_codex_home(options.options)))
                              : std::vector<std::string>{};
  spec.args = app_server_args(options.options, configured);
  spec.env = app_server_environment(options.options);
  spec.stderr_log = options.stderr_log;
  auto child = ChildProcess::spawn(executor, std::move(spec));
  if (!child) co_return std::unexpected(child.error());
  backend->child_ = *child;
  backend->info_.pid = backend->child_->pid();
  if (options.on_spawned) options.on_spawned(backend);

  std::weak_ptr<CodexBackend> weak = backend;
  backend->rpc_.set_log(options.protocol_log);
  backend->rpc_.set_notification_handler([weak](jsonrpc::IncomingNotification& notification) {
    if (auto self = weak.lock()) {
      self->track_file_changes(notification);
      self->router_.route(notification);
    }
  });
  backend->rpc_.set_request_handler([weak](ServerRequest request) {
    if (auto self = weak.lock()) self->on_server_request(std::move(request));
  });
  backend->child_->start(
      [weak](std::string_view line) {
        if (auto self = weak.lock()) self->rpc_.on_line(line);
      },
      [weak](agent::Error error) {
        if (auto self = weak.lock()) self->on_child_exit(std::move(error));
      });

  CallOptions handshake;
  handshake.timeout = options.handshake_timeout;
  const std::string method = "initialize";
  const json params = initialize_params();
  auto init = co_await backend->rpc_.call_as<protocol::InitializeResponse>(method, params, handshake);
  if (!init) {
    std::string why = init.error().message;
    if (init.error().kind != agent::ErrorKind::process_exited) {
      std::string tail = backend->child_->stderr_tail();
      if (!tail.empty()) why += "; stderr tail: " + tail;
    }
    backend->child_->signal(SIGKILL);
    co_await backend->child_->wait_exit(2s);
    co_return agent::fail(agent::ErrorKind::blocked, "codex app-server did not complete the handshake: " + why);
  }
  backend->info_.user_agent = std::move(init->user_agent);
  backend->info_.codex_home = std::move(init->codex_home);
  backend->info_.platform_os = std::move(init->platform_os);
  backend->rpc_.notify("initialized", nullptr);
  co_return backend;
}

void CodexBackend::on_child_exit(agent::Error error) {
  if (broken_because_) error.message = "codex app-server killed because " + *broken_because_ + " (" + error.message + ")";
  if (!unusable_ || unusable_->kind != agent::ErrorKind::process_exited) unusable_ = error;
  // Every waiter learns at once: pending calls and running turns.
  rpc_.fail_all(error);
  router_.fail_all(error);
  if (idle_timer_) idle_timer_->cancel();
}

void CodexBackend::mark_broken(const std::string& reason) {
  if (unusable_) return;
  // Not only refused: killed. A server that cannot end a turn may still be running it (and
  // writing that thread's rollout, which a resume on a new server would then share), and on a
  // shared server every other job would otherwise fail at its next call with backend_broken,
  // which no loop can recover from. Dead, it fails every waiter now with process_exited, and
  // each loop recovers from that once. A call in the moment before the exit is reaped fails the
  // same way.
  broken_because_ = reason;
  unusable_ = agent::Error{agent::ErrorKind::process_exited, "codex app-server killed because " + reason};
  if (child_) child_->signal(SIGKILL);
}

void CodexBackend::register_thread(const std::string& thread_id, ThreadHooks hooks) { threads_[thread_id] = std::move(hooks); }

void CodexBackend::forget_thread(const std::string& thread_id) {
  threads_.erase(thread_id);
  if (unusable_ || shut_down_ || !child_) return;
  asio::co_spawn(executor_, unsubscribe(shared_from_this(), thread_id), util::log_exception("thread/unsubscribe"));
}

asio::awaitable<void> CodexBackend::unsubscribe(std::shared_ptr<CodexBackend> self, std::string thread_id) {
  // Best effort: an error (old codex, backend gone) changes nothing for anyone.
  CallOptions call;
  call.timeout = 10s;
  const std::string method = "thread/unsubscribe";
  const json params = {{"threadId", thread_id}};
  co_await self->rpc_.call(method, params, call);
}

void CodexBackend::turn_ended() {
  if (--running_turns_ <= 0 && idle_timer_) idle_timer_->cancel();
}

void CodexBackend::track_file_changes(const jsonrpc::IncomingNotification& notification) {
  if (notification.method != "item/started" && notification.method != "item/completed") return;
  // Only fileChange items matter here; peek at the type before decoding the whole item (the
  // collector decodes item/completed again and reports it if malformed).
  const json& params = notification.params;
  const auto item = params.is_object() ? params.find("item") : params.end();
  if (item == params.end() || !item->is_object()) return;
  const auto type = item->find("type");
  if (type == item->end() || *type != "fileChange") return;
  auto decoded = protocol::decode<protocol::ItemNotification>(params, "params");
  if (!decoded) {
    if (notification.method == "item/started")
      rpc_.report_malformed("codex sent a malformed item/started: " + decoded.error().message);
    return;
  }
  const protocol::ThreadItem& change_item = decoded->item;
  if (notification.method == "item/completed") {
    file_change_paths_.erase(change_item.id);
    return;
  }
  std::vector<std::filesystem::path> paths;
  for (const auto& change : change_item.changes) paths.emplace_back(change.path);
  if (file_change_paths_.size() > 10'000) file_change_paths_.clear();  // items never completed
  file_change_paths_[change_item.id] = std::move(paths);
}

void CodexBackend::on_server_request(ServerRequest request) {
  const std::string& method = request.method();
  if (protocol::is_approval_method(method)) {
    auto params = protocol::decode_approval(method, request.params());
    if (!params) {
      // Fail closed: codex treats an error answer as "not approved".
      rpc_.report_malformed("codex sent a malformed " + method + ": " + params.error().message);
      request.reply_error(jsonrpc::rpc_code::invalid_params, params.error().message);
      return;
    }
    answer_approval(request, *params);
    return;
  }
  if (auto result = fallback_result(method)) {
    request.reply(*result);
    return;
  }
  request.reply_error(jsonrpc::rpc_code::method_not_found, "diary does not handle " + method);
}

void CodexBackend::answer_approval(ServerRequest& request, const protocol::ApprovalParams& params) {
  const std::string& method = request.method();
  agent::ApprovalRequest approval = approval_request_from(method, params);
  if (auto known = file_change_paths_.find(params.item_id); !params.item_id.empty() && known != file_change_paths_.end())
    approval.paths.insert(approval.paths.end(), known->second.begin(), known->second.end());
  auto hooks = threads_.find(params.thread_id);
  agent::ApprovalDecision decision = agent::ApprovalDecision::decline;
  if (hooks != threads_.end() && hooks->second.approval_handler) decision = hooks->second.approval_handler(approval);
  request.reply(approval_result(method, decision));
  if (hooks == threads_.end() || !hooks->second.on_event) return;
  agent::AgentTurnEvent event;
  event.kind = agent::EventKind::approval;
  std::string subject = approval.kind == agent::ApprovalKind::command ? approval.command
                        : approval.paths.empty()                      ? method
                                                                      : approval.paths.front().string();
  event.summary = fmt::format("approval {}: {}", agent::to_string(decision), subject);
  nlohmann::json paths = nlohmann::json::array();
  for (const auto& path : approval.paths) paths.push_back(path.string());
  event.metadata = {{"method", method},
                    {"decision", agent::to_string(decision)},
                    {"command", approval.command},
                    {"cwd", approval.cwd.string()},
                    {"paths", paths},
                    {"reason", approval.reason}};
  hooks->second.on_event(std::move(event));
}

asio::awaitable<void> CodexBackend::shutdown(std::chrono::milliseconds idle_grace) {
  auto self = shared_from_this();
  if (!child_) co_return;
  boost::system::error_code ignored;
  if (shut_down_) {
    auto done = shutdown_done_;
    while (!shutdown_finished_) co_await done->async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    co_return;
  }
  shut_down_ = true;
  shutdown_done_ = std::make_shared<asio::steady_timer>(executor_, asio::steady_timer::time_point::max());
  co_await stop_child(idle_grace);
  shutdown_finished_ = true;
  shutdown_done_->cancel();
}

asio::awaitable<void> CodexBackend::stop_child(std::chrono::milliseconds idle_grace) {
  boost::system::error_code ignored;
  if (running_turns_ > 0 && !child_->exited()) {
    idle_timer_ = std::make_shared<asio::steady_timer>(executor_, idle_grace);
    while (running_turns_ > 0 && !child_->exited() && idle_timer_->expiry() > std::chrono::steady_clock::now())
      co_await idle_timer_->async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    idle_timer_.reset();
  }
  // Closing stdin is the polite stop; the signals are for a server that does not listen.
  child_->close_stdin();
  if (co_await child_->wait_exit(2s)) co_return;
  child_->signal(SIGTERM);
  if (co_await child_->wait_exit(2s)) co_return;
  child_->signal(SIGKILL);
  co_await child_->wait_exit(2s);
}

void CodexBackend::abort() {
  if (child_) child_->signal(SIGKILL);
}

void CodexBackend::kill_for_test() {
  if (child_) child_->signal(SIGKILL);
}

}  // namespace diary::codex
