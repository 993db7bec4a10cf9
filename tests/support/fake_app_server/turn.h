// A scripted turn of the fake app-server: a queue of steps the event loop runs while it keeps
// reading stdin, so a turn can sleep, wait for a reply to a server request or hang until
// turn/interrupt. Owned by the Server; single-threaded.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "directives.h"

namespace diary::test::fake {

using Clock = std::chrono::steady_clock;
struct Turn;
// Returns true when done; false to be called again later (after stdin was polled).
using Step = std::function<bool(Turn&)>;
using ReplyHandler = std::function<void(Turn&, const nlohmann::json& reply)>;

struct Turn {
  std::string thread_id;
  std::string turn_id;
  nlohmann::json request_id;  // of turn/start, answered by one of the steps
  std::string cwd;
  std::string prompt;                // texts of the input items joined by '\n'
  std::vector<std::string> history;  // prompts of the thread's earlier turns
  bool has_output_schema = false;
  Directives directives;
  std::int64_t turn_number = 1;  // 1-based within its thread
  // The thread's count of model requests, shared by its turns (one tokenUsage update each).
  std::shared_ptr<std::int64_t> thread_model_requests = std::make_shared<std::int64_t>(0);
  std::int64_t started_ms = 0;

  std::deque<Step> steps;
  Clock::time_point wake_at{};
  std::optional<std::int64_t> awaiting_request;  // id of our unanswered server request
  bool blocked = false;                          // hanging until turn/interrupt
  bool responded = false;                        // the turn/start response was sent
  bool finished = false;                         // turn/completed was sent (or the job ended)
  std::string last_decision;                     // of the latest approval reply
  std::int64_t last_request_id = -1;             // id of the latest server request
  std::vector<std::string> replies;              // "decision: ..." / "reply: ..." summaries
  std::int64_t counter = 0;                      // progress of batched steps

  bool runnable(Clock::time_point now) const {
    return !finished && !blocked && !awaiting_request && !steps.empty() && wake_at <= now;
  }
};

// What a turn script needs from the server besides stdout.
class TurnHost {
 public:
  virtual ~TurnHost() = default;
  // Sends a server request on behalf of `turn`, sets turn.awaiting_request, and arranges for
  // `on_reply` to run (and the wait to end) when the client answers.
  virtual void send_request(Turn& turn, std::string_view method, nlohmann::json params, ReplyHandler on_reply) = 0;
};

// Fills turn.steps for a turn/start request according to turn.directives (see README.md).
void script_turn(Turn& turn, TurnHost& host);
// Replaces the remaining steps with an "interrupted" ending (response first if still owed).
void script_interrupted_ending(Turn& turn);
// The global flood:N mode: N agentMessage deltas for a thread nobody knows, then fake/floodDone.
void script_global_flood(Turn& job, std::int64_t count);

}  // namespace diary::test::fake
