// The heart of src/generate: run one prompt on one conversation until the checks pass from disk.
// check -> (complete: 0 turns, no runner) -> open (or continue) the conversation -> turn ->
// re-check after every turn -> resume prompt on the same conversation, with output-schema repair
// and cancellation; when the backend dies under a turn, the conversation continues on a new one.
// What follows a turn (progress, backoff, budget, turn cap, fallback model, backend recovery, the
// causes that end it) is decided by decide_next. Runs as a coroutine on the agent port's
// executor; hooks are called on it too and must not block.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <nlohmann/json.hpp>

#include "agent/agent_runner.h"
#include "generate/loop/decide_next.h"
#include "generate/loop/loop_check.h"
#include "generate/loop/resume_prompt.h"

namespace diary::generate {

struct TurnRecord {
  int index = 0;     // 1-based
  std::string kind;  // first | resume | repair
  std::string turn_id;
  std::string status;  // completed | failed | interrupted | timeout | error
  std::chrono::milliseconds duration{0};
  agent::TokenUsage usage;
  std::optional<agent::TurnError> error;
  std::optional<std::string> model;  // the model asked for this turn, when overridden

  friend bool operator==(const TurnRecord&, const TurnRecord&) = default;
};

// {turn_id, status, duration_ms, usage, error, index, kind, model}
nlohmann::json to_json(const TurnRecord& record);

// A conversation an earlier run left unfinished (found in its ledger), to continue rather than
// start over: the model keeps what it already knew.
struct ContinuedConversation {
  std::string id;                       // AgentRunner::conversation_id() of the earlier runner
  bool earlier_turn_completed = false;  // false: the model may never have seen the task (restated)

  friend bool operator==(const ContinuedConversation&, const ContinuedConversation&) = default;
};

struct ResumeLoopSpec {
  CheckTargets targets;  // workdir, artifacts, output schema
  std::string prompt;
  std::optional<std::string> resume_prompt;  // extra text appended to every resume prompt
  // A phase's own resume prompt, built fresh from the last check (e.g. the turns still missing
  // and the last validation errors); replaces the generic one built from artifact checks.
  std::function<std::string(const LoopCheck&)> build_resume_prompt;
  std::chrono::milliseconds turn_timeout = std::chrono::seconds(600);
  int max_no_progress = default_max_no_progress;
  int max_turns = default_max_turns;       // turns in all, whatever they achieve
  std::optional<std::int64_t> max_tokens;  // input+output over all turns
  std::optional<std::string> fallback_model;
  // Set: the first turn resumes this conversation with a resume prompt built from the failing
  // checks (a new conversation with the original prompt when the backend cannot resume it).
  std::optional<ContinuedConversation> continue_conversation;
  int max_backend_recoveries = default_max_backend_recoveries;
};

struct TurnStart {
  int index = 0;
  std::string kind;
  std::string_view prompt;
  std::optional<std::string> model;
};

// Observers, all optional. `on_check` gets turn index 0 for the check before any turn.
struct ResumeLoopHooks {
  std::function<void(const TurnStart&)> on_turn_start;
  std::function<void(int turn, const agent::AgentTurnEvent&)> on_event;
  std::function<void(const TurnRecord&)> on_turn_end;
  std::function<void(int turn, const LoopCheck&)> on_check;
  // The conversation is open, before its first turn (`after_turn` 0) or on a new backend after
  // the old one died under turn `after_turn`: record its id, so a later run can continue it.
  std::function<void(const agent::ConversationStart& conversation, int after_turn)> on_conversation;
  // Loop decisions for the ledger: "runner_error", "progress", "no_progress", "backoff",
  // "model_fallback", "conversation_fallback", "backend_recovery", "stop" with details.
  std::function<void(std::string_view what, const nlohmann::json& details)> on_decision;
  std::function<void(const std::string& line)> on_progress;  // one human line
};

struct ResumeLoopOptions {
  std::chrono::milliseconds initial_backoff = std::chrono::seconds(1);  // doubled per no-progress turn
  std::chrono::milliseconds max_backoff = std::chrono::seconds(60);
  // Stop requests end the loop with status interrupted: a running turn is interrupted, a
  // backoff wait is cut short. Request it from the executor's thread (e.g. a signal_set).
  std::stop_token stop;
};

struct LoopResult {
  RunStatus status = RunStatus::failed;
  std::vector<TurnRecord> turns;
  LoopCheck last_check;
  std::string final_message;                        // of the last turn
  std::optional<nlohmann::json> structured_output;  // the last final message that validated
  agent::TokenUsage usage;                          // summed over all turns
  std::optional<agent::Error> error;                // the last turn error (or runner error)
  std::string reason;                               // one line: why the loop ended
  std::string backend_model;                        // the model the backend reported running, if any
};

// Input+output tokens of `usage` (total_tokens when the split is not reported).
std::int64_t tokens_used(const agent::TokenUsage& usage);

boost::asio::awaitable<LoopResult> run_resume_loop(agent::AgentSessionFactory& factory, agent::AgentConfig config,
                                                   ResumeLoopSpec spec, ResumeLoopHooks hooks = {},
                                                   ResumeLoopOptions options = {});

}  // namespace diary::generate
