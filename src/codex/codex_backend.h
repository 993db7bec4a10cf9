// One `codex app-server` child process and the JSON-RPC session on it: handshake, routing of
// notifications to turns, answers to server requests (approvals through per-thread handlers,
// fail closed), health (dead / broken), and graceful shutdown. Shared by many runners; lives on
// one executor (single-threaded io_context) and must only be used from it.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include "agent/agent_config.h"
#include "agent/agent_turn.h"
#include "agent/error.h"
#include "codex/child_process.h"
#include "codex/rpc_client.h"
#include "codex/turn_router.h"

namespace diary::codex {

class CodexBackend;

struct BackendStartOptions {
  std::filesystem::path binary;
  agent::AgentBackendOptions options;
  std::chrono::milliseconds handshake_timeout{30'000};
  std::function<void(std::string_view)> stderr_log;  // verbose: every stderr chunk of codex
  LogLine protocol_log;                              // malformed messages, handler exceptions, missing replies (one line each)
  // Called once the process runs, before the handshake: lets the owner abort() a start that a
  // stop overtook.
  std::function<void(const std::shared_ptr<CodexBackend>&)> on_spawned;
};

struct BackendInfo {
  std::string user_agent;
  std::string codex_home;
  std::string platform_os;
  int pid = -1;
  nlohmann::json to_json() const;
};

// What a runner registers for its thread so server requests about it reach the right policy.
struct ThreadHooks {
  agent::ApprovalHandler approval_handler;              // empty = decline
  std::function<void(agent::AgentTurnEvent)> on_event;  // approval decisions, as events
};

class CodexBackend : public std::enable_shared_from_this<CodexBackend> {
 public:
  // Spawns the app-server and completes initialize/initialized. ErrorKind::blocked when the
  // process cannot start or the handshake fails (message carries the stderr tail).
  static boost::asio::awaitable<agent::Result<std::shared_ptr<CodexBackend>>> start(boost::asio::any_io_executor executor,
                                                                                    BackendStartOptions options);
  ~CodexBackend();

  RpcClient& rpc() { return rpc_; }
  TurnRouter& router() { return router_; }
  const BackendInfo& info() const { return info_; }
  boost::asio::any_io_executor executor() const { return executor_; }

  // Set once the process died or an interrupt could not be confirmed: every later call fails
  // fast with this error.
  const std::optional<agent::Error>& unusable() const { return unusable_; }
  // An interrupt was not confirmed: the server is killed, so that every turn on it ends at once
  // with `process_exited` (its message names `reason`) and every loop on it recovers as from a
  // crash: a new app-server, each thread resumed there (docs/ARCHITECTURE.md "Runtime model").
  void mark_broken(const std::string& reason);

  void register_thread(const std::string& thread_id, ThreadHooks hooks);
  // The runner is done with the thread: drops its hooks and unsubscribes from it in the
  // background, so that codex unloads it and stops the tool servers it started for it (they
  // otherwise live as long as the app-server; see docs/generate.md "Registration").
  void forget_thread(const std::string& thread_id);

  // Running-turn accounting, so shutdown closes stdin only once every runner is idle.
  void turn_began() { ++running_turns_; }
  void turn_ended();
  int running_turns() const { return running_turns_; }

  // Waits up to `idle_grace` for running turns to end, closes stdin, then SIGTERM, then
  // SIGKILL. Always leaves no process behind. Idempotent: a second caller waits for the first.
  boost::asio::awaitable<void> shutdown(std::chrono::milliseconds idle_grace = std::chrono::seconds(5));

  // Kills the child outright (SIGKILL to its group; its session is swept when it is reaped):
  // for a start that is no longer wanted. A pending handshake then fails at once.
  void abort();
  // Test hook: kills the child outright (as a crash would).
  void kill_for_test();

 private:
  explicit CodexBackend(boost::asio::any_io_executor executor);
  void on_child_exit(agent::Error error);
  boost::asio::awaitable<void> stop_child(std::chrono::milliseconds idle_grace);
  void on_server_request(ServerRequest request);
  static boost::asio::awaitable<void> unsubscribe(std::shared_ptr<CodexBackend> self, std::string thread_id);
  void answer_approval(ServerRequest& request, const protocol::ApprovalParams& params);

  boost::asio::any_io_executor executor_;
  std::shared_ptr<ChildProcess> child_;
  RpcClient rpc_;
  TurnRouter router_;
  BackendInfo info_;
  std::optional<agent::Error> unusable_;
  std::optional<std::string> broken_because_;  // why mark_broken killed the server
  std::unordered_map<std::string, ThreadHooks> threads_;
  // Paths of fileChange items in flight: the approval request names only the item, so the
  // policy learns which files it would touch from the item's own item/started.
  std::unordered_map<std::string, std::vector<std::filesystem::path>> file_change_paths_;
  void track_file_changes(const jsonrpc::IncomingNotification& notification);
  int running_turns_ = 0;
  std::shared_ptr<boost::asio::steady_timer> idle_timer_;
  bool shut_down_ = false;
  bool shutdown_finished_ = false;
  // Later shutdown() callers park here until the first one is done (a cancel wakes them all).
  std::shared_ptr<boost::asio::steady_timer> shutdown_done_;
};

}  // namespace diary::codex
