// decide_next, rule by rule: each row is a state, a turn outcome and a check, and the decision
// that must follow. The rules are listed in generate/loop/decide_next.h.
#include "generate/loop/decide_next.h"

#include <gtest/gtest.h>

namespace diary::generate {
namespace {

using agent::ErrorKind;
using agent::FailureCause;
using std::chrono::milliseconds;

LoopCheck check_with(int failing, std::uintmax_t bytes = 0) {
  LoopCheck check;
  check.artifacts.tally = {.failing_checks = failing, .bytes = bytes};
  return check;
}

LoopState state_with(int turns, CheckTally best, LoopLimits limits = {}) {
  LoopState state;
  state.limits = limits;
  state.turns = turns;
  state.best = best;
  return state;
}

TurnOutcome ok() { return {}; }
TurnOutcome failed(FailureCause cause, ErrorKind kind = ErrorKind::turn_failed) {
  return {agent::TurnError{.kind = kind, .message = "boom", .cause = cause}};
}

struct Row {
  const char* name;
  LoopState state;
  TurnOutcome turn;
  LoopCheck check;
  bool finish;
  RunStatus status;         // when finishing
  const char* reason_part;  // when finishing
};

TEST(DecideNext, FinishingRules) {
  LoopLimits budget;
  budget.max_tokens = 100;
  LoopState spent = state_with(1, {3, 0}, budget);
  spent.tokens = 100;
  LoopState stopping = state_with(1, {3, 0});
  stopping.stop_requested = true;
  LoopState patient = state_with(1, {3, 0});
  patient.no_progress = 2;
  LoopLimits fallback;
  fallback.has_fallback_model = true;
  LoopState used_fallback = state_with(1, {3, 0}, fallback);
  used_fallback.fallback_used = true;
  LoopState recovered = state_with(2, {3, 0});
  recovered.backend_recoveries = 1;
  LoopLimits never_recover;
  never_recover.max_backend_recoveries = 0;
  LoopState no_recovery = state_with(1, {3, 0}, never_recover);

  const std::vector<Row> rows = {
      {"complete wins over everything", spent, failed(FailureCause::backend_exited, ErrorKind::process_exited), check_with(0),
       true, RunStatus::complete, "complete after 1 turn(s)"},
      {"stop", stopping, ok(), check_with(1), true, RunStatus::interrupted, "stopped on request"},
      {"a second dead backend ends the job at once", recovered, failed(FailureCause::backend_exited, ErrorKind::process_exited),
       check_with(3), true, RunStatus::failed, "the agent backend exited"},
      {"dead backend, recoveries switched off", no_recovery, failed(FailureCause::backend_exited, ErrorKind::process_exited),
       check_with(3), true, RunStatus::failed, "the agent backend exited"},
      {"broken backend", state_with(1, {3, 0}), failed(FailureCause::unknown, ErrorKind::backend_broken), check_with(3), true,
       RunStatus::failed, "broken"},
      {"rejected request", state_with(1, {3, 0}), failed(FailureCause::unknown, ErrorKind::rpc), check_with(3), true,
       RunStatus::failed, "rejected the request"},
      {"blocked", state_with(1, {3, 0}), failed(FailureCause::unknown, ErrorKind::blocked), check_with(3), true,
       RunStatus::blocked, "prerequisite"},
      {"expired login is blocked", state_with(1, {3, 0}), failed(FailureCause::unauthorized), check_with(3), true,
       RunStatus::blocked, "login expired"},
      {"context window", state_with(1, {3, 0}), failed(FailureCause::context_window_exceeded), check_with(2), true,
       RunStatus::failed, "context window"},
      {"usage limit", state_with(1, {3, 0}), failed(FailureCause::usage_limit), check_with(3), true, RunStatus::failed,
       "usage limit"},
      {"bad request", state_with(1, {3, 0}), failed(FailureCause::bad_request), check_with(3), true, RunStatus::failed,
       "rejected the request"},
      {"policy refusal", state_with(1, {3, 0}), failed(FailureCause::refused), check_with(3), true, RunStatus::failed, "policy"},
      {"sandbox", state_with(1, {3, 0}), failed(FailureCause::sandbox_error), check_with(3), true, RunStatus::failed, "sandbox"},
      {"unknown model without fallback", state_with(1, {3, 0}), failed(FailureCause::model_not_found), check_with(3), true,
       RunStatus::failed, "model is not available"},
      {"unknown model after the fallback was used", used_fallback, failed(FailureCause::model_not_found), check_with(3), true,
       RunStatus::failed, "model is not available"},
      {"budget", spent, ok(), check_with(1), true, RunStatus::budget_exceeded, "100 of 100"},
      {"no progress, third time, turns ok", patient, ok(), check_with(3), true, RunStatus::incomplete,
       "3 consecutive turn(s) without progress"},
      {"no progress, third time, turn failed", patient, failed(FailureCause::rate_limited), check_with(3), true,
       RunStatus::failed, "without progress"},
      {"turn cap", state_with(20, {3, 0}), ok(), check_with(2), true, RunStatus::incomplete,
       "reached max_turns (20) with 2 failing check(s)"},
      {"progress, but the cap", state_with(20, {3, 0}), failed(FailureCause::timeout, ErrorKind::timeout), check_with(1), true,
       RunStatus::failed, "max_turns"},
  };
  for (const auto& row : rows) {
    const Decision decision = decide_next(row.state, row.turn, row.check);
    EXPECT_TRUE(decision.finish) << row.name;
    EXPECT_EQ(decision.status, row.status) << row.name << ": " << to_string(decision.status);
    EXPECT_NE(decision.reason.find(row.reason_part), std::string::npos) << row.name << ": " << decision.reason;
  }
}

struct ResumeRow {
  const char* name;
  LoopState state;
  TurnOutcome turn;
  LoopCheck check;
  bool progress;
  std::optional<milliseconds> backoff;
  bool fallback;
};

TEST(DecideNext, ResumingRules) {
  LoopLimits fallback;
  fallback.has_fallback_model = true;
  LoopState backing_off = state_with(2, {3, 0});
  backing_off.no_progress = 1;
  backing_off.backoff = milliseconds(2000);
  LoopLimits small_backoff;
  small_backoff.max_backoff = milliseconds(3000);
  LoopState capped = state_with(2, {3, 0}, small_backoff);
  capped.no_progress = 1;
  capped.backoff = milliseconds(2000);
  LoopState growing = state_with(3, {3, 100});
  growing.byte_only_progress = 2;

  const std::vector<ResumeRow> rows = {
      {"fewer failing checks", state_with(1, {3, 0}), ok(), check_with(2), true, std::nullopt, false},
      {"as many, more bytes", state_with(1, {3, 10}), ok(), check_with(3, 11), true, std::nullopt, false},
      {"byte growth still counts on its third turn", growing, ok(), check_with(3, 200), true, std::nullopt, false},
      {"no progress waits the initial backoff", state_with(1, {3, 0}), ok(), check_with(3), false, milliseconds(1000), false},
      {"more failing checks is no progress", state_with(1, {2, 0}), ok(), check_with(3, 500), false, milliseconds(1000), false},
      {"backoff as the state says", backing_off, ok(), check_with(3), false, milliseconds(2000), false},
      {"transient failure waits", state_with(1, {3, 0}), failed(FailureCause::rate_limited), check_with(3), false,
       milliseconds(1000), false},
      {"transient failure switches to the fallback, no wait", state_with(1, {3, 0}, fallback), failed(FailureCause::overloaded),
       check_with(3), false, std::nullopt, true},
      {"unknown model switches to the fallback", state_with(1, {3, 0}, fallback), failed(FailureCause::model_not_found),
       check_with(3), false, std::nullopt, true},
      {"unknown cause retries with the same model", state_with(1, {3, 0}, fallback), failed(FailureCause::unknown), check_with(3),
       false, milliseconds(1000), false},
      {"timeout retries and keeps the work", state_with(1, {3, 0}), failed(FailureCause::timeout, ErrorKind::timeout),
       check_with(2), true, std::nullopt, false},
      {"turn 19 of 20 resumes", state_with(19, {3, 0}), ok(), check_with(2), true, std::nullopt, false},
  };
  for (const auto& row : rows) {
    const Decision decision = decide_next(row.state, row.turn, row.check);
    EXPECT_FALSE(decision.finish) << row.name << ": " << decision.reason;
    EXPECT_EQ(decision.progress, row.progress) << row.name;
    EXPECT_EQ(decision.backoff, row.backoff) << row.name;
    EXPECT_EQ(decision.switch_to_fallback, row.fallback) << row.name;
  }
  EXPECT_EQ(decide_next(capped, ok(), check_with(3)).next.backoff, milliseconds(3000)) << "doubling stops at max_backoff";
  EXPECT_EQ(decide_next(backing_off, ok(), check_with(3)).next.backoff, milliseconds(4000));
}

TEST(DecideNext, StateCarriesTheCounters) {
  LoopState state = state_with(1, {3, 0});
  state.no_progress = 2;
  state.backoff = milliseconds(4000);
  const Decision progressed = decide_next(state, ok(), check_with(1, 50));
  EXPECT_EQ(progressed.next.best, (CheckTally{1, 50}));
  EXPECT_EQ(progressed.next.no_progress, 0);
  EXPECT_EQ(progressed.next.backoff, milliseconds(1000)) << "progress resets the backoff";

  LoopLimits fallback;
  fallback.has_fallback_model = true;
  const Decision switched = decide_next(state_with(1, {3, 0}, fallback), failed(FailureCause::server_error), check_with(3));
  EXPECT_TRUE(switched.next.fallback_used);
  const Decision again = decide_next(switched.next, failed(FailureCause::server_error), check_with(3));
  EXPECT_FALSE(again.switch_to_fallback) << "the switch happens once";
}

// A model that appends to a file that never passes its checks: the file's creation is progress,
// growth alone counts for max_byte_only_progress turns, then the no-progress limit ends it.
TEST(DecideNext, AppendingForeverEndsAfterAFewTurns) {
  LoopState state = state_with(0, {2, 0});
  std::uintmax_t bytes = 0;
  int turns = 0;
  Decision decision;
  do {
    ++turns;
    bytes += 10;
    state.turns = turns;
    decision = decide_next(state, ok(), check_with(1, bytes));  // created on turn 1: 2 -> 1 failing
    state = decision.next;
  } while (!decision.finish && turns < 100);
  EXPECT_EQ(turns, 1 + default_max_byte_only_progress + default_max_no_progress);
  EXPECT_EQ(decision.status, RunStatus::incomplete);
  EXPECT_NE(decision.reason.find("artifacts only grew"), std::string::npos) << decision.reason;
}

TEST(DecideNext, TheTurnCapHoldsEvenWhenEveryTurnProgresses) {
  LoopLimits limits;
  limits.max_turns = 5;
  LoopState state = state_with(0, {100, 0}, limits);
  Decision decision;
  int turns = 0;
  do {
    ++turns;
    state.turns = turns;
    decision = decide_next(state, ok(), check_with(100 - turns));
    state = decision.next;
  } while (!decision.finish && turns < 100);
  EXPECT_EQ(turns, 5);
  EXPECT_EQ(decision.status, RunStatus::incomplete);
  EXPECT_NE(decision.reason.find("max_turns (5)"), std::string::npos) << decision.reason;
}

// 12.1: the first backend death is recovered: the conversation continues on a new backend at
// once (no backoff); the turn is judged like any failed turn, and the recovery is counted.
TEST(DecideNext, AFirstBackendDeathIsRecovered) {
  const TurnOutcome died = failed(FailureCause::backend_exited, ErrorKind::process_exited);
  Decision decision = decide_next(state_with(1, {3, 0}), died, check_with(3));
  EXPECT_FALSE(decision.finish) << decision.reason;
  EXPECT_TRUE(decision.recover_backend);
  EXPECT_FALSE(decision.backoff);
  EXPECT_EQ(decision.progress, false);
  EXPECT_EQ(decision.next.backend_recoveries, 1);
  EXPECT_EQ(decision.next.no_progress, 1);

  decision = decide_next(state_with(1, {3, 0}), died, check_with(2));  // it got somewhere first
  EXPECT_TRUE(decision.recover_backend);
  EXPECT_EQ(decision.progress, true);

  decision = decide_next(decision.next, died, check_with(2));  // and died again
  EXPECT_TRUE(decision.finish);
  EXPECT_FALSE(decision.recover_backend);
  EXPECT_EQ(decision.status, RunStatus::failed);

  LoopState capped = state_with(20, {3, 0});  // the turn cap still holds
  decision = decide_next(capped, died, check_with(3));
  EXPECT_TRUE(decision.finish);
  EXPECT_NE(decision.reason.find("max_turns"), std::string::npos) << decision.reason;
}

TEST(DecideNext, OutcomeOfARunnerErrorCarriesItsCause) {
  const agent::Result<agent::AgentTurnResult> died = agent::fail(ErrorKind::process_exited, "exit status 101");
  const TurnOutcome outcome = outcome_of(died);
  ASSERT_TRUE(outcome.error);
  EXPECT_EQ(outcome.error->cause, FailureCause::backend_exited);
  EXPECT_EQ(outcome.error->message, "exit status 101");

  agent::AgentTurnResult interrupted;
  interrupted.status = agent::TurnStatus::interrupted;
  EXPECT_TRUE(outcome_of(interrupted).error);
  EXPECT_FALSE(outcome_of(agent::AgentTurnResult{}).error);
}

}  // namespace
}  // namespace diary::generate
