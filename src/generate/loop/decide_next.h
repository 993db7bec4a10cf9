// The resume loop's decision after a turn, as a pure function: given what the loop knows so far
// (LoopState), what the turn returned (TurnOutcome) and what the disk says now (LoopCheck),
// finish with a status and a reason, or resume (after a backoff, maybe on the fallback model).
// run_resume_loop only runs turns and applies these decisions; every rule is a row of
// tests/unit/generate/loop/decide_next_test.cpp. Value types, no I/O.
//
// The rules, first match wins:
//   1. every check passes                                  -> complete
//   2. a stop was requested                                -> interrupted
//   3. the agent backend exited, and a recovery is left     -> recover: resume the conversation on
//      (max_backend_recoveries per loop)                      a new backend (no backoff), then the
//                                                             rules below as for any failed turn
//      a cause no further turn can fix                     -> blocked (not logged in) or failed
//      (backend exited or broken, context window exceeded, usage limit, bad request, policy
//      refusal, sandbox error, model not found without a fallback, rejected request)
//   4. the token budget is used up                         -> budget_exceeded
//   5. a transient provider failure (or a missing model) and a fallback model not yet used
//                                                          -> switch to it, no backoff
//   6. progress = fewer failing checks than the best so far; or as many and more bytes, but only
//      for max_byte_only_progress turns in a row (a model that keeps appending to a file that
//      never passes its checks makes no progress after that)
//      no progress max_no_progress times in a row          -> incomplete (failed if the turn failed)
//   7. max_turns turns run                                 -> incomplete (failed if the turn failed)
//   8. otherwise resume; after a turn without progress wait the backoff (doubled each time)
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "agent/agent_turn.h"
#include "generate/check/artifact_check.h"
#include "generate/loop/loop_check.h"

namespace diary::generate {

enum class RunStatus { complete, incomplete, failed, blocked, budget_exceeded, interrupted };

std::string_view to_string(RunStatus status);

inline constexpr int default_max_turns = 20;
inline constexpr int default_max_no_progress = 3;
inline constexpr int default_max_byte_only_progress = 3;
inline constexpr int default_max_backend_recoveries = 1;

struct LoopLimits {
  int max_turns = default_max_turns;
  int max_no_progress = default_max_no_progress;
  int max_byte_only_progress = default_max_byte_only_progress;
  std::optional<std::int64_t> max_tokens;  // input+output over all turns
  bool has_fallback_model = false;
  int max_backend_recoveries = default_max_backend_recoveries;  // new backends after a death
  std::chrono::milliseconds initial_backoff = std::chrono::seconds(1);
  std::chrono::milliseconds max_backoff = std::chrono::seconds(60);
};

struct LoopState {
  LoopLimits limits;
  int turns = 0;               // turns run, the one just decided on included
  CheckTally best;             // the best tally seen so far (before any turn: the first check's)
  int no_progress = 0;         // consecutive turns without progress
  int byte_only_progress = 0;  // consecutive turns whose only gain was more bytes
  std::int64_t tokens = 0;     // used over all turns, the one just decided on included
  bool fallback_used = false;
  int backend_recoveries = 0;            // new backends started after a death so far
  std::chrono::milliseconds backoff{0};  // the next wait after no progress (0 = initial_backoff)
  bool stop_requested = false;
};

// What a turn came back with, reduced to what the decision needs.
struct TurnOutcome {
  std::optional<agent::TurnError> error;  // none: the turn succeeded
};

// A runner error (the turn never produced a result) or the result's own error.
TurnOutcome outcome_of(const agent::Result<agent::AgentTurnResult>& turn);

struct Decision {
  bool finish = false;
  RunStatus status = RunStatus::incomplete;  // when finishing
  std::string reason;                        // when finishing: one line
  // Ledger decisions: "progress", "no_progress" (with the counts below), "model_fallback".
  std::optional<bool> progress;  // set when the turn was judged (rules 6-8)
  bool switch_to_fallback = false;
  // The backend died under the turn: continue the conversation on a new backend before the next turn.
  bool recover_backend = false;
  std::optional<std::chrono::milliseconds> backoff;  // wait this long before the next turn
  LoopState next;                                    // the state for the next decision
};

Decision decide_next(const LoopState& state, const TurnOutcome& turn, const LoopCheck& check);

}  // namespace diary::generate
