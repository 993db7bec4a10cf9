#include "generate/loop/decide_next.h"

#include <algorithm>

#include <fmt/format.h>

namespace diary::generate {

using agent::ErrorKind;
using agent::FailureCause;

namespace {

// Why no further turn can help, as the start of the reason line; nullopt = another turn may.
std::optional<std::string_view> hopeless(const agent::TurnError& error, bool fallback_left) {
  switch (error.kind) {
    case ErrorKind::blocked: return "a prerequisite is missing";
    case ErrorKind::backend_broken: return "the agent backend is broken";
    case ErrorKind::busy: return "the runner is busy";
    // The backend rejected the request itself (overload, -32001, was already retried by the
    // client): e.g. thread/start with a model provider codex does not know.
    case ErrorKind::rpc: return "the agent backend rejected the request";
    case ErrorKind::invalid_input: return "the request is invalid";
    case ErrorKind::protocol: return "codex answered in a shape diary cannot read";
    default: break;
  }
  switch (error.cause) {
    case FailureCause::backend_exited: return "the agent backend exited";
    case FailureCause::unauthorized: return "not logged in, or the login expired";
    case FailureCause::context_window_exceeded: return "the conversation no longer fits the model's context window";
    case FailureCause::usage_limit: return "the usage limit is reached";
    case FailureCause::bad_request: return "the model provider rejected the request";
    case FailureCause::refused: return "a policy refused the request";
    case FailureCause::sandbox_error: return "the sandbox could not run the work";
    case FailureCause::model_not_found:
      if (fallback_left) return std::nullopt;
      return "the model is not available";
    default: return std::nullopt;
  }
}

bool blocks(const agent::TurnError& error) {
  return error.kind == ErrorKind::blocked || error.kind == ErrorKind::protocol || error.cause == FailureCause::unauthorized;
}

std::string failing_text(const LoopCheck& check) { return fmt::format("{} failing check(s)", check.tally().failing_checks); }

}  // namespace

std::string_view to_string(RunStatus status) {
  switch (status) {
    case RunStatus::complete: return "complete";
    case RunStatus::incomplete: return "incomplete";
    case RunStatus::failed: return "failed";
    case RunStatus::blocked: return "blocked";
    case RunStatus::budget_exceeded: return "budget_exceeded";
    case RunStatus::interrupted: return "interrupted";
  }
  return "failed";
}

TurnOutcome outcome_of(const agent::Result<agent::AgentTurnResult>& turn) {
  if (!turn)
    return {agent::TurnError{
        .kind = turn.error().kind, .message = turn.error().message, .cause = agent::cause_of(turn.error().kind)}};
  if (turn->error) return {turn->error};
  if (!turn->ok())
    return {
        agent::TurnError{.kind = ErrorKind::turn_failed, .message = "turn ended " + std::string(agent::to_string(turn->status))}};
  return {};
}

Decision decide_next(const LoopState& state, const TurnOutcome& turn, const LoopCheck& check) {
  const LoopLimits& limits = state.limits;
  Decision out;
  out.next = state;
  LoopState& next = out.next;
  if (next.backoff.count() <= 0) next.backoff = limits.initial_backoff;
  auto finish = [&](RunStatus status, std::string reason) {
    out.finish = true;
    out.status = status;
    out.reason = std::move(reason);
    return out;
  };

  if (check.complete()) return finish(RunStatus::complete, fmt::format("complete after {} turn(s)", state.turns));
  if (state.stop_requested) return finish(RunStatus::interrupted, "stopped on request");
  const bool fallback_left = limits.has_fallback_model && !state.fallback_used;
  if (turn.error && turn.error->cause == FailureCause::backend_exited &&
      state.backend_recoveries < limits.max_backend_recoveries) {
    out.recover_backend = true;
    ++next.backend_recoveries;
  } else if (turn.error)
    if (auto why = hopeless(*turn.error, fallback_left))
      return finish(blocks(*turn.error) ? RunStatus::blocked : RunStatus::failed,
                    fmt::format("the agent cannot continue ({}): {}", *why, turn.error->message));
  if (limits.max_tokens && state.tokens >= *limits.max_tokens)
    return finish(RunStatus::budget_exceeded,
                  fmt::format("token budget reached: {} of {} tokens used", state.tokens, *limits.max_tokens));

  if (turn.error && fallback_left && (turn.error->retryable() || turn.error->cause == FailureCause::model_not_found)) {
    out.switch_to_fallback = true;
    next.fallback_used = true;
  }

  const CheckTally tally = check.tally();
  bool progress = false;
  if (tally.failing_checks < state.best.failing_checks) {
    progress = true;
    next.byte_only_progress = 0;
  } else if (improves(tally, state.best)) {  // as many failing checks, more bytes
    next.byte_only_progress = state.byte_only_progress + 1;
    progress = next.byte_only_progress <= limits.max_byte_only_progress;
  }
  out.progress = progress;
  const RunStatus gave_up = turn.error ? RunStatus::failed : RunStatus::incomplete;
  if (progress) {
    next.best = tally;
    next.no_progress = 0;
    next.backoff = limits.initial_backoff;
  } else {
    ++next.no_progress;
    if (next.no_progress >= limits.max_no_progress) {
      std::string reason = fmt::format("gave up after {} consecutive turn(s) without progress", next.no_progress);
      if (next.byte_only_progress > limits.max_byte_only_progress)
        reason += fmt::format(" (artifacts only grew for {} turns in a row; growth alone counts for {})", next.byte_only_progress,
                              limits.max_byte_only_progress);
      return finish(gave_up, std::move(reason));
    }
  }
  if (state.turns >= limits.max_turns)
    return finish(gave_up, fmt::format("reached max_turns ({}) with {}", limits.max_turns, failing_text(check)));

  // A fresh model (or backend) is a fresh attempt: no need to wait for the failing one to recover.
  if (!progress && !out.switch_to_fallback && !out.recover_backend) {
    out.backoff = next.backoff;
    next.backoff = std::min(next.backoff * 2, limits.max_backoff);
  }
  return out;
}

}  // namespace diary::generate
