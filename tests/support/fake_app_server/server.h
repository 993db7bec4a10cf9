// The fake app-server's state and event loop: handshake, threads, turns, server requests.
// One thread polls stdin (with a timeout derived from sleeping turns) and runs turn steps in
// between, so notifications keep flowing while further requests are read and answered.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "protocol.h"
#include "turn.h"
#include "wire.h"

namespace diary::test::fake {

struct Options {
  std::string mode = "normal";      // see README.md "Global modes"
  std::int64_t flood_count = 0;     // N of flood:N
  std::string wrong_result_method;  // M of wrong-result:M
  std::string log_path;             // received lines go here when set
};

class Server final : public TurnHost {
 public:
  explicit Server(Options options);
  // Serves until stdin reaches end of file; returns the exit status.
  int run();

  void send_request(Turn& turn, std::string_view method, json params, ReplyHandler on_reply) override;

 private:
  struct ThreadState {
    ThreadInfo info;
    std::vector<std::string> history;  // prompts of all accepted turns, oldest first
    std::int64_t turns = 0;
    std::int64_t overload_rejections = 0;
    // Model requests of all the thread's turns so far: tokenUsage's `total` counts them.
    std::shared_ptr<std::int64_t> model_requests = std::make_shared<std::int64_t>(0);
  };
  struct Pending {
    std::weak_ptr<Turn> turn;
    ReplyHandler on_reply;
  };

  void on_line(const std::string& line);
  void on_request(const json& message);
  void on_response(const json& message);
  void on_notification(const json& message);

  void handle_initialize(const json& id, const json& params);
  void handle_thread_start(const json& id, const json& params);
  void handle_turn_start(const json& id, const json& params);
  void handle_turn_interrupt(const json& id, const json& params);
  void handle_account_read(const json& id);

  void run_turns();
  int poll_timeout_ms() const;

  Options options_;
  ReceivedLog log_;
  LineReader reader_;
  bool initialize_answered_ = false;
  bool initialized_ = false;  // the `initialized` notification arrived
  std::string client_name_ = "unknown";
  std::string codex_home_;
  std::map<std::string, ThreadState> threads_;
  std::map<std::string, std::shared_ptr<Turn>> turns_;  // every turn ever started, by id
  std::vector<std::shared_ptr<Turn>> active_;           // turns and jobs with steps left
  std::map<std::int64_t, Pending> pending_;             // our server requests by id
  std::int64_t next_request_id_ = 0;
  std::int64_t next_thread_ = 1;
  std::int64_t next_turn_ = 1;
};

}  // namespace diary::test::fake
